using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kuiper.Node.Inspection;
using Kuiper.Tests.Harness;
using Xunit.Abstractions;

namespace Kuiper.Tests.Upgrades;

/// <summary>
/// A rolling upgrade as an operator does it: three nodes of the previous release (compat/previous-release) on one
/// PostgreSQL journal, imports running all along, each node in turn stopped as a service is (SIGTERM) and started again
/// with the current build on the same data folder and ports; then the node holding the coordinator is restarted once more,
/// on the current build. Afterwards every acknowledged import is on every node, the
/// exports are the same bytes, the history the old release wrote is kept, every member runs the current version, and
/// imports went on throughout: a 503 (nothing applied) while a node leaves or joins is allowed and counted, the longest
/// time without an acknowledged import is bounded and reported.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("builds the previous release and starts a cluster of three node processes on PostgreSQL, then replaces each")]
public sealed class RollingUpgradeTests(ITestOutputHelper output)
{
    private const int Size = 3;

    /// <summary>
    /// Youngest first; node 0 is the oldest member and holds the singletons, so they move once, onto a new node. Then the
    /// node that holds them now (node 2, the oldest member left) is restarted on the current build, so that the
    /// coordinator's hand-over is seen on the current build too, and not only as the previous release does it.
    /// </summary>
    private static readonly int[] ReplaceOrder = [2, 1, 0, 2];

    private static readonly TimeSpan WriteEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WholeWithin = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest time without an acknowledged import. A graceful leave hands the leaving node's partitions (and, for
    /// node 0, the singletons) over within seconds, so a healthy upgrade shows a few seconds; the bound is generous (a
    /// loaded 2-core machine, the coordinator's move) yet far below what a stuck hand-over would show (a write waiting
    /// for a member's removal or a timeout of the journal's calls).
    /// </summary>
    private static readonly TimeSpan LongestWindowBound = TimeSpan.FromSeconds(60);

    /// <summary>Every import of the test stays in the history (100 by default), so the old release's records can be checked.</summary>
    private static readonly string[] NodeArgs = ["--Kuiper:Import:HistoryLimit=5000"];

    [Fact]
    public async Task Three_nodes_of_the_previous_release_replaced_one_at_a_time_keep_every_acknowledged_import()
    {
        var clock = Stopwatch.StartNew();
        var previous = await PreviousRelease.NodeDllAsync();
        var built = clock.Elapsed;
        var (from, to) = (PreviousRelease.VersionOf(previous), PreviousRelease.VersionOf(NodeBuild.DllPath));
        Assert.True(from != to, $"harness: the previous release and the current build both say {from}: the test could not tell them apart");

        await using var cluster = await TestCluster.StartAsync(Size, previous, _ => NodeArgs);
        var completed = false;
        try
        {
            await RunAsync(cluster, from, to, built, clock);
            completed = true;
        }
        finally
        {
            if (!completed) WriteNodeOutputs(cluster);
        }
    }

