using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>
/// The configuration as it was at recorded journal positions: each partition's events replayed up to its position.
/// The journal already keeps every batch once (an unchanged batch writes nothing), so a hundred imports of the same
/// fleet keep one copy of what did not change; the import history only keeps positions.
/// </summary>
public sealed class PartitionHistory(ActorSystem system)
{
    /// <summary>Partitions replayed at once: the journal's database is shared with the live node.</summary>
    private const int Parallel = 8;

    /// <summary>The persistence ids that have written anything (partitions that never did stand at position 0).</summary>
    public async Task<IReadOnlySet<string>> PersistedIdsAsync(CancellationToken cancellationToken)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await journal.CurrentPersistenceIds().RunForeach(id => ids.Add(id), system.Materializer());
        return ids;
    }

    public async Task<Bundle> StateAtAsync(IReadOnlyDictionary<string, long> positions, CancellationToken cancellationToken)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var materializer = system.Materializer();
        var states = new Dictionary<(ResourceKind Kind, int Partition), PartitionState>();
        using var gate = new SemaphoreSlim(Parallel);
        await Task.WhenAll(PartitionScheme.All().Select(async partition =>
        {
            var upTo = positions.GetValueOrDefault(PartitionScheme.PersistenceId(partition.Kind, partition.Partition));
            if (upTo <= 0) return;
            await gate.WaitAsync(cancellationToken);
            try
            {
                var state = new PartitionState();
                await journal.CurrentEventsByPersistenceId(PartitionScheme.PersistenceId(partition.Kind, partition.Partition), 0, upTo)
                    .RunForeach(envelope =>
                    {
                        if (envelope.Event is BatchStored stored) state.Apply(stored);
                    }, materializer);
                lock (states) states[partition] = state;
            }
            finally
            {
                gate.Release();
            }
        }));
        return new Bundle(ResourceKinds.All.ToDictionary(kind => kind, kind =>
        {
            var section = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var ((k, _), state) in states)
                if (k == kind) foreach (var (name, definition) in state.Resources) section[name] = definition;
            return (IReadOnlyDictionary<string, string>)section;
        }));
    }
}
