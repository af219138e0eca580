using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Hosting;

public static class PartitionWarmUpHostingExtensions
{
    /// <summary>A persistence id no partition or record uses: reading it touches nothing.</summary>
    private const string WarmUpPersistenceId = "kuiper-warm-up";

    /// <summary>
    /// Measured with bench/: a first import after a start spent about a second recovering partitions, most of it the
    /// journal library compiling its queries (and the JIT compiling what it generates), not reading data.
    /// <list type="bullet">
    /// <item>Every node reads the journal and snapshot store once while it starts, for an id nothing uses, so that
    /// this compilation overlaps the rest of the start instead of following it.</item>
    /// <item>A node that forms its own cluster (no seed nodes: the gateway on its own) also starts and recovers every
    /// partition as soon as it is up, instead of at the first request that needs them. A node that joins others does
    /// not: its partitions would all be allocated to the first node up and then moved by rebalancing, which costs more
    /// than it saves; there they start at first use, spread over the members.</item>
    /// </list>
    /// </summary>
    public static AkkaConfigurationBuilder WithPartitionWarmUp(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        builder.AddStartup((system, _) =>
        {
            // The answers go to Nobody: only the work they cause matters.
            var persistence = Persistence.Instance.Apply(system);
            persistence.SnapshotStoreFor(null).Tell(
                new LoadSnapshot(WarmUpPersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), ActorRefs.Nobody);
            persistence.JournalFor(null).Tell(
                new ReplayMessages(0, long.MaxValue, long.MaxValue, WarmUpPersistenceId, ActorRefs.Nobody), ActorRefs.Nobody);
        });
        if (settings.SeedAddresses().Length > 0) return builder;
        return builder.AddStartup((system, _) =>
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() =>
            {
                var regions = PartitionRegions.Of(system);
                // Any message starts an entity; the position is the cheapest one.
                foreach (var (kind, partition) in PartitionScheme.All())
                    regions[kind].Tell(new GetPartitionPosition(kind, partition), ActorRefs.Nobody);
            }));
    }
}
