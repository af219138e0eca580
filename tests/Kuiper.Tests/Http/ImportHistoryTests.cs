using System.Net;
using System.Text.Json.Nodes;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>Ours: every import leaves a record (<c>GET /data/imports</c>, <c>GET /data/imports/{id}</c>); the status stays eKuiper's.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class ImportHistoryTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<JsonArray> HistoryAsync(string query = "")
    {
        var reply = await Client.GetReplyAsync("/data/imports" + query);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith("application/json", reply.ContentType);
        return JsonNode.Parse(reply.Body)!.AsArray();
    }

    [Fact]
    public async Task Each_import_is_recorded_newest_first_with_its_counts_errors_and_origin()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        var partial = await Client.ImportAsync("""{"streams":{"s2":"CREATE STREAM s2 () WITH (TYPE=\"memory\")"},"rules":{"bad":"{\"id\":\"other\"}"}}""", "?partial=1");
        Assert.Equal(HttpStatusCode.BadRequest, partial.Status);
        var status = (await Client.GetReplyAsync("/data/import/status")).Body;
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("""{"streams":{"s3":"CREATE STREAM s3 () WITH (TYPE=\"memory\")"}}""", "?partial=1&dryRun=1")).Status);

        var history = await HistoryAsync("?limit=3");

        Assert.Equal(3, history.Count);
        var (dry, failed, full) = (history[0]!, history[1]!, history[2]!);
        Assert.True(dry["dryRun"]!.GetValue<bool>());
        Assert.Equal("partial", dry["mode"]!.GetValue<string>());
        Assert.Equal("""{"imported":1,"failed":0,"removed":0}""", dry["counts"]!["streams"]!.ToJsonString());
        Assert.False(failed["succeeded"]!.GetValue<bool>());
        Assert.Equal("""{"imported":1,"failed":0,"removed":0}""", failed["counts"]!["streams"]!.ToJsonString());
        Assert.Equal("""{"imported":0,"failed":1,"removed":0}""", failed["counts"]!["rules"]!.ToJsonString());
        Assert.Null(failed["errors"]);
        Assert.Equal("full", full["mode"]!.GetValue<string>());
        Assert.Equal("""{"imported":2,"failed":0,"removed":0}""", full["counts"]!["rules"]!.ToJsonString());
        Assert.StartsWith("akka.tcp://kuiper@127.0.0.1:", full["node"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(full["requestedAt"]!.GetValue<string>()) <= DateTimeOffset.Parse(full["finishedAt"]!.GetValue<string>()));

        // The dry run left the status of the last import as it was.
        Assert.Equal(status, (await Client.GetReplyAsync("/data/import/status")).Body);

        var one = await Client.GetReplyAsync($"/data/imports/{failed["id"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.OK, one.Status);
        Assert.Equal("Invalid rule json: RuleId is not consistent with rule id.",
            JsonNode.Parse(one.Body)!["errors"]!["rules"]!["bad"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_full_import_counts_what_it_removed()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("""{"streams":{"only":"CREATE STREAM only () WITH (TYPE=\"memory\")"}}""")).Status);

        var last = (await HistoryAsync("?limit=1")).Single()!;

        Assert.Equal("""{"imported":1,"failed":0,"removed":1}""", last["counts"]!["streams"]!.ToJsonString());
        Assert.Equal("""{"imported":0,"failed":0,"removed":2}""", last["counts"]!["rules"]!.ToJsonString());
    }

    [Fact]
    public async Task A_REST_write_is_recorded_as_a_change_and_leaves_the_import_status_alone()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        var status = (await Client.GetReplyAsync("/data/import/status")).Body;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/streams")
        {
            Content = new StringContent("""{"sql":"CREATE STREAM changed () WITH (TYPE=\"memory\")"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(request)).StatusCode);

        var last = (await HistoryAsync("?limit=1")).Single()!;
        Assert.Equal("change", last["mode"]!.GetValue<string>());
        Assert.Equal("""{"kind":"streams","operation":"create","names":["changed"]}""", last["change"]!.ToJsonString());
        Assert.Equal("""{"imported":1,"failed":0,"removed":0}""", last["counts"]!["streams"]!.ToJsonString());
        Assert.True(last["restorable"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(last["node"]!.GetValue<string>()));
        // The status is still the last import's, and ?kind= separates the two.
        Assert.Equal(status, (await Client.GetReplyAsync("/data/import/status")).Body);
        Assert.Null((await HistoryAsync("?limit=1&kind=import")).Single()!["change"]);
        Assert.Equal(last["id"]!.GetValue<string>(), (await HistoryAsync("?limit=1&kind=change")).Single()!["id"]!.GetValue<string>());
        var badKind = await Client.GetReplyAsync("/data/imports?kind=all");
        Assert.Equal(HttpStatusCode.BadRequest, badKind.Status);
        Assert.Equal("{\"error\":1000,\"message\":\"kind must be import or change, not \\\"all\\\"\"}\n", badKind.Body);
    }

    [Fact]
    public async Task Unknown_ids_and_bad_limits_are_clear_errors()
    {
        var unknown = await Client.GetReplyAsync("/data/imports/nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("{\"error\":1002,\"message\":\"import nope is not found\"}\n", unknown.Body);

        var badLimit = await Client.GetReplyAsync("/data/imports?limit=-1");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.Status);
        Assert.Equal("{\"error\":1000,\"message\":\"limit must be a positive whole number, not \\\"-1\\\"\"}\n", badLimit.Body);
    }

    [Fact]
    public async Task The_history_survives_kill_9_and_stays_bounded()
    {
        await using var node = await NodeProcess.StartAsync(null, "--Kuiper:Import:HistoryLimit=12");
        for (var i = 0; i < 15; i++)
            Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync("{\"streams\":{\"s" + i + "\":\"CREATE STREAM s" + i + " () WITH (TYPE=\\\"memory\\\")\"}}", "?partial=1")).Status);
        var before = (await node.Client.GetReplyAsync("/data/imports")).Body;

        await node.KillAsync();
        await node.StartAgainAsync();

        var after = await node.Client.GetReplyAsync("/data/imports");
        Assert.Equal(before, after.Body);
        Assert.Equal(12, JsonNode.Parse(after.Body)!.AsArray().Count);
    }
}
