using System.Text.Json;

namespace Kuiper.Bench;

public sealed record ClusterFigures(
    double SingleP50, double ClusterP50, ExportFigures ExportCoordinator, ExportFigures ExportOther, int BigN, int? BigStatus)
{
    public double Ratio => ClusterP50 / SingleP50;

    /// <summary>An export through a node without the coordinator over one through the coordinator's node, p50s.</summary>
    public double ExportRatio => ExportOther.P50 / ExportCoordinator.P50;
    public bool BigAccepted => BigStatus is >= 200 and < 300;

    /// <summary>--big-n 0: the big import was not run.</summary>
    public bool BigSkipped => BigN == 0;
}

/// <summary>
/// One node and a 3-node cluster on PostgreSQL (a database each). The same 10,000-resource import, --warmup uncounted
/// imports, then --runs counted runs on each; the cluster's go to node 3, while the import coordinator (a singleton, on
/// the oldest member) runs on node 1, the seed: an operator's worst case. After the warm-up imports the nodes are left to settle
/// (<see cref="Settling"/>) before the counted runs, on one node as on three. Then exports of what the imports left, through
/// node 1 and through node 3 (<see cref="ClusterExport"/>): the coordinator's node and another. Then the big import (--big-n, 500,000) through
/// node 3 with a client timeout, and every node's memory after it, whatever its outcome.
/// </summary>
public static class ClusterBench
{
    private const int Size = 3;
    private static readonly TimeSpan FormWithin = TimeSpan.FromSeconds(120);