    private async Task RunAsync(TestCluster cluster, string from, string to, TimeSpan built, Stopwatch clock)
    {
        // The checks; each failure is collected, so that one run says all that is wrong.
        var failures = new List<string>();
        var versions = Enumerable.Repeat(from, Size).ToArray();
        await WholeAsync(cluster, versions);
        var started = clock.Elapsed;

        // The configuration the old release holds: streams, tables, 100 rules, configs, one rule stopped, one file uploaded.
        var nodes = cluster.Nodes;
        UpgradeBundle.AssertSucceeded(await nodes[0].Client.ImportAsync(UpgradeBundle.Generate("b", streams: 10, tables: 5, rules: 100)), "base import");
        var upload = await nodes[1].Client.PostRawAsync("/config/uploads", JsonSerializer.Serialize(new { name = "notes.txt", content = "kept across the upgrade" }));
        Assert.True(upload.Status == HttpStatusCode.Created, $"upload: {(int)upload.Status} {upload.Body}");
        var stop = await nodes[2].Client.PostRawAsync("/rules/br005/stop", "");
        Assert.True(stop.Status == HttpStatusCode.OK, $"stop rule: {(int)stop.Status} {stop.Body}");
        var baseId = UpgradeBundle.HistoryIds(await nodes[0].Client.GetStringAsync("/data/imports?limit=1"))[0];
        var baseImportExport = await nodes[0].Client.GetStringAsync($"/data/imports/{baseId}/export");

        await using var writer = new Writer(nodes, Stopwatch.StartNew());
        // A few imports acknowledged by the old release before any node is replaced: their records must outlive it.
        await TestCluster.EventuallyAsync(() => Task.FromResult(writer.AcknowledgedCount), n => n >= 5, TimeSpan.FromSeconds(30),
            "five imports acknowledged by the previous release");
        var oldHistory = UpgradeBundle.HistoryIds(await nodes[0].Client.GetStringAsync("/data/imports?limit=5000"));
        var oldHistoryRead = writer.Now; // an import sent after this is not in oldHistory

        var replacements = new List<string>();
        var oldCoordinatorLeaving = (From: TimeSpan.Zero, To: TimeSpan.Zero);
        foreach (var i in ReplaceOrder)
        {
            // As docs/operations.md#rolling-upgrades asks: a node leaves only once the partitions stopped moving. They move
            // only while every member runs one release: after the cluster formed, and after the last node is replaced.
            if (versions.Distinct().Count() == 1) await BalancedAsync(nodes[(i + 1) % Size]);
            var begun = writer.Now;
            var was = versions[i];
            await writer.ExcludeAsync(i); // no import is sent to a node while it is down: the operator's load balancer drains it
            var stopping = Stopwatch.StartNew();
            var code = await nodes[i].StopGracefullyAsync(StopWithin);
            var stopTook = stopping.Elapsed;
            Assert.True(code == 0, $"node {i} ({was}) exited with {code} on SIGTERM");
            var starting = Stopwatch.StartNew();
            await nodes[i].RunWith(null).StartAgainAsync();
            var readyTook = starting.Elapsed;
            versions[i] = to;
            await WholeAsync(cluster, versions);
            var wholeTook = starting.Elapsed;
            writer.Include(i);
            if (i == 0) oldCoordinatorLeaving = (begun, writer.Now);
            // A mixed cluster (until the last replacement) serves reads on every node, old and new alike.
            foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
                foreach (var path in new[] { "/data/export", "/data/import/status", "/data/imports?limit=1", $"/data/imports/{baseId}" })
                    if (await node.Client.GetReplyAsync(path) is { Status: not HttpStatusCode.OK } reply)
                        failures.Add($"after node {i} was replaced, GET {path} on node {n} ({versions[n]}): {(int)reply.Status} {reply.Body}");
            // Two releases side by side answer every endpoint, on each node, with the status each must give.
            if (versions.Distinct().Count() > 1)
                foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
                {
                    try
                    {
                        // The previous release does not serve the management API this release added.
                        await EndpointSweep.RunAsync(node.Client, $"{i}{n}", managementApi: versions[n] == to);
                    }
                    catch (Xunit.Sdk.XunitException e)
                    {
                        failures.Add($"after node {i} was replaced, the endpoint sweep on node {n} ({versions[n]}): {e.Message}");
                    }
                }
            replacements.Add($"node {i} ({was} -> {to}) at {begun.TotalSeconds:0.0} s: stopped in {stopTook.TotalSeconds:0.0} s, ready {readyTook.TotalSeconds:0.0} s " +
                             $"and Up as {to} in every member's view {wholeTook.TotalSeconds:0.0} s after its start");
        }
        var acknowledgedByThen = writer.AcknowledgedCount;
        await TestCluster.EventuallyAsync(() => Task.FromResult(writer.AcknowledgedCount), n => n > acknowledgedByThen,
            TimeSpan.FromSeconds(30), "an import acknowledged after the last replacement");
        var attempts = await writer.StopAsync();

        // The previous release stops its coordinator at once when the coordinator's node leaves (Akka's default hand-over):
        // an import under way then is cut between stages and answered 502, outcome unknown. The current build finishes it
        // first (ImportCoordinator.HandOver). That 502, while node 0 of the previous release leaves, is counted and
        // reported, not failed: the previous release cannot be changed. Anywhere else, and on the final restart of the
        // current build's coordinator node, it fails the test like any other answer.
        var oldCoordinatorCut = $"the import coordinator on {cluster.Address(0)} ended during the import";
        attempts = attempts.Select(a => a.Outcome == Outcome.Failed && a.Answer.StartsWith("502 ", StringComparison.Ordinal)
                                        && a.Answer.Contains(oldCoordinatorCut, StringComparison.Ordinal)
                                        && a.Sent >= oldCoordinatorLeaving.From && a.Sent <= oldCoordinatorLeaving.To
            ? a with { Outcome = Outcome.CutByPreviousRelease }
            : a).ToList();
        var cut = attempts.Where(a => a.Outcome == Outcome.CutByPreviousRelease).ToList();

        var wrong = attempts.Where(a => a.Outcome is not (Outcome.Acknowledged or Outcome.Refused or Outcome.CutByPreviousRelease)).ToList();
        if (wrong.Count > 0)
            failures.Add($"{wrong.Count} imports answered neither 200 without errors nor 503:\n" + string.Join("\n", wrong.Take(10).Select(a => "  " + a)));

        var acknowledged = attempts.Where(a => a.Outcome == Outcome.Acknowledged).ToList();
        var refused = attempts.Where(a => a.Outcome == Outcome.Refused).ToList();
        var exports = new string?[Size];
        for (var i = 0; i < Size; i++)
        {
            var export = await nodes[i].Client.GetReplyAsync("/data/export");
            if (export.Status != HttpStatusCode.OK)
            {
                failures.Add($"GET /data/export on node {i}: {(int)export.Status} {export.Body}");
                continue;
            }
            exports[i] = export.Body;
            var rules = UpgradeBundle.Names(export.Body, "rules");
            var missing = acknowledged.Where(a => !rules.Contains(a.Rule)).ToList();
            if (missing.Count > 0)
                failures.Add($"node {i}'s export lacks {missing.Count} of {acknowledged.Count} acknowledged imports: " + string.Join("; ", missing.Take(10)));
            var applied = refused.Where(a => rules.Contains(a.Rule)).ToList();
            if (applied.Count > 0)
                failures.Add($"node {i}'s export holds {applied.Count} imports answered 503 (nothing applied): " + string.Join("; ", applied.Take(10)));
            if (!Enumerable.Range(0, 100).All(r => rules.Contains($"br{r:000}")) || !UpgradeBundle.Names(export.Body, "uploads").Contains("notes.txt"))
                failures.Add($"node {i}'s export lacks rules of the base import or the uploaded file");
            var ruleStatus = await nodes[i].Client.GetStringAsync("/rules/br005/status");
            if (!ruleStatus.Contains("\"triggered\":false", StringComparison.Ordinal))
                failures.Add($"the rule stopped under the previous release is not stopped on node {i}: {ruleStatus}");
            var status = await nodes[i].Client.GetReplyAsync("/data/import/status");
            if (status.Status != HttpStatusCode.OK) failures.Add($"GET /data/import/status on node {i}: {(int)status.Status} {status.Body}");
        }
        var distinct = exports.Where(e => e is not null).Distinct(StringComparer.Ordinal).Count();
        if (distinct > 1)
            failures.Add($"the nodes' exports differ: {string.Join(", ", exports.Select((e, i) => $"node {i}: {e?.Length} bytes"))}");

        // The history the previous release wrote: its records are all there, and the configuration its first import left
        // reads back as it did under the previous release.
        var history = UpgradeBundle.HistoryIds(await nodes[1].Client.GetStringAsync("/data/imports?limit=5000"));
        var lost = oldHistory.Except(history).ToList();
        if (lost.Count > 0) failures.Add($"{lost.Count} of the {oldHistory.Count} import records of the previous release are gone: {string.Join(", ", lost.Take(10))}");
        if (history.Count < oldHistory.Count + acknowledged.Count(a => a.Sent >= oldHistoryRead))
            failures.Add($"the history holds {history.Count} records, fewer than the imports acknowledged");
        var baseAfter = await nodes[1].Client.GetReplyAsync($"/data/imports/{baseId}/export");
        if (baseAfter.Status != HttpStatusCode.OK || baseAfter.Body != baseImportExport)
            failures.Add($"the configuration the base import left, read back from the history, changed: {(int)baseAfter.Status}, {baseAfter.Body.Length} bytes, was {baseImportExport.Length}");

        // Every member runs the current build, in every member's view.
        foreach (var node in nodes)
        {
            var view = await node.Client.GetFromJsonAsync<ClusterMembersView>("/cluster/members", InspectionJson.Options);
            if (view is null || view.Members.Count != Size || view.Members.Any(m => m.Status != "Up" || !SameVersion(m.AppVersion, to)))
                failures.Add($"members seen from {node.BaseAddress}: {Describe(view)}");
        }

        // Imports kept going: the longest time without an acknowledged import, from the first import sent to the last answer.
        var points = acknowledged.Select(a => a.Answered).Prepend(TimeSpan.Zero).Append(attempts.Max(a => a.Answered)).Order().ToList();
        var longest = points.Zip(points.Skip(1), (a, b) => (From: a, Length: b - a)).MaxBy(g => g.Length);
        if (longest.Length > LongestWindowBound)
            failures.Add($"no import was acknowledged for {longest.Length.TotalSeconds:0.0} s from {longest.From.TotalSeconds:0.0} s (bound {LongestWindowBound.TotalSeconds:0} s)");

        var line = $"rolling upgrade {from} ({PreviousRelease.ShortCommit}) -> {to}: {acknowledged.Count} imports acknowledged, {refused.Count} refused (503), " +
                   $"{cut.Count} outcome unknown (502 as the previous release's coordinator left), {wrong.Count} other; longest window without an acknowledged import {longest.Length.TotalSeconds:0.0} s (from {longest.From.TotalSeconds:0.0} s); " +
                   $"{string.Join("; ", replacements)}; export {exports[0]?.Length} bytes on every node; " +
                   $"previous release's build {built.TotalSeconds:0.0} s, cluster up {started.TotalSeconds:0.0} s, test {clock.Elapsed.TotalSeconds:0.0} s";
        output.WriteLine(line);
        foreach (var a in refused) output.WriteLine("refused: " + a);
        foreach (var a in cut) output.WriteLine("outcome unknown: " + a);
        foreach (var a in wrong) output.WriteLine("other: " + a);
        UpgradeBundle.Record("rolling-upgrade.txt", line + (failures.Count > 0 ? $" FAILED: {failures.Count} checks" : ""));
        if (failures.Count > 0) WriteNodeOutputs(cluster);
        Assert.True(failures.Count == 0, $"{failures.Count} checks failed:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// Waits until the partitions stop moving: every region's shards spread over the three nodes as evenly as they go
    /// (at most one apart), where Akka's shard allocation leaves them. After members join, the coordinator moves shards
    /// to them a few at a time; a node that left while one of its shards was being moved held that shard for Akka's
    /// whole hand-off timeout (60 s) in one run of this test (Akka.Cluster.Sharding's rebalance waits for the leaving
    /// region's acknowledgement), on the previous release and this one alike. Operators are told the same
    /// (docs/operations.md#rolling-upgrades).
    /// </summary>
    private static async Task BalancedAsync(NodeProcess node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            var regions = (await node.Client.GetFromJsonAsync<RegionsView>("/cluster/sharding/regions", InspectionJson.Options))!.Regions;
            var uneven = new List<string>();
            foreach (var type in regions.Select(r => r.Type))
            {
                var stats = (await node.Client.GetFromJsonAsync<RegionStatsView>($"/cluster/sharding/regions/{type}/stats", InspectionJson.Options))!;
                var counts = stats.Nodes.Select(n => n.Answered ? n.Shards.Count : -1).ToList();
                if (counts.Count < Size || counts.Contains(-1) || counts.Max() - counts.Min() > 1)
                    uneven.Add($"{type}: {string.Join("/", counts)}");
            }
            if (uneven.Count == 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"the partitions never spread evenly: {string.Join(", ", uneven)}");
            await Task.Delay(1000);
        }
    }

    /// <summary>Waits until every node sees all members Up and reachable, each with the version it should run.</summary>
    private static async Task WholeAsync(TestCluster cluster, string[] versions)
    {
        async Task<string?> Mismatch()
        {
            foreach (var node in cluster.Nodes)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var view = await node.Client.GetFromJsonAsync<ClusterMembersView>("/cluster/members", InspectionJson.Options, timeout.Token);
                var whole = view is not null && view.Members.Count == Size && Enumerable.Range(0, Size).All(i =>
                    view.Members.Any(m => m.Address == cluster.Address(i) && m.Status == "Up" && m.Reachable && SameVersion(m.AppVersion, versions[i])));
                if (!whole) return $"seen from {node.BaseAddress}: {Describe(view)}";
            }
            return null;
        }
        await TestCluster.EventuallyAsync(Mismatch, m => m is null, WholeWithin,
            $"every member Up with versions {string.Join(", ", versions)}");
    }

