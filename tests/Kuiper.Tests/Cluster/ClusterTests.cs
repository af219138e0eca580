using System.Net;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Http;
using Kuiper.Tests.Inspection;

namespace Kuiper.Tests.Cluster;

[Collection(NodeProcessCollection.Name)]
[FullTier("starts clusters of node processes, on SQLite and on PostgreSQL")]
public sealed class ClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task On_postgres_everything_acknowledged_survives_kill_9()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var node = await NodeProcess.StartAsync(null, database.NodeArgs);
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync(SeedBundle.Json)).Status);

        await node.KillAsync();
        await node.StartAgainAsync();

        Assert.Equal(SeedBundle.Exported, await node.Client.ExportAsync());
        Assert.True(await database.CountAsync("SELECT count(*) FROM journal") > 0);
    }

    [Fact]
    public async Task Import_on_one_node_is_read_the_same_on_every_node()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (first, second, third) = (cluster.Nodes[0].Client, cluster.Nodes[1].Client, cluster.Nodes[2].Client);

        Assert.Equal(HttpStatusCode.OK, (await first.ImportAsync(SeedBundle.Json)).Status);
        Assert.Equal(SeedBundle.Exported, await third.ExportAsync());
        Assert.Equal(SeedBundle.Exported, await second.ExportAsync());

        var failing = await third.ImportAsync("""{"rules":{"bad":"{\"id\":\"other\",\"sql\":\"SELECT * FROM demo\",\"actions\":[{\"log\":{}}]}"}}""", "?partial=1");
        Assert.Equal(HttpStatusCode.BadRequest, failing.Status);
        var status = (await first.GetReplyAsync("/data/import/status")).Body;
        Assert.Contains("\"bad\":\"Invalid rule json: RuleId is not consistent with rule id.\"", status);
        Assert.Equal(status, (await second.GetReplyAsync("/data/import/status")).Body);

        Assert.Equal(HttpStatusCode.Created, (await second.PostRawAsync("/streams", """{"sql":"CREATE STREAM fromTwo () WITH (TYPE=\"memory\")"}""")).Status);
        Assert.Equal("""["demo","fromTwo"]""", (await third.GetReplyAsync("/streams")).Body);

        // stop=1 on one node: that node leaves and exits 100; the others keep serving what it imported.
        Assert.Equal(HttpStatusCode.OK, (await third.ImportAsync(SeedBundle.Json, "?stop=1")).Status);
        Assert.Equal(100, await cluster.Nodes[2].WaitForExitAsync(Settle));
        Assert.Equal(SeedBundle.Exported, await first.ExportAsync());
        await CliRunner.UntilAsync(cluster.Nodes[0], r => r.ExitCode == 0 && r.Json().GetProperty("members").GetArrayLength() == 2,
            Settle, "show", "--json");
    }

    [Fact]
    public async Task A_node_killed_during_an_import_loses_nothing_that_was_acknowledged()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (first, third) = (cluster.Nodes[0].Client, cluster.Nodes[2].Client);
        var baseline = Bundle(0, 2_000);
        Assert.Equal(HttpStatusCode.OK, (await first.ImportAsync(baseline)).Status);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Killed as soon as the request is under way: imports got fast enough that a fixed head start let some finish first.
        var running = first.ImportAsync(Bundle(2_000, 12_000, withStreams: false), "?partial=1");
        var killing = cluster.Nodes[1].KillAsync(); // SIGKILL is sent before KillAsync first waits
        var killedAt = watch.Elapsed;
        Assert.False(running.IsCompleted, "the import finished before node 2 was killed");
        await killing;
        var reply = await running;
        output.WriteLine($"import answered {(int)reply.Status} after {watch.Elapsed.TotalSeconds:F1}s with node 2 killed at {killedAt.TotalSeconds:F2}s");

        // Completed, or completed with some items reported as not confirmed: never silently lost.
        Assert.True(reply.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, reply.Body);
        var refused = reply.Status == HttpStatusCode.OK ? [] : RefusedRules(reply.Body);
        var acknowledged = Enumerable.Range(0, 12_000).Select(i => $"rule{i}").Where(r => !refused.Contains(r)).ToList();

        var exported = await TestCluster.EventuallyAsync(() => third.ExportAsync(), _ => true, Settle, "an export from a survivor");
        var rules = ExportedRules(exported);

        // The inspection verbs tell what happened: two members left, and every rules partition on a survivor.
        var show = await CliRunner.UntilAsync(cluster.Nodes[2], r => r.ExitCode == 0 && r.Json().GetProperty("members").GetArrayLength() == 2,
            Settle, "show", "--json");
        Assert.DoesNotContain(cluster.Address(1), show.Out);
        var stats = await CliRunner.RunAsync(cluster.Nodes[2], "sharding", "region-stats", "rules", "--json");
        Assert.Equal(0, stats.ExitCode);
        Assert.DoesNotContain(cluster.Address(1), stats.Out);
        var lost = acknowledged.Where(r => !rules.Contains(r)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged rules lost, e.g. {string.Join(", ", lost.Take(5))}");

        await cluster.Nodes[1].StartAgainAsync();
        await CliRunner.UntilAsync(cluster.Nodes[0], r => r.ExitCode == 0 && r.Json().GetProperty("members").EnumerateArray()
            .Count(m => m.GetProperty("status").GetString() == "Up") == 3, Settle, "show", "--json");
        Assert.Equal(exported, await TestCluster.EventuallyAsync(
            () => cluster.Nodes[1].Client.ExportAsync(), e => e == exported, Settle, "the restarted node serving the same export"));
    }

    [Fact]
    public async Task When_the_node_running_an_import_is_killed_its_lease_ends_and_the_next_import_runs()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (first, second, third) = (cluster.Nodes[0].Client, cluster.Nodes[1].Client, cluster.Nodes[2].Client);
        Assert.Equal(HttpStatusCode.OK, (await first.ImportAsync(Bundle(0, 100))).Status);

        // Node 2 runs this import itself, under the coordinator's lease (the coordinator is on node 1, the oldest): killed
        // once its first stage (a source config) is in the journal, while its 30,000 rules are still to come.
        var rules = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Bundle(100, 30_100, withStreams: false))!["rules"];
        var bundle = JsonSerializer.Serialize(new { sourceConfig = new { mqtt = """{"default":{"server":"tcp://127.0.0.1:1883"}}""" }, rules });
        const string configsWritten = "SELECT count(*) FROM journal WHERE persistence_id LIKE 'source-configs-%'";
        var running = second.ImportAsync(bundle, "?partial=1");
        var polling = System.Diagnostics.Stopwatch.StartNew();
        while (await cluster.Database.CountAsync(configsWritten) == 0)
        {
            Assert.True(polling.Elapsed < Settle, "the import's first stage was not written");
            await Task.Delay(10);
        }
        var killing = cluster.Nodes[1].KillAsync();
        Assert.False(running.IsCompleted, "the import finished before node 2 was killed");
        await killing;
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => running);

        // The next write waits for the lease, which ends once node 2 is downed; then it runs and is the status.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var next = await third.ImportAsync("""{"streams":{"after":"CREATE STREAM after () WITH (TYPE=\"memory\")"}}""", "?partial=1");
        output.WriteLine($"the next import answered {(int)next.Status} after {watch.Elapsed.TotalSeconds:F1}s");
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (next.Status, next.Body));
        Assert.Contains("\"after\":", await first.ExportAsync());
        // Recorded as the newest import, from node 3; the killed one left no record.
        using var history = JsonDocument.Parse((await first.GetReplyAsync("/data/imports?limit=2")).Body);
        var (newest, before) = (history.RootElement[0], history.RootElement[1]);
        Assert.Equal(cluster.Address(2), newest.GetProperty("node").GetString());
        Assert.Equal(1, newest.GetProperty("counts").GetProperty("streams").GetProperty("imported").GetInt32());
        Assert.Equal(100, before.GetProperty("counts").GetProperty("rules").GetProperty("imported").GetInt32());
    }

    /// <summary>Streams s0..s49 and rules from..to-1 that read them.</summary>
    private static string Bundle(int from, int to, bool withStreams = true)
    {
        var streams = withStreams
            ? Enumerable.Range(0, 50).ToDictionary(i => $"s{i}", i => $"CREATE STREAM s{i} () WITH (TYPE=\"memory\")")
            : new Dictionary<string, string>();
        var rules = Enumerable.Range(from, to - from).ToDictionary(i => $"rule{i}",
            i => JsonSerializer.Serialize(new { id = $"rule{i}", sql = $"SELECT * FROM s{i % 50}", actions = new[] { new { log = new { } } } }));
        return JsonSerializer.Serialize(new { streams, rules });
    }

    private static HashSet<string> ExportedRules(string export)
    {
        using var doc = JsonDocument.Parse(export);
        return doc.RootElement.GetProperty("rules").EnumerateObject().Select(p => p.Name).ToHashSet();
    }

    private static HashSet<string> RefusedRules(string errorBody)
    {
        using var envelope = JsonDocument.Parse(errorBody);
        using var response = JsonDocument.Parse(envelope.RootElement.GetProperty("message").GetString()!);
        return response.RootElement.GetProperty("rules").EnumerateObject().Select(p => p.Name).ToHashSet();
    }
}