    public static async Task<ClusterFigures> RunAsync(BenchOptions options)
    {
        var postgres = await PostgresServer.FindOrStartAsync();
        var body = ImportBody.Of(BenchBundle.Build(options.N).Json);

        double singleP50;
        await using (var single = await NodeUnderTest.StartAsync(options.NodeDll, "pg-single", await postgres.CreateDatabaseAsync("single")))
            singleP50 = await ImportRunsAsync(single, [single], body, options.WarmUps, options.Runs, "single");
        Console.WriteLine($"single_import_ms_p50={singleP50:F0} import_n={options.N} runs={options.Runs} warmup={options.WarmUps} (one node, PostgreSQL)");

        var nodes = await StartClusterAsync(options.NodeDll, await postgres.CreateDatabaseAsync("cluster"));
        try
        {
            var entry = nodes[Size - 1];
            var clusterP50 = await ImportRunsAsync(entry, nodes, body, options.WarmUps, options.Runs, "cluster");
            Console.WriteLine($"cluster_import_ms_p50={clusterP50:F0} import_n={options.N} runs={options.Runs} warmup={options.WarmUps} (3 nodes, PostgreSQL; sent to node 3, the coordinator runs on node 1: the worst case)");
            Console.WriteLine($"cluster_ratio={clusterP50 / singleP50:F2}");

            var coordinatorNode = nodes[0];
            await EnsureStillOldestAsync(coordinatorNode, nodes);
            var (viaCoordinator, viaOther) = await ClusterExport.RunAsync(coordinatorNode, entry, nodes, options.N, options.WarmUps, options.Runs);
            Console.WriteLine($"cluster_export_coordinator_ms_p50={viaCoordinator.P50:F0} cluster_export_coordinator_ms_p90={viaCoordinator.P90:F0} export_n={options.N} runs={options.Runs} warmup={options.WarmUps} (3 nodes, PostgreSQL; through {viaCoordinator.Via}, which hosts the coordinator)");
            Console.WriteLine($"cluster_export_noncoordinator_ms_p50={viaOther.P50:F0} cluster_export_noncoordinator_ms_p90={viaOther.P90:F0} export_n={options.N} runs={options.Runs} warmup={options.WarmUps} (3 nodes, PostgreSQL; through {viaOther.Via}, the coordinator on {viaCoordinator.Via})");
            Console.WriteLine($"cluster_export_ratio={viaOther.P50 / viaCoordinator.P50:F2} p90_ratio={viaOther.P90 / viaCoordinator.P90:F2} (non-coordinator / coordinator)");

            var bigStatus = options.BigN > 0 ? await BigImportAsync(options, nodes, entry) : null;
            return new ClusterFigures(singleP50, clusterP50, viaCoordinator, viaOther, options.BigN, bigStatus);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <summary>
    /// Imports through <paramref name="entry"/>: <paramref name="warmUps"/> uncounted, then every node of
    /// <paramref name="nodes"/> settles, then <paramref name="runs"/> counted.
    /// </summary>
    private static async Task<double> ImportRunsAsync(NodeUnderTest entry, IReadOnlyList<NodeUnderTest> nodes, byte[] body, int warmUps, int runs,
        string label)
    {
        for (var run = 1; run <= warmUps; run++)
        {
            var reply = (await ImportReply.PostAsync(entry.Client, "/data/import", body)).EnsureOk($"{label} import");
            Console.WriteLine($"  {label} warm-up {run}: import {reply.Ms:F0} ms (not counted)");
        }
        await Settling.SettleAsync(label, nodes);
        var cpuBefore = nodes.Select(n => n.CpuTime).ToList();
        var counted = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var reply = (await ImportReply.PostAsync(entry.Client, "/data/import", body)).EnsureOk($"{label} import");
            Console.WriteLine($"  {label} run {run}: import {reply.Ms:F0} ms");
            counted.Add(reply.Ms);
        }
        // The CPU each process spent per counted import: on 2 cores, three processes share what one had.
        Console.WriteLine($"  {label} cpu_ms_per_import " +
                          string.Join(" ", nodes.Select((n, i) => $"{n.Name}={(n.CpuTime - cpuBefore[i]).TotalMilliseconds / runs:F0}")));
        return Stats.Median(counted);
    }

    /// <summary>
    /// Node 1 seeds on free loopback ports; all three must be ready and see three Up members. Node 1 is ready, hence Up and
    /// the only member, before node 2 and 3 are launched: it stays the oldest member, where the coordinator singleton runs.
    /// </summary>
    private static async Task<List<NodeUnderTest>> StartClusterAsync(string nodeDll, string[] databaseArgs)
    {
        var ports = Enumerable.Range(0, Size).Select(_ => NodeUnderTest.FreePort()).ToList();
        var seed = $"akka.tcp://kuiper@127.0.0.1:{ports[0]}";
        string[] Args(int i) => [.. databaseArgs, $"--Kuiper:Cluster:Port={ports[i]}", $"--Kuiper:Cluster:SeedNodes:0={seed}"];

        var nodes = new List<NodeUnderTest>();
        try
        {
            nodes.Add(await NodeUnderTest.StartAsync(nodeDll, "node1", Args(0)));
            var alone = await MembersAsync(nodes[0]);
            if (alone.Members.Count != 1 || alone.Members[0].Address != alone.Self || alone.Members[0].Status != "Up")
                throw new InvalidOperationException($"node1, ready, should be the only member and Up; it sees {alone}");
            nodes.AddRange(Enumerable.Range(1, Size - 1).Select(i => NodeUnderTest.Launch(nodeDll, $"node{i + 1}", Args(i))));
            await Task.WhenAll(nodes.Select(n => n.WaitUntilReadyAsync(FormWithin)));
            await Task.WhenAll(nodes.Select(WaitForAllUpAsync));
            Console.WriteLine($"cluster: {Size} members Up, seed {seed}; the oldest, hosting the coordinator: node1 ({alone.Self}), Up alone before the others started");
            return nodes;
        }
        catch
        {
            foreach (var node in nodes) await node.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitForAllUpAsync(NodeUnderTest node)
    {
        var deadline = DateTime.UtcNow + FormWithin;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await node.Client.GetStringAsync("/cluster/members");
                using var members = JsonDocument.Parse(last);
                if (members.RootElement.GetProperty("members").EnumerateArray()
                        .Count(m => m.GetProperty("status").GetString() == "Up" && m.GetProperty("reachable").GetBoolean()) == Size)
                    return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{node.Name} did not see {Size} Up members within {FormWithin.TotalSeconds:F0} s; last: {last}");
    }

    private sealed record MembersSeen(string Self, IReadOnlyList<(string Address, string Status, bool Reachable)> Members)
    {
        public override string ToString() => $"self {Self}, members " + string.Join(", ", Members.Select(m => $"{m.Address} {m.Status}{(m.Reachable ? "" : " unreachable")}"));
    }

    private static async Task<MembersSeen> MembersAsync(NodeUnderTest node)
    {
        using var view = JsonDocument.Parse(await node.Client.GetStringAsync("/cluster/members"));
        return new MembersSeen(view.RootElement.GetProperty("self").GetString()!, view.RootElement.GetProperty("members").EnumerateArray()
            .Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!, m.GetProperty("reachable").GetBoolean()))
            .ToList());
    }

    /// <summary>
    /// The coordinator has not moved: every node still sees all <see cref="Size"/> members Up and reachable, node 1
    /// among them (a member that left and came back would be younger; the bench restarts none).
    /// </summary>
    private static async Task EnsureStillOldestAsync(NodeUnderTest oldest, IReadOnlyList<NodeUnderTest> nodes)
    {
        var address = (await MembersAsync(oldest)).Self;
        foreach (var node in nodes)
        {
            var seen = await MembersAsync(node);
            if (seen.Members.Count(m => m.Status == "Up" && m.Reachable) != Size || !seen.Members.Any(m => m.Address == address && m.Status == "Up"))
                throw new InvalidOperationException($"{node.Name} no longer sees {Size} Up members with {oldest.Name} ({address}) among them: {seen}");
        }
    }

    /// <summary>The big import, with its own client timeout; prints its outcome and every node's memory. Returns its status, null if none came.</summary>
    private static async Task<int?> BigImportAsync(BenchOptions options, List<NodeUnderTest> nodes, NodeUnderTest entry)
    {
        var body = ImportBody.Of(BenchBundle.Build(options.BigN).Json);
        Console.WriteLine($"big import: {options.BigN} resources, body {body.Length / (1024 * 1024)} MiB, through {entry.Name}, client timeout {options.BigTimeoutSeconds} s");
        using var client = new HttpClient { BaseAddress = entry.Address, Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.BigTimeoutSeconds));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int? status = null;
        string outcome;
        try
        {
            var reply = await ImportReply.PostAsync(client, "/data/import", body, timeout.Token);
            status = reply.Status;
            outcome = reply.Ok ? "accepted" : $"refused error={reply.Excerpt()}";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            outcome = $"no reply within the client timeout of {options.BigTimeoutSeconds} s";
        }
        catch (HttpRequestException e)
        {
            outcome = $"connection failed: {e.Message}";
        }
        Console.WriteLine($"big_import_n={options.BigN} status={status?.ToString() ?? "none"} ms={watch.Elapsed.TotalMilliseconds:F0} via=node3 {outcome}");
        Console.WriteLine("big_import_memory_mb " + string.Join(" ", nodes.Select(n => (n.Name, Use: n.Memory()))
            .Select(m => $"{m.Name}_rss={m.Use.RssMb:F0} {m.Name}_hwm={m.Use.HwmMb:F0}")));
        // What each node keeps once settled, as for the 100k figure.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Console.WriteLine("big_import_settled_mb " + string.Join(" ", nodes.Select(n => $"{n.Name}_rss={n.Memory().RssMb:F0}")) + " (5 s later)");
        return status;
    }
}
