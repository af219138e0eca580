using System.Net;
using Kuiper.Tests.Harness;
using Xunit;

namespace Kuiper.Tests.Http;

[Collection(NodeProcessCollection.Name)]
[FullTier("starts and kills node processes")]
public sealed class RestartTests
{
    [Fact]
    public async Task Everything_acknowledged_survives_kill_9_and_restart()
    {
        await using var node = await NodeProcess.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync(SeedBundle.Json)).Status);
        var failing = await node.Client.ImportAsync(
            """{"streams":{"extra":"CREATE STREAM other () WITH (TYPE=\"memory\")"}}""", "?partial=1");
        Assert.Equal(HttpStatusCode.BadRequest, failing.Status);
        var statusBefore = (await node.Client.GetReplyAsync("/data/import/status")).Body;

        await node.KillAsync();
        await node.StartAgainAsync();

        Assert.Equal(SeedBundle.Exported, await node.Client.ExportAsync());
        Assert.Equal(statusBefore, (await node.Client.GetReplyAsync("/data/import/status")).Body);
        Assert.Contains("\"extra\":\"Replace extra fails", statusBefore);
    }

    [Fact]
    public async Task Many_imports_survive_a_restart_through_snapshots()
    {
        await using var node = await NodeProcess.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync("""{"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"}}""")).Status);
        // More partial imports than a partition's snapshot interval, so recovery reads a snapshot and a tail.
        for (var i = 0; i < 25; i++)
        {
            var reply = await node.Client.ImportAsync(
                $$$"""{"rules":{"r":"{\"id\":\"r\",\"sql\":\"SELECT {{{i}}} FROM s\",\"actions\":[{\"log\":{}}]}"}}""", "?partial=1");
            Assert.Equal(HttpStatusCode.OK, reply.Status);
        }

        await node.KillAsync();
        await node.StartAgainAsync();

        Assert.Contains("SELECT 24 FROM s", await node.Client.ExportAsync());
    }

    [Fact]
    public async Task Stop_import_leaves_gracefully_with_exit_code_100_and_keeps_the_data()
    {
        await using var node = await NodeProcess.StartAsync();

        var reply = await node.Client.ImportAsync(SeedBundle.Json, "?stop=1");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(100, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        await node.StartAgainAsync();
        Assert.Equal(SeedBundle.Exported, await node.Client.ExportAsync());
    }
}
