using Akka.Actor;
using MemberStatus = Akka.Cluster.MemberStatus;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;
using Kuiper.Node;
using Kuiper.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// Two actor systems in one process, composed with the node's own hosting extensions and sharing one SQLite
/// journal: a member leaving gracefully hands its partitions over in the middle of an import, and nothing is lost.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("forms a two-member Akka cluster in process and waits out a member leaving: about 18 s, alone")]
public sealed class HandOffTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _dataDir = NodeProcess.NewDataDir();
    private readonly List<IHost> _hosts = [];
    private readonly Dictionary<IHost, KuiperSettings> _settings = [];

    private async Task<IHost> StartMemberAsync(int port, int seedPort)
    {
        var settings = new KuiperSettings
        {
            DataDir = _dataDir,
            Cluster = new ClusterSettings { Port = port, SeedNodes = [$"akka.tcp://kuiper@127.0.0.1:{seedPort}"] },
            // Short retries: a batch sent to a partition that is being handed over is sent again soon.
            Import = new ImportSettings { BatchRetryInterval = TimeSpan.FromSeconds(2), BatchAttempts = 30 },
        };
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services => services.AddAkka(ClusterSettings.SystemName, akka => akka
                .AddHocon(NodeDefaults.LoadHocon(), HoconAddMode.Prepend)
                .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
                .WithKuiperNode(settings)))
            .Build();
        await host.StartAsync();
        _hosts.Add(host);
        _settings[host] = settings;
        return host;
    }

    private static ActorSystem System(IHost host) => host.Services.GetRequiredService<ActorSystem>();

    /// <summary>The member's way to the coordinator, as its endpoints have it.</summary>
    private CoordinatorClient Client(IHost host) => CoordinatorHostingExtensions.CoordinatorClient(System(host), _settings[host]);

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} within {Patience}");
            await Task.Delay(200);
        }
    }

    private static Bundle Rules(int count, string sqlTag) => new(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
    {
        [ResourceKind.Rules] = Enumerable.Range(0, count).ToDictionary(i => $"r{i}",
            i => $$$"""{"id":"r{{{i}}}","sql":"SELECT {{{sqlTag}}} FROM s","actions":[{"log":{}}]}"""),
    });

    [Fact]
    public async Task A_member_leaving_during_an_import_hands_its_partitions_over_without_losing_a_batch()
    {
        int first = NodeProcess.FreeTcpPort(), second = NodeProcess.FreeTcpPort();
        var a = await StartMemberAsync(first, first);
        var b = await StartMemberAsync(second, first);
        await EventuallyAsync(() => Akka.Cluster.Cluster.Get(System(a)).State.Members.Count(m => m.Status == MemberStatus.Up) == 2,
            "two members up");

        // The coordinator singleton lives on the oldest member, a; partitions spread over both.
        var coordinator = Client(a);
        var warmUp = await coordinator.ImportAsync(new StartImport("warm-up", Rules(400, "0"), ImportMode.Full), CancellationToken.None).WaitAsync(Patience);
        Assert.True(warmUp.Report!.Succeeded);

        var running = coordinator.ImportAsync(new StartImport("during-leave", Rules(4_000, "1"), ImportMode.Full), CancellationToken.None)
            .WaitAsync(Patience * 2);
        await CoordinatedShutdown.Get(System(b)).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);

        var report = (await running).Report!;
        Assert.True(report.Succeeded, string.Join("; ", report.Errors.SelectMany(e => e.Value.Values).Take(3)));
        Assert.True(System(b).WhenTerminated.IsCompleted);

        var exported = await coordinator.ExportAsync(CancellationToken.None).WaitAsync(Patience);
        var rules = exported[ResourceKind.Rules];
        Assert.Equal(4_000, rules.Count);
        Assert.All(rules.Values, rule => Assert.Contains("SELECT 1 FROM s", rule));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            try { await host.StopAsync(TimeSpan.FromSeconds(20)); } catch (OperationCanceledException) { }
            host.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
