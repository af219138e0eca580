namespace Kuiper.Tests.Harness;

/// <summary>One node process shared by the tests of a class; each test sets the state it needs with a full import.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;

    public HttpClient Client => Node.Client;

    public async Task InitializeAsync() => Node = await NodeProcess.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Node process tests start processes and bind ports: they run one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NodeProcessCollection
{
    public const string Name = "node processes";
}
