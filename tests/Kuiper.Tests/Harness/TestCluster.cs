namespace Kuiper.Tests.Harness;

/// <summary>
/// Real node processes on loopback sharing one fresh PostgreSQL database; the first node seeds the cluster.
/// Each node keeps its remoting port, so a killed node can be started again at the same address.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(PostgresDatabase database, IReadOnlyList<NodeProcess> nodes, IReadOnlyList<int> ports)
    {
        Database = database;
        Nodes = nodes;
        RemotingPorts = ports;
    }

    public PostgresDatabase Database { get; }
    public IReadOnlyList<NodeProcess> Nodes { get; }
    public IReadOnlyList<int> RemotingPorts { get; }

    public string Address(int node) => $"akka.tcp://kuiper@127.0.0.1:{RemotingPorts[node]}";

    /// <param name="extraArgs">more settings for every node</param>
    public static Task<TestCluster> StartAsync(int size, params string[] extraArgs) => StartAsync(size, _ => extraArgs);

    /// <param name="nodeArgs">more settings for each node, by its index (0 seeds the cluster and runs its singletons)</param>
    public static Task<TestCluster> StartAsync(int size, Func<int, string[]> nodeArgs) => StartAsync(size, null, nodeArgs);

    /// <param name="dllPath">the node build every node runs (<see cref="NodeProcess.RunWith"/>); null: the current build</param>
    /// <param name="nodeArgs">more settings for each node, by its index (0 seeds the cluster and runs its singletons)</param>
    public static async Task<TestCluster> StartAsync(int size, string? dllPath, Func<int, string[]> nodeArgs)
    {
        var database = await PostgresDatabase.CreateAsync();
        var ports = Enumerable.Range(0, size).Select(_ => NodeProcess.FreeTcpPort()).ToList();
        var seed = $"akka.tcp://kuiper@127.0.0.1:{ports[0]}";
        string[] Args(int i) => [.. database.NodeArgs, $"--Kuiper:Cluster:Port={ports[i]}", $"--Kuiper:Cluster:SeedNodes:0={seed}", .. nodeArgs(i)];

        async Task<NodeProcess> Start(int i)
        {
            var node = NodeProcess.Prepare(null, Args(i)).RunWith(dllPath);
            await node.StartAgainAsync();
            return node;
        }
        var nodes = new List<NodeProcess> { await Start(0) };
        nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, size - 1).Select(Start)));
        return new TestCluster(database, nodes, ports);
    }

    /// <summary>Polls until <paramref name="check"/> holds, for a cluster that needs time to settle.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt, Func<T, bool> check, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        Exception? last = null;
        T? value = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                value = await attempt();
                if (check(value)) return value;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{what} did not happen within {within}; last value: {value}", last);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        await Database.DisposeAsync();
    }
}
