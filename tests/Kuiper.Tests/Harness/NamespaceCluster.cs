using System.Diagnostics;
using System.Net.Http.Json;
using Kuiper.Node.Inspection;

namespace Kuiper.Tests.Harness;

/// <summary>
/// Real node processes, each in its own network namespace (<see cref="NamespaceNetwork"/>), sharing one private
/// PostgreSQL server that listens on the bridge address. Seeds as in docker-compose.cluster.yml: nodes 0 and 1, node 0
/// first; node 0 starts first, so it is the oldest and runs the singletons. The test process calls each node at its
/// namespace address (<see cref="NodeProcess.BaseAddress"/>).
/// The harness can cut a node off the others and heal it (<see cref="CutAsync"/>), kill and start a node again on the
/// same folder and addresses, and notices a node that exits by itself; with <see cref="RestartExited"/> it starts such a
/// node again at once, as compose's <c>restart: unless-stopped</c> does. What it did is in <see cref="Events"/>.
/// Disposal removes the processes, the namespaces, the links and the server, whatever happened before.
/// </summary>
public sealed class NamespaceCluster : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ClusterEvent> _events = [];
    private readonly SemaphoreSlim[] _locks;
    private readonly bool[] _stoppedOnPurpose;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<NodeProcess> _nodes = [];
    private Task _watch = Task.CompletedTask;

    private NamespaceCluster(NamespaceNetwork network, PostgresServer postgres, IReadOnlyList<int> remotingPorts)
    {
        Network = network;
        Postgres = postgres;
        RemotingPorts = remotingPorts;
        _locks = remotingPorts.Select(_ => new SemaphoreSlim(1, 1)).ToArray();
        _stoppedOnPurpose = new bool[remotingPorts.Count];
    }

    public NamespaceNetwork Network { get; }
    public PostgresServer Postgres { get; }
    public IReadOnlyList<NodeProcess> Nodes => _nodes;
    public IReadOnlyList<int> RemotingPorts { get; }

    /// <summary>Start a node that exited by itself again at once (compose's <c>restart: unless-stopped</c>).</summary>
    public bool RestartExited { get; set; }

    /// <summary>Time since the harness was created: the one clock of <see cref="Events"/> and of the tests' timelines.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<ClusterEvent> Events { get { lock (_events) return [.. _events]; } }

    /// <summary>The remoting address of node <paramref name="node"/> (<c>akka.tcp://kuiper@10.199.X.1N:port</c>).</summary>
    public string Address(int node) => $"akka.tcp://kuiper@{Network.Addresses[node]}:{RemotingPorts[node]}";

    /// <param name="size">at least 2 (two seeds)</param>
    /// <param name="restartExited">see <see cref="RestartExited"/></param>
    /// <param name="nodeArgs">more settings for each node, by index</param>
    public static async Task<NamespaceCluster> StartAsync(int size, bool restartExited = false, Func<int, string[]>? nodeArgs = null)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), "two seeds, as in docker-compose.cluster.yml");
        var network = await NamespaceNetwork.CreateAsync(size);
        PostgresServer postgres;
        try
        {
            postgres = await PostgresServer.StartAsync(network.BridgeCidr);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
        // Every namespace is empty, but free ports of this machine keep the addresses distinct and honest.
        var ports = Enumerable.Range(0, size).Select(_ => NodeProcess.FreeTcpPort()).ToList();
        var cluster = new NamespaceCluster(network, postgres, ports) { RestartExited = restartExited };
        try
        {
            var database = postgres.ConnectionStringFor(network.BridgeAddress);
            for (var i = 0; i < size; i++)
            {
                string[] args =
                [
                    "--Kuiper:Persistence:Provider=postgres", $"--Kuiper:Persistence:ConnectionString={database}",
                    $"--Kuiper:Cluster:Host={network.Addresses[i]}", $"--Kuiper:Cluster:Port={ports[i]}",
                    $"--Kuiper:Cluster:SeedNodes:0={cluster.Address(0)}", $"--Kuiper:Cluster:SeedNodes:1={cluster.Address(1)}",
                    .. nodeArgs?.Invoke(i) ?? [],
                ];
                cluster._nodes.Add(NodeProcess.PrepareIn(network.Addresses[i], NodeProcess.FreeTcpPort(), network.ExecPrefix(i), null, args));
            }
            cluster.Note(0, "started");
            await cluster._nodes[0].StartAgainAsync();
            await Task.WhenAll(Enumerable.Range(1, size - 1).Select(async i =>
            {
                cluster.Note(i, "started");
                await cluster._nodes[i].StartAgainAsync();
            }));
            cluster._watch = cluster.WatchAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Cuts node <paramref name="node"/> off the other nodes; it still reaches PostgreSQL and the test process.</summary>
    public async Task CutAsync(int node)
    {
        await Network.CutAsync(node);
        Note(node, "cut off the other nodes");
    }

    public async Task HealAsync(int node)
    {
        await Network.HealAsync(node);
        Note(node, "link to the other nodes healed");
    }

    /// <summary><c>kill -9</c>; the node stays down (no automatic restart) until <see cref="StartAgainAsync"/>.</summary>
    public async Task KillAsync(int node)
    {
        await _locks[node].WaitAsync();
        try
        {
            _stoppedOnPurpose[node] = true;
            await _nodes[node].KillAsync();
            Note(node, "killed (kill -9)");
        }
        finally
        {
            _locks[node].Release();
        }
    }

    /// <summary>Starts node <paramref name="node"/> again: same namespace, folder, HTTP and remoting addresses.</summary>
    public async Task StartAgainAsync(int node, bool waitUntilReady = false)
    {
        await _locks[node].WaitAsync();
        try
        {
            if (_nodes[node].Process is { HasExited: false }) throw new InvalidOperationException($"node {node} is running");
            _stoppedOnPurpose[node] = false;
            Note(node, "started again");
            await _nodes[node].StartAgainAsync(waitUntilReady: false);
        }
        finally
        {
            _locks[node].Release();
        }
        if (waitUntilReady)
            await TestCluster.EventuallyAsync(() => _nodes[node].Client.GetReplyAsync("/healthz/ready"),
                r => r.Status == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(90), $"node {node + 1} ready");
    }

    /// <summary>The membership as node <paramref name="node"/> sees it, or null when it does not answer within 5 s.</summary>
    public async Task<ClusterMembersView?> MembersAsync(int node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await _nodes[node].Client.GetFromJsonAsync<ClusterMembersView>("/cluster/members", InspectionJson.Options, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether every node sees the same whole cluster: every node's address, each Up and reachable, and nothing else.
    /// </summary>
    public async Task<bool> IsWholeAsync()
    {
        var expected = Enumerable.Range(0, _nodes.Count).Select(Address).Order().ToList();
        var views = await Task.WhenAll(Enumerable.Range(0, _nodes.Count).Select(MembersAsync));
        return views.All(view => view is not null
                                 && view.Members.Select(m => m.Address).Order().SequenceEqual(expected)
                                 && view.Members.All(m => m is { Status: "Up", Reachable: true }));
    }

    /// <summary>Every node's view of the membership, one line each (for failure messages and timelines).</summary>
    public async Task<string> DescribeMembersAsync()
    {
        var views = await Task.WhenAll(Enumerable.Range(0, _nodes.Count).Select(MembersAsync));
        return string.Join("\n", views.Select((view, i) => $"  node {i + 1} sees: " + (view is null
            ? "(no answer)"
            : $"leader {Short(view.Leader)}; " + string.Join(", ", view.Members.Select(m =>
                $"{Short(m.Address)} {m.Status}{(m.Reachable ? "" : " unreachable")}")))));
    }

    /// <summary>"node 2" for node 2's remoting address; the address itself when it is not one of ours.</summary>
    public string Short(string? address)
    {
        if (address is null) return "none";
        for (var i = 0; i < _nodes.Count; i++)
            if (address == Address(i)) return $"node {i + 1}";
        return address;
    }

    private void Note(int node, string what)
    {
        lock (_events) _events.Add(new ClusterEvent(Now, node, what));
    }

    /// <summary>Notices a node that exits by itself; starts it again when <see cref="RestartExited"/>.</summary>
    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                for (var i = 0; i < _nodes.Count; i++)
                {
                    if (!_locks[i].Wait(0)) continue;
                    try
                    {
                        var process = _nodes[i].Process;
                        if (_stoppedOnPurpose[i] || !process.HasExited) continue;
                        Note(i, $"exited by itself (code {process.ExitCode})");
                        if (!RestartExited)
                        {
                            _stoppedOnPurpose[i] = true; // noticed once; the test decides
                            continue;
                        }
                        Note(i, "started again (restart policy)");
                        await _nodes[i].StartAgainAsync(waitUntilReady: false);
                    }
                    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                        Note(i, $"could not be started again: {e.Message}");
                    }
                    finally
                    {
                        _locks[i].Release();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _watch; } catch (Exception) { /* the watcher only notes */ }
        try
        {
            foreach (var node in _nodes)
                try { await node.DisposeAsync(); } catch (InvalidOperationException) { /* never started */ }
        }
        finally
        {
            try
            {
                await Network.DisposeAsync();
            }
            finally
            {
                await Postgres.DisposeAsync();
            }
        }
    }
}

/// <summary>Something the harness did or saw, at <see cref="At"/> on <see cref="NamespaceCluster.Now"/>'s clock; <see cref="Node"/> from 0.</summary>
public sealed record ClusterEvent(TimeSpan At, int Node, string What)
{
    public override string ToString() => $"{At.TotalSeconds,7:0.0}s node {Node + 1}: {What}";
}
