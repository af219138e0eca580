using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Fencing;
using Kuiper.Actors.Database;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuiper.Tests.Fencing;

/// <summary>
/// Two actor systems on one PostgreSQL journal, each with its own writer id, run the same partition (what a split brain
/// or a second cluster on the same journal produces): the database admits only the writer that claimed the partition
/// last, the refused write is answered as not stored, and nothing that was acknowledged is missing from a recovery.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("needs PostgreSQL and starts clusters of node processes")]
public sealed class JournalFenceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IHost> _hosts = [];
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.StopAsync();
        await _database.DisposeAsync();
    }

    private async Task<ActorSystem> StartWriterAsync()
    {
        var settings = new PersistenceSettings { Provider = PersistenceSettings.Postgres, ConnectionString = _database.ConnectionString };
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services => services.AddAkka("fence", akka => akka
                .AddHocon("akka.loglevel = ERROR", HoconAddMode.Prepend)
                .WithKuiperSerialization(new KuiperSettings())
                .WithKuiperPersistence(settings, NodeProcess.NewDataDir())))
            .Build();
        await host.StartAsync();
        _hosts.Add(host);
        return host.Services.GetRequiredService<ActorSystem>();
    }

    private static IActorRef Partition(ActorSystem system) =>
        system.ActorOf(ResourcePartition.Props(ResourceKind.Streams.Declaration().Rules, PartitionScheme.EntityId(3)));

    private static ApplyBatch Batch(string name) =>
        new(ResourceKind.Streams, 3, $"batch-{name}", false,
            [new ResourceItem(name, $"CREATE STREAM {name} () WITH (TYPE=\"memory\", FORMAT=\"json\")")]);

    private static Task<BatchApplied> ApplyAsync(IActorRef partition, string name) => partition.Ask<BatchApplied>(Batch(name), Patience);

    private static async Task<IReadOnlyCollection<string>> NamesAsync(IActorRef partition) =>
        (await partition.Ask<PartitionContents>(new GetPartitionContents(ResourceKind.Streams, 3), Patience)).Resources.Keys.Order().ToList();

    [Fact]
    public async Task Only_the_last_claimant_writes_and_no_acknowledged_event_is_lost()
    {
        var (first, second) = (await StartWriterAsync(), await StartWriterAsync());
        Assert.NotEqual(JournalFence.Get(first).Writer, JournalFence.Get(second).Writer);

        var a = Partition(first);
        var acknowledged = await ApplyAsync(a, "one");
        Assert.Null(acknowledged.JournalFailure);
        Assert.Empty(acknowledged.Errors);

        // The same persistence id starts in the other system: it recovers "one" and claims the id.
        var b = Partition(second);
        Assert.Equal(["one"], await NamesAsync(b));
        var holder = JournalFence.Get(second).Writer;
        Assert.Equal(holder, await TestCluster.EventuallyAsync(() => JournalFence.Get(first).HolderAsync("streams-p03"),
            h => h == holder, Patience, "the second system holding the partition"));

        // The first one has not noticed: its write is refused by the database, and answered as not stored.
        var refused = await ApplyAsync(a, "two");
        Assert.NotNull(refused.JournalFailure);
        Assert.StartsWith("not stored: the journal did not take the write (", refused.JournalFailure);
        Assert.Contains("fenced: streams-p03 is now held by another node; this node's write was refused", refused.JournalFailure);
        Assert.Equal(refused.JournalFailure, refused.Errors["two"]);

        var taken = await ApplyAsync(b, "three");
        Assert.Null(taken.JournalFailure);

        // A third recovery sees exactly what was acknowledged, in order, with no gap and no event of the refused write.
        var third = await StartWriterAsync();
        Assert.Equal(["one", "three"], await NamesAsync(Partition(third)));
        Assert.Equal(2, await _database.CountAsync("SELECT COUNT(*) FROM journal WHERE persistence_id = 'streams-p03'"));
        Assert.Equal(2, await _database.CountAsync("SELECT MAX(sequence_number) FROM journal WHERE persistence_id = 'streams-p03'"));
    }

    [Fact]
    public async Task A_claim_tells_when_the_journal_holds_events_the_claimant_did_not_recover()
    {
        var system = await StartWriterAsync();
        var partition = Partition(system);
        Assert.Null((await ApplyAsync(partition, "one")).JournalFailure);
        Assert.Null((await ApplyAsync(partition, "two")).JournalFailure);

        var other = JournalFence.Get(await StartWriterAsync());
        var stale = await other.ClaimAsync("streams-p03", recoveredTo: 1);
        Assert.True(stale.Stale);
        Assert.Equal(2, stale.JournalHighest);
        Assert.False((await other.ClaimAsync("streams-p03", recoveredTo: 2)).Stale);

        // The partition lost the id to a claim it did not see: its next write is refused.
        Assert.NotNull((await ApplyAsync(partition, "three")).JournalFailure);
    }

    [Fact]
    public async Task A_writer_without_an_id_cannot_append_to_a_claimed_partition()
    {
        var partition = Partition(await StartWriterAsync());
        Assert.Null((await ApplyAsync(partition, "one")).JournalFailure);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _database.CountAsync(
            "INSERT INTO journal (persistence_id, sequence_number, deleted, created, manifest, message, identifier, writer_uuid) " +
            "VALUES ('streams-p03', 2, false, 0, '', '\\x00'::bytea, 0, 'tool') RETURNING 1"));
        Assert.Equal(JournalFence.FencedSqlState, error.SqlState);
        Assert.Contains("streams-p03 is held by a writer of the cluster", error.MessageText);
    }
}
