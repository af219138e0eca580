using System.Net;
using System.Text.Json.Nodes;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>Ours: the configuration each import left, read back from the journal (export, diff) and restored.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes, on SQLite and on PostgreSQL")]
public sealed class RestoreTests
{
    private const string Second = """{"streams":{"extra":"CREATE STREAM extra () WITH (TYPE=\"memory\")"},"sourceConfig":{"mqtt":"{\"td\":{\"qos\":2}}"}}""";
    private const string Third = """{"tables":{"only":"CREATE TABLE only (S1 string) WITH (DATASOURCE=\"only.json\", FORMAT=\"json\", TYPE=\"file\", KIND=\"scan\")"}}""";

    private static async Task<string> LastImportIdAsync(HttpClient client) =>
        JsonNode.Parse((await client.GetReplyAsync("/data/imports?limit=1")).Body)![0]!["id"]!.GetValue<string>();

    private static async Task RestoreAfterThreeImportsGivesTheFirstExportAsync(NodeProcess node)
    {
        var client = node.Client;
        Assert.Equal(HttpStatusCode.OK, (await client.ImportAsync(SeedBundle.Json)).Status);
        var first = await LastImportIdAsync(client);
        var afterFirst = await client.ExportAsync();
        var secondReply = await client.ImportAsync(Second, "?partial=1");
        Assert.True(secondReply.Status == HttpStatusCode.OK, secondReply.Body);
        var second = await LastImportIdAsync(client);
        var afterSecond = await client.ExportAsync();
        var thirdReply = await client.ImportAsync(Third);
        Assert.True(thirdReply.Status == HttpStatusCode.OK, thirdReply.Body);
        var third = await LastImportIdAsync(client);

        // Secrets as stored: a past configuration is masked unless asked (SecretEndpointTests).
        Assert.Equal(afterFirst, (await client.GetReplyAsync($"/data/imports/{first}/export?secrets=plain")).Body);
        Assert.Equal(afterSecond, (await client.GetReplyAsync($"/data/imports/{second}/export?secrets=plain")).Body);

        var diff = JsonNode.Parse((await client.GetReplyAsync($"/data/imports/{first}/diff/{second}")).Body)!;
        Assert.Equal("""{"added":["extra"],"changed":[],"removed":[],"unchanged":["demo"]}""", diff["streams"]!.ToJsonString());
        Assert.Equal("""{"added":[],"changed":["mqtt"],"removed":[],"unchanged":[]}""", diff["sourceConfig"]!.ToJsonString());
        var toThird = JsonNode.Parse((await client.GetReplyAsync($"/data/imports/{second}/diff/{third}")).Body)!;
        Assert.Equal("""{"added":[],"changed":[],"removed":["rule1","rule2"],"unchanged":[]}""", toThird["rules"]!.ToJsonString());

        var restore = await client.PostRawAsync($"/data/imports/{first}/restore", "");
        Assert.Equal(HttpStatusCode.OK, restore.Status);
        Assert.Equal(afterFirst, await client.ExportAsync());
        var record = JsonNode.Parse((await client.GetReplyAsync("/data/imports?limit=1")).Body)![0]!;
        Assert.Equal(first, record["restoreOf"]!.GetValue<string>());
        Assert.Equal("full", record["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_sqlite_a_restore_after_three_imports_gives_the_export_taken_right_after_the_first()
    {
        await using var node = await NodeProcess.StartAsync();
        await RestoreAfterThreeImportsGivesTheFirstExportAsync(node);
    }

    [Fact]
    public async Task On_postgres_a_restore_after_three_imports_gives_the_export_taken_right_after_the_first_even_after_a_restart()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var node = await NodeProcess.StartAsync(null, database.NodeArgs);
        await RestoreAfterThreeImportsGivesTheFirstExportAsync(node);

        var history = (await node.Client.GetReplyAsync("/data/imports")).Body;
        var oldest = JsonNode.Parse(history)!.AsArray()[^1]!["id"]!.GetValue<string>();
        var before = (await node.Client.GetReplyAsync($"/data/imports/{oldest}/export")).Body;
        await node.KillAsync();
        await node.StartAgainAsync();
        Assert.Equal(before, (await node.Client.GetReplyAsync($"/data/imports/{oldest}/export")).Body);
    }

    [Fact]
    public async Task Unknown_imports_cannot_be_exported_diffed_or_restored()
    {
        await using var node = await NodeProcess.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync(SeedBundle.Json)).Status);
        var known = await LastImportIdAsync(node.Client);
        const string notFound = "{\"error\":1002,\"message\":\"import nope is not found\"}\n";

        Assert.Equal((HttpStatusCode.NotFound, notFound), await Status(node.Client.GetReplyAsync("/data/imports/nope/export")));
        Assert.Equal((HttpStatusCode.NotFound, notFound), await Status(node.Client.GetReplyAsync($"/data/imports/{known}/diff/nope")));
        Assert.Equal((HttpStatusCode.NotFound, notFound), await Status(node.Client.PostRawAsync("/data/imports/nope/restore", "")));
        Assert.Equal(SeedBundle.Exported, await node.Client.ExportAsync());
    }

    private static async Task<(HttpStatusCode, string)> Status(Task<Reply> reply)
    {
        var r = await reply;
        return (r.Status, r.Body);
    }
}
