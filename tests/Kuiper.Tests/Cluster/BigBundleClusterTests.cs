using System.Net;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Http;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// Bundles and exports larger than one remoting frame, through nodes that do not run the import coordinator (node 0
/// seeds the cluster, so it is the oldest and runs the singletons). The frame limit is lowered to 1 MiB so that a bundle of
/// a few MB is over it; the coordinator's node takes at most 2 x 1.5 MiB in one message, so a larger one sent there is
/// refused (an import's bundle is not sent there: it runs where it was received).
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a cluster of node processes on PostgreSQL")]
public sealed class BigBundleClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int FrameBytes = 1024 * 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_bundle_over_the_frame_limit_imports_and_exports_through_any_node_and_what_the_coordinators_node_cannot_take_is_refused_at_once()
    {
        await using var cluster = await TestCluster.StartAsync(3, i =>
        [
            $"--Kuiper:Cluster:MaximumFrameBytes={FrameBytes}",
            $"--Kuiper:Import:RequestTimeout={RequestTimeout}",
            .. i == 0 ? [$"--Kuiper:Import:MaxRequestBytes={3 * FrameBytes / 2}"] : Array.Empty<string>(),
        ]);
        var (viaSecond, viaThird) = (cluster.Nodes[1].Client, cluster.Nodes[2].Client);

        var bundle = Bundle(6_000);
        Assert.True(bundle.Length > 2 * FrameBytes, $"the bundle is {bundle.Length} bytes");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var imported = await viaSecond.ImportAsync(bundle);
        output.WriteLine($"{bundle.Length} bytes imported through node 2 in {watch.Elapsed.TotalMilliseconds:F0} ms");
        watch.Restart();
        var again = await viaSecond.ImportAsync(bundle);
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (again.Status, again.Body));
        output.WriteLine($"again in {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (imported.Status, imported.Body));

        // Read back from a third node, and through the node that took it: the export crosses in chunks too.
        var exportedThird = await viaThird.ExportAsync();
        Assert.True(exportedThird.Length > FrameBytes, $"the export is {exportedThird.Length} bytes");
        AssertHolds(exportedThird, 6_000);
        Assert.Equal(exportedThird, await viaSecond.ExportAsync());

        // A dry run's plan lists every name: its answer crosses back in chunks.
        var dryRun = await viaThird.ImportAsync(bundle, "?dryRun=1");
        Assert.True(dryRun.Status == HttpStatusCode.OK, dryRun.Body);
        using (var plan = JsonDocument.Parse(dryRun.Body))
        {
            var streams = plan.RootElement.GetProperty("Plan").GetProperty("streams");
            Assert.Equal(6_000, streams.GetProperty("unchanged").GetArrayLength());
            Assert.Equal(0, streams.GetProperty("added").GetArrayLength() + streams.GetProperty("changed").GetArrayLength() + streams.GetProperty("removed").GetArrayLength());
        }

        // The async road: the request crosses to the tasks singleton, its import to the coordinator, in chunks as needed.
        var task = await viaThird.SubmitAsync(KuiperApi.ContentBody(bundle), "?partial=1");
        var ended = await viaSecond.EndedAsync(task);
        Assert.Equal("finish", AsyncTasks.Status(ended));
        AssertHolds(await viaThird.ExportAsync(), 6_000);

        // Larger than the coordinator's node takes in one message. An import runs on the node that received it, under
        // the coordinator's lease: the bundle never crosses, so it is imported.
        var larger = Bundle(12_000);
        var importedLarger = await viaThird.ImportAsync(larger);
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (importedLarger.Status, importedLarger.Body));
        AssertHolds(await viaSecond.ExportAsync(), 12_000);

        // An async import hands its request to the tasks singleton on the coordinator's node: refused before any of it
        // is pulled, at once, and nothing changes.
        watch.Restart();
        var refused = await viaThird.PostRawAsync("/async/data/import", KuiperApi.ContentBody(larger.Replace("plant/line/", "plant/cell/")));
        var took = watch.Elapsed;
        output.WriteLine($"{larger.Length} bytes refused in {took.TotalMilliseconds:F0} ms: {refused.Body}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Matches(
            $"^\\{{\"error\":1000,\"message\":\"the import was not started, nothing changed: a message of \\d+ bytes from akka\\.tcp://kuiper@127\\.0\\.0\\.1:{cluster.RemotingPorts[2]} " +
            $"is larger than the {3 * FrameBytes} bytes this node takes \\(twice Kuiper:Import:MaxRequestBytes\\)\"\\}}\n$",
            refused.Body);
        Assert.True(took < RequestTimeout / 4, $"refused after {took}");
        AssertHolds(await viaSecond.ExportAsync(), 12_000);
    }

    /// <summary><paramref name="count"/> streams of about 400 bytes each, and a rule on the first.</summary>
    private static string Bundle(int count)
    {
        var streams = Enumerable.Range(0, count).ToDictionary(Name, Definition);
        var rules = new Dictionary<string, string>
        {
            ["first"] = JsonSerializer.Serialize(new { id = "first", sql = $"SELECT * FROM {Name(0)}", actions = new[] { new { log = new { } } } }),
        };
        return JsonSerializer.Serialize(new { streams, rules });
    }

    private static string Name(int i) => $"stream{i:D6}";

    private static string Definition(int i) =>
        $"CREATE STREAM {Name(i)} (id BIGINT, name STRING, temperature FLOAT, humidity FLOAT, seen DATETIME, ok BOOLEAN, " +
        $"site STRING, line STRING, shift BIGINT, operator STRING, batch STRING, note STRING) " +
        $"WITH (DATASOURCE=\"plant/line/{i}/telemetry\", FORMAT=\"JSON\", TYPE=\"memory\", KEY=\"id\", TIMESTAMP=\"seen\")";

    private static void AssertHolds(string export, int count)
    {
        using var doc = JsonDocument.Parse(export);
        var streams = doc.RootElement.GetProperty("streams");
        Assert.Equal(count, streams.EnumerateObject().Count());
        foreach (var i in new[] { 0, 1, count / 2, count - 1 })
            Assert.Equal(Definition(i), streams.GetProperty(Name(i)).GetString());
        Assert.Equal(["first"], doc.RootElement.GetProperty("rules").EnumerateObject().Select(p => p.Name));
    }
}