    /// <summary>Akka's app version of a member against an assembly version (0.2.0); a fourth part or build metadata is not the node's doing.</summary>
    private static bool SameVersion(string appVersion, string version) =>
        appVersion == version || appVersion.StartsWith(version + ".", StringComparison.Ordinal) || appVersion.StartsWith(version + "+", StringComparison.Ordinal);

    private static string Describe(ClusterMembersView? view) =>
        view is null ? "no view" : string.Join(", ", view.Members.Select(m => $"{m.Address} {m.Status} {(m.Reachable ? "reachable" : "unreachable")} {m.AppVersion}"));

    /// <summary>The last lines of every node's output here; the whole of it in files under the test results (or the temp folder).</summary>
    private void WriteNodeOutputs(TestCluster cluster)
    {
        var dir = Path.Combine(Environment.GetEnvironmentVariable("KUIPER_TEST_RESULTS") ?? Path.GetTempPath(), $"rolling-upgrade-{cluster.Database.Name}");
        Directory.CreateDirectory(dir);
        output.WriteLine($"the nodes' whole output: {dir}/node<N>.log");
        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"node{i}.log"), cluster.Nodes[i].Output);
            var lines = cluster.Nodes[i].Output.Split('\n');
            output.WriteLine($"--- node {i} output, last {Math.Min(40, lines.Length)} of {lines.Length} lines ---");
            foreach (var line in lines.TakeLast(40)) output.WriteLine(line.Length > 400 ? line[..400] + "..." : line.TrimEnd());
        }
    }

    private enum Outcome { Acknowledged, Refused, Failed, CutByPreviousRelease }

    private sealed record Attempt(string Rule, int Node, TimeSpan Sent, TimeSpan Answered, Outcome Outcome, string Answer)
    {
        public override string ToString() =>
            $"{Rule} to node {Node} at {Sent.TotalSeconds:0.0} s: {Answer}{(Answer.Length > 0 ? " " : "")}after {(Answered - Sent).TotalSeconds:0.0} s";
    }

    /// <summary>
    /// One partial import at a time, one every <see cref="WriteEvery"/> at most, round robin over the nodes that are up;
    /// each adds a rule of its own. Imports are serialized cluster-wide anyway, so one at a time measures the gaps plainly.
    /// </summary>
    private sealed class Writer : IAsyncDisposable
    {
        private readonly IReadOnlyList<NodeProcess> _nodes;
        private readonly Stopwatch _clock;
        private readonly bool[] _live;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<Attempt> _attempts = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly HttpClient[] _clients;

        public Writer(IReadOnlyList<NodeProcess> nodes, Stopwatch clock)
        {
            _nodes = nodes;
            _clock = clock;
            _live = nodes.Select(_ => true).ToArray();
            _clients = nodes.Select(n => new HttpClient { BaseAddress = n.BaseAddress, Timeout = ClientTimeout }).ToArray();
            _loop = Task.Run(LoopAsync);
        }

        public TimeSpan Now => _clock.Elapsed;

        public int AcknowledgedCount { get { lock (_attempts) return _attempts.Count(a => a.Outcome == Outcome.Acknowledged); } }

        /// <summary>No more imports to <paramref name="node"/>; returns once none is under way there.</summary>
        public async Task ExcludeAsync(int node)
        {
            await _gate.WaitAsync();
            _live[node] = false;
            _gate.Release();
        }

        public void Include(int node) => _live[node] = true;

        private async Task LoopAsync()
        {
            var run = Guid.NewGuid().ToString("N")[..6];
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var next = Now + WriteEvery;
                await _gate.WaitAsync();
                try
                {
                    var up = Enumerable.Range(0, _nodes.Count).Where(i => _live[i]).ToList();
                    var node = up[n % up.Count];
                    var rule = $"w{run}_{n}";
                    var attempt = await SendAsync(node, rule, UpgradeBundle.Rules((rule, $"bs{n % 10}")));
                    lock (_attempts) _attempts.Add(attempt);
                }
                finally
                {
                    _gate.Release();
                }
                // The pace of the imports, by design (not a wait for something).
                var rest = next - Now;
                if (rest > TimeSpan.Zero)
                {
                    try { await Task.Delay(rest, _stop.Token); } catch (OperationCanceledException) { }
                }
            }
        }

        private async Task<Attempt> SendAsync(int node, string rule, string bundle)
        {
            var sent = Now;
            try
            {
                using var response = await _clients[node].PostAsync("/data/import?partial=1",
                    new StringContent(KuiperApi.ContentBody(bundle), Encoding.UTF8, "application/json"));
                var body = await response.Content.ReadAsStringAsync();
                var reply = new Reply(response.StatusCode, body, null);
                var outcome = UpgradeBundle.Succeeded(reply) ? Outcome.Acknowledged
                    : response.StatusCode == HttpStatusCode.ServiceUnavailable ? Outcome.Refused
                    : Outcome.Failed;
                return new Attempt(rule, node, sent, Now, outcome, outcome == Outcome.Acknowledged ? "200" : $"{(int)response.StatusCode} {body.TrimEnd()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return new Attempt(rule, node, sent, Now, Outcome.Failed, $"no answer: {e.GetType().Name} {e.Message}");
            }
        }

        /// <summary>Stops sending, waits for the import under way, and gives every attempt.</summary>
        public async Task<IReadOnlyList<Attempt>> StopAsync()
        {
            if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
            await _loop;
            lock (_attempts) return [.. _attempts];
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            foreach (var client in _clients) client.Dispose();
            _stop.Dispose();
            _gate.Dispose();
        }
    }
}
