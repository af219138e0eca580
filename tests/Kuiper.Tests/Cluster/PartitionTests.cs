using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Xunit.Abstractions;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// Three nodes, each in its own network namespace, one PostgreSQL journal; one node is cut off the other two (it still
/// reaches PostgreSQL and the test) for a while, then healed, under a steady stream of small partial imports sent round
/// robin to every node. Afterwards: every acknowledged import is in every node's export, the exports are identical, the
/// majority took writes again soon after the cut, and the cut-off node said honestly and quickly that it cannot serve.
/// No operator acts; a node that exits by itself is started again at once, as compose's restart policy does.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("makes network namespaces and starts a cluster of node processes in them")]
public sealed class PartitionTests(ITestOutputHelper output)
{
    private const int Size = 3;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan CutFor = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan WriteEvery = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WholeWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The majority takes writes again within this of the cut, and never goes longer without one while cut.</summary>
    private static readonly TimeSpan MajorityBound = TimeSpan.FromSeconds(15);

    /// <summary>The cut-off node's readiness says 503 within this of the cut (plus <see cref="Slack"/>).</summary>
    private static readonly TimeSpan ReadinessBound = TimeSpan.FromSeconds(10);

    /// <summary>Once it knows, the cut-off node answers a request within this (plus <see cref="Slack"/>): a 503.</summary>
    private static readonly TimeSpan FastAnswerBound = TimeSpan.FromSeconds(2);

    /// <summary>For a loaded 2-core machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    private enum Scenario { Follower, Coordinator, CoordinatorRestartedWhileCut }

    [NetworkNamespaceFact]
    public Task A_follower_cut_off_loses_no_acknowledged_import_and_says_it_cannot_serve() =>
        RunAsync(Scenario.Follower, victim: 2);

    [NetworkNamespaceFact]
    public Task The_coordinators_node_cut_off_loses_no_acknowledged_import_and_says_it_cannot_serve() =>
        RunAsync(Scenario.Coordinator, victim: 0);

    [NetworkNamespaceFact]
    public Task The_coordinators_node_cut_off_and_restarted_while_cut_off_forms_no_second_cluster() =>
        RunAsync(Scenario.CoordinatorRestartedWhileCut, victim: 0);

    private async Task RunAsync(Scenario scenario, int victim)
    {
        var failures = new List<string>();
        var cluster = await NamespaceCluster.StartAsync(Size, restartExited: true);
        var completed = false;
        try
        {
            await RunScenarioAsync(cluster, scenario, victim, failures);
            completed = true;
        }
        finally
        {
            if (!completed || failures.Count > 0) WriteNodeOutputs(cluster);
            await cluster.DisposeAsync();
            // The harness cleans up after itself, failed or not.
            var left = await cluster.Network.LeftoversAsync();
            output.WriteLine(left.Count == 0 ? $"network {cluster.Network.Tag} removed" : "left behind: " + string.Join("; ", left));
            if (left.Count > 0) failures.Add("harness: the network was not removed: " + string.Join("; ", left));
        }
        Assert.True(failures.Count == 0, $"{failures.Count} checks failed:\n" + string.Join("\n", failures));
    }

    private async Task RunScenarioAsync(NamespaceCluster cluster, Scenario scenario, int victim, List<string> failures)
    {
        var majority = Enumerable.Range(0, Size).Where(i => i != victim).ToArray();
        var formed = await Within(TimeSpan.FromSeconds(45), cluster.IsWholeAsync);
        Assert.True(formed, "harness: the three nodes did not form one cluster across the namespaces:\n" + await cluster.DescribeMembersAsync());
        output.WriteLine($"scenario {scenario}: node {victim + 1} is cut off; network {cluster.Network.Tag}, " +
                         $"nodes {string.Join(", ", cluster.Network.Addresses)}, PostgreSQL at {cluster.Network.BridgeAddress}");
        output.WriteLine($"{cluster.Now.TotalSeconds:0.0}s: one cluster of {Size}");

        using var clients = new Clients(cluster.Nodes.Select(n => n.BaseAddress));
        await using var writer = new Writer(cluster, clients);
        await using var readiness = new ReadinessWatch(cluster, clients);

        await Phase(WarmUp);
        Assert.True(writer.Acknowledged(majority.Append(victim)).Any(), "harness: no import was acknowledged during the warm-up:\n" + writer.Summary());

        // The cut.
        var cut = cluster.Now;
        await cluster.CutAsync(victim);
        if (scenario == Scenario.CoordinatorRestartedWhileCut)
        {
            await cluster.KillAsync(victim);
            await cluster.StartAgainAsync(victim);
        }

        // The harness itself: node-to-node traffic is cut both ways; PostgreSQL and the test still reach the node.
        var other = majority[0];
        var pgPort = new Npgsql.NpgsqlConnectionStringBuilder(cluster.Postgres.ConnectionString).Port;
        Assert.False(await cluster.Network.CanConnectAsync(victim, cluster.Network.Addresses[other], cluster.RemotingPorts[other]),
            "harness: the cut-off node still reaches another node");
        Assert.False(await cluster.Network.CanConnectAsync(other, cluster.Network.Addresses[victim], cluster.Nodes[victim].HttpPort),
            "harness: another node still reaches the cut-off node");
        Assert.True(await cluster.Network.CanConnectAsync(other, cluster.Network.Addresses[majority[1]], cluster.RemotingPorts[majority[1]]),
            "harness: the majority's nodes do not reach each other");
        Assert.True(await cluster.Network.CanConnectAsync(victim, cluster.Network.BridgeAddress, pgPort), "harness: the cut-off node does not reach PostgreSQL");
        Assert.True(await cluster.Network.CanConnectAsync(other, cluster.Network.BridgeAddress, pgPort), "harness: the majority does not reach PostgreSQL");

        // Until the heal: when does the majority see the cut node unreachable (or gone)?
        TimeSpan? seenUnreachable = null;
        var healAt = cut + CutFor;
        while (cluster.Now < healAt)
        {
            if (seenUnreachable is null && await cluster.MembersAsync(other) is { } view
                && !view.Members.Any(m => m.Address == cluster.Address(victim) && m.Reachable && m.Status == "Up"))
                seenUnreachable = cluster.Now;
            await Phase(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(0, (healAt - cluster.Now).TotalMilliseconds))));
        }
        var majorityView = await cluster.DescribeMembersAsync();
        if (seenUnreachable is null) failures.Add("harness: the majority never saw the cut-off node unreachable or gone:\n" + majorityView);

        var heal = cluster.Now;
        await cluster.HealAsync(victim);
        Assert.True(await cluster.Network.CanConnectAsync(victim, cluster.Network.BridgeAddress, pgPort), "harness: PostgreSQL lost after the heal");
        var whole = await Within(WholeWithin, cluster.IsWholeAsync) ? cluster.Now : (TimeSpan?)null;
        var membersAfter = await cluster.DescribeMembersAsync();
        await writer.StopAsync();
        await readiness.StopAsync();

        // The timeline.
        output.WriteLine($"{cut.TotalSeconds:0.0}s: cut node {victim + 1}{(scenario == Scenario.CoordinatorRestartedWhileCut ? ", killed and started again at once" : "")}");
        output.WriteLine(seenUnreachable is { } s
            ? $"{s.TotalSeconds:0.0}s: the majority sees node {victim + 1} unreachable or gone (+{(s - cut).TotalSeconds:0.0}s)"
            : "the majority never saw the cut node unreachable");
        output.WriteLine("membership just before the heal:\n" + majorityView);
        output.WriteLine($"{heal.TotalSeconds:0.0}s: healed");
        output.WriteLine(whole is { } w
            ? $"{w.TotalSeconds:0.0}s: one cluster of {Size} again (+{(w - heal).TotalSeconds:0.0}s after the heal)"
            : $"not one cluster {WholeWithin.TotalSeconds:0}s after the heal:\n{membersAfter}");
        output.WriteLine("harness events:");
        foreach (var e in cluster.Events) output.WriteLine("  " + e);
        output.WriteLine("readiness changes:");
        foreach (var r in readiness.Changes) output.WriteLine("  " + r);
        output.WriteLine(writer.Summary(cut, heal));

        if (whole is null) failures.Add($"the cluster was not whole {WholeWithin.TotalSeconds:0}s after the heal (no operator action):\n{membersAfter}");

        // 1. The majority acknowledged a write again soon after the cut, and kept doing so.
        var majorityAcks = writer.Attempts
            .Where(a => majority.Contains(a.Node) && a.Outcome == "200" && a.Sent >= cut && a.Answered <= heal)
            .Select(a => a.Answered!.Value).Order().ToList();
        var firstAck = majorityAcks.Count > 0 ? majorityAcks[0] : (TimeSpan?)null;
        var points = majorityAcks.Prepend(cut).Append(heal).ToList();
        var gaps = points.Zip(points.Skip(1), (a, b) => (From: a, Length: b - a)).ToList();
        var largest = gaps.MaxBy(g => g.Length);
        output.WriteLine(firstAck is { } f
            ? $"first majority 200 for an import sent after the cut: {f.TotalSeconds:0.0}s (+{(f - cut).TotalSeconds:0.0}s after the cut)"
            : "no majority 200 for an import sent after the cut, until the heal");
        output.WriteLine($"largest gap between majority 200s from the cut to the heal: {largest.Length.TotalSeconds:0.0}s from {largest.From.TotalSeconds:0.0}s");
        if (firstAck is null || firstAck.Value - cut > MajorityBound)
            failures.Add($"the majority did not acknowledge an import within {MajorityBound.TotalSeconds:0}s of the cut " +
                         $"(first: {(firstAck is { } v ? $"+{(v - cut).TotalSeconds:0.0}s" : "none until the heal")})");
        else if (largest.Length > MajorityBound)
            failures.Add($"the majority acknowledged nothing for {largest.Length.TotalSeconds:0.0}s from {largest.From.TotalSeconds:0.0}s (bound {MajorityBound.TotalSeconds:0}s)");

        // 2. Readiness on the cut-off node says 503 within the bound.
        var readinessFlip = readiness.Changes.FirstOrDefault(c => c.Node == victim && c.At >= cut && c.State is "503" or CutOffState);
        output.WriteLine(readinessFlip is { } flip
            ? $"node {victim + 1} readiness first 503 at {flip.At.TotalSeconds:0.0}s (+{(flip.At - cut).TotalSeconds:0.0}s after the cut)"
            : $"node {victim + 1} readiness never answered 503 while cut");
        if (readinessFlip is null || readinessFlip.At - cut > ReadinessBound + Slack)
            failures.Add($"GET /healthz/ready on the cut-off node did not answer 503 within {ReadinessBound.TotalSeconds:0}s (+{Slack.TotalSeconds:0}s) of the cut " +
                         $"({(readinessFlip is { } r ? $"first at +{(r.At - cut).TotalSeconds:0.0}s" : "never")}; its states: " +
                         string.Join(", ", readiness.Changes.Where(c => c.Node == victim && c.At >= cut).Select(c => $"{c.State} at +{(c.At - cut).TotalSeconds:0.0}s")) + ")");

        // ... and it does not say ready again while it is cut off (a node that formed a cluster of its own would).
        if (readinessFlip is { } said503 && readiness.Changes.FirstOrDefault(c => c.Node == victim && c.At > said503.At && c.At < heal && c.State == "200") is { } ready)
            failures.Add($"GET /healthz/ready on the cut-off node answered 200 again at +{(ready.At - cut).TotalSeconds:0.0}s after the cut, while still cut off");

        // 3. Once it knows it is cut off (its readiness says so; a 503 for one unreachable member is not that yet), or at the
        // latest the bound, the cut-off node answers quickly: 503 with the envelope.
        var knowsCutOff = readiness.Changes.FirstOrDefault(c => c.Node == victim && c.At >= cut && c.State == CutOffState);
        output.WriteLine(knowsCutOff is { } said
            ? $"node {victim + 1} readiness says it is cut off at {said.At.TotalSeconds:0.0}s (+{(said.At - cut).TotalSeconds:0.0}s after the cut)"
            : $"node {victim + 1} readiness never said it is cut off");
        var knows = knowsCutOff is { } k && k.At - cut <= ReadinessBound ? k.At : cut + ReadinessBound;
        var toVictim = writer.Attempts.Where(a => a.Node == victim && a.Sent >= knows && a.Sent < heal).ToList();
        // A request that reaches the node as it exits (downed) can meet a connection the server is closing: as good as refused.
        var exits = cluster.Events.Where(e => e.Node == victim && e.What.StartsWith("exited by itself", StringComparison.Ordinal)).Select(e => e.At).ToList();
        bool ProcessDown(Attempt a) => a.Outcome == "refused" || (a.Outcome == "error" && exits.Any(exit => a.Sent <= exit && exit - a.Sent <= TimeSpan.FromSeconds(1)));
        var wrong = toVictim.Where(a => !ProcessDown(a) && !(a.Outcome == "503" && IsEnvelope(a.Body) && a.Took <= FastAnswerBound + Slack)).ToList();
        output.WriteLine($"imports sent to node {victim + 1} from {knows.TotalSeconds:0.0}s (it knows) to the heal: {toVictim.Count}, " +
                         $"{toVictim.Count(ProcessDown)} refused or cut as the process went down, {wrong.Count} not a quick 503 with the envelope");
        if (wrong.Count > 0)
            failures.Add($"the cut-off node did not answer {wrong.Count} of {toVictim.Count} imports sent once it knew with a 503 and the envelope within " +
                         $"{(FastAnswerBound + Slack).TotalSeconds:0}s; e.g.\n" + string.Join("\n", wrong.Take(5).Select(a => "  " + a)));

        // 4. Every acknowledged import is in every node's export, and the exports are the same bytes.
        var acknowledged = writer.Attempts.Where(a => a.Outcome == "200").Select(a => a.Item).ToList();
        var exports = await Task.WhenAll(cluster.Nodes.Select(async (node, i) =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(ExportTimeout);
                using var response = await node.Client.GetAsync("/data/export", timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK) return body;
                lock (failures) failures.Add($"GET /data/export on node {i + 1}: {(int)response.StatusCode} {body}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lock (failures) failures.Add($"GET /data/export on node {i + 1}: no answer within {ExportTimeout.TotalSeconds:0}s ({e.GetType().Name})");
            }
            return null;
        }));
        for (var i = 0; i < Size; i++)
        {
            if (exports[i] is not { } export) continue;
            var streams = Streams(export);
            var missing = acknowledged.Where(item => !streams.Contains(item)).ToList();
            output.WriteLine($"node {i + 1} export: {streams.Count} streams, {export.Length} bytes; acknowledged but missing: {missing.Count}");
            if (missing.Count > 0)
                failures.Add($"node {i + 1}'s export lacks {missing.Count} of {acknowledged.Count} acknowledged imports: " +
                             string.Join(", ", missing.Take(20).Select(m => $"{m} ({writer.Describe(m)})")));
        }
        var distinct = exports.Where(e => e is not null).Distinct(StringComparer.Ordinal).Count();
        if (distinct > 1) failures.Add($"the nodes' exports differ ({distinct} different exports of {Size})");

        // 5. No operator action: the only harness actions were the cut, the heal, the scenario's restart and the restart policy.
        var actions = cluster.Events.Where(e => e.What.StartsWith("killed") || e.What == "started again").ToList();
        var expected = scenario == Scenario.CoordinatorRestartedWhileCut ? 2 : 0;
        Assert.True(actions.Count == expected, "harness: unexpected operator actions: " + string.Join("; ", actions));

        output.WriteLine("checks: " + (failures.Count == 0 ? "all held" : string.Join("\n", failures)));
    }

    private static bool IsEnvelope(string? body)
    {
        try
        {
            using var json = JsonDocument.Parse(body ?? "");
            return json.RootElement.ValueKind == JsonValueKind.Object
                   && json.RootElement.TryGetProperty("error", out _)
                   && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static HashSet<string> Streams(string export)
    {
        using var json = JsonDocument.Parse(export);
        return json.RootElement.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Object
            ? streams.EnumerateObject().Select(p => p.Name).ToHashSet()
            : [];
    }

    /// <summary>A phase of the scenario lasts this long, by design (not a wait for something).</summary>
    private static Task Phase(TimeSpan length) => Task.Delay(length);

    private static async Task<bool> Within(TimeSpan bound, Func<Task<bool>> check)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            if (await check()) return true;
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(500);
        }
    }

    /// <summary>The last lines of every node's output here; the whole of it in files under the test results (or the temp folder).</summary>
    private void WriteNodeOutputs(NamespaceCluster cluster)
    {
        var dir = Path.Combine(Environment.GetEnvironmentVariable("KUIPER_TEST_RESULTS") ?? Path.GetTempPath(),
            $"partition-{cluster.Network.Tag}");
        Directory.CreateDirectory(dir);
        output.WriteLine($"the nodes' whole output: {dir}/node<N>.log");
        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"node{i + 1}.log"), cluster.Nodes[i].Output);
            var lines = cluster.Nodes[i].Output.Split('\n');
            output.WriteLine($"--- node {i + 1} output, last {Math.Min(40, lines.Length)} of {lines.Length} lines ---");
            foreach (var line in lines.TakeLast(40)) output.WriteLine(line.Length > 400 ? line[..400] + "..." : line.TrimEnd());
        }
    }

    /// <summary>One HTTP client per node with the client timeout the writer and the readiness watch use.</summary>
    private sealed class Clients(IEnumerable<Uri> nodes) : IDisposable
    {
        public IReadOnlyList<HttpClient> All { get; } = nodes.Select(uri => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionLifetime = TimeSpan.FromSeconds(10),
        })
        { BaseAddress = uri, Timeout = ClientTimeout }).ToList();

        public void Dispose()
        {
            foreach (var client in All) client.Dispose();
        }
    }

    /// <summary>What one request ended with: "200", "503" (any status), "timeout", "refused" or "error".</summary>
    private sealed record Attempt(string Item, int Node, TimeSpan Sent, TimeSpan? Answered, string Outcome, string? Body)
    {
        public TimeSpan Took => (Answered ?? Sent) - Sent;

        public override string ToString() =>
            $"{Item} to node {Node + 1} at {Sent.TotalSeconds:0.0}s: {Outcome} after {Took.TotalSeconds:0.0}s" +
            (Body is { Length: > 0 } b ? $" {(b.Length > 200 ? b[..200] + "..." : b)}" : "");
    }

    private static async Task<Attempt> SendAsync(Func<TimeSpan> now, HttpClient client, int node, string item, string path, string? body)
    {
        var sent = now();
        try
        {
            using var response = body is null
                ? await client.GetAsync(path)
                : await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            return new Attempt(item, node, sent, now(), ((int)response.StatusCode).ToString(), text);
        }
        catch (TaskCanceledException)
        {
            return new Attempt(item, node, sent, now(), "timeout", null);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return new Attempt(item, node, sent, now(), "refused", null);
        }
        catch (HttpRequestException e)
        {
            return new Attempt(item, node, sent, now(), "error", e.Message);
        }
    }

    /// <summary>One small partial import every <see cref="WriteEvery"/>, round robin; each a new stream.</summary>
    private sealed class Writer : IAsyncDisposable
    {
        private readonly List<Task<Attempt>> _sent = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly string _run = Guid.NewGuid().ToString("N")[..6];

        public Writer(NamespaceCluster cluster, Clients clients)
        {
            _loop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(WriteEvery);
                var n = 0;
                try
                {
                    do
                    {
                        var node = n % clients.All.Count;
                        var item = $"s{_run}_{n++}";
                        var bundle = "{\"streams\":{\"" + item + "\":\"CREATE STREAM " + item + " () WITH (TYPE=\\\"memory\\\", FORMAT=\\\"json\\\")\"}}";
                        lock (_sent)
                            _sent.Add(SendAsync(() => cluster.Now, clients.All[node], node, item, "/data/import?partial=1", KuiperApi.ContentBody(bundle)));
                    } while (await timer.WaitForNextTickAsync(_stop.Token));
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public IReadOnlyList<Attempt> Attempts { get; private set; } = [];

        public IEnumerable<Attempt> Acknowledged(IEnumerable<int> nodes)
        {
            List<Task<Attempt>> sent;
            lock (_sent) sent = [.. _sent];
            return sent.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).Where(a => a.Outcome == "200" && nodes.Contains(a.Node));
        }

        /// <summary>Stops sending and waits for the answers (each within the client timeout).</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            List<Task<Attempt>> sent;
            lock (_sent) sent = [.. _sent];
            Attempts = await Task.WhenAll(sent);
        }

        public string Describe(string item) => Attempts.FirstOrDefault(a => a.Item == item)?.ToString() ?? "?";

        public string Summary() => $"{Acknowledged(Enumerable.Range(0, Size)).Count()} acknowledged so far";

        /// <summary>Per node and phase (before the cut, while cut, after the heal): how many answers of each kind.</summary>
        public string Summary(TimeSpan cut, TimeSpan heal)
        {
            var lines = new StringBuilder($"imports sent: {Attempts.Count}, acknowledged: {Attempts.Count(a => a.Outcome == "200")}\n");
            foreach (var (phase, from, to) in new[] { ("before the cut", TimeSpan.Zero, cut), ("while cut", cut, heal), ("after the heal", heal, TimeSpan.MaxValue) })
            {
                lines.AppendLine($"  {phase}:");
                foreach (var node in Attempts.Select(a => a.Node).Distinct().Order())
                {
                    var mine = Attempts.Where(a => a.Node == node && a.Sent >= from && a.Sent < to).ToList();
                    var counts = mine.GroupBy(a => a.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
                    var times = mine.Select(a => a.Took.TotalSeconds).Order().ToList();
                    var (median, slowest) = times.Count > 0 ? (times[times.Count / 2], times[^1]) : (0, 0);
                    lines.AppendLine($"    node {node + 1}: {string.Join(", ", counts)}; answered in {median:0.00}s (median), {slowest:0.0}s (slowest)");
                }
            }
            return lines.ToString().TrimEnd();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested) await StopAsync();
            _stop.Dispose();
        }
    }

    /// <summary>A readiness state change of one node: "200", "503", "timeout", "refused"...</summary>
    private sealed record ReadinessChange(TimeSpan At, int Node, string State)
    {
        public override string ToString() => $"{At.TotalSeconds,7:0.0}s node {Node + 1}: {State}";
    }

    /// <summary>The readiness state of a node whose 503 says it is cut off from the cluster.</summary>
    private const string CutOffState = "503 cut off";

    /// <summary>Polls GET /healthz/ready on every node every half second and keeps the changes.</summary>
    private sealed class ReadinessWatch : IAsyncDisposable
    {
        private readonly List<ReadinessChange> _changes = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public ReadinessWatch(NamespaceCluster cluster, Clients clients)
        {
            _loop = Task.WhenAll(clients.All.Select((client, node) => Task.Run(async () =>
            {
                string? last = null;
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
                try
                {
                    do
                    {
                        var attempt = await SendAsync(() => cluster.Now, client, node, "ready", "/healthz/ready", null);
                        // The reply says why it is not ready: a node that knows it is cut off says so.
                        var state = attempt.Outcome == "503" && attempt.Body?.Contains("cut off from the cluster") == true ? CutOffState : attempt.Outcome;
                        if (state == last) continue;
                        last = state;
                        lock (_changes) _changes.Add(new ReadinessChange(attempt.Answered ?? attempt.Sent, node, state));
                    } while (await timer.WaitForNextTickAsync(_stop.Token));
                }
                catch (OperationCanceledException)
                {
                }
            })));
        }

        public IReadOnlyList<ReadinessChange> Changes { get { lock (_changes) return [.. _changes.OrderBy(c => c.At)]; } }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested) await StopAsync();
            _stop.Dispose();
        }
    }
}
