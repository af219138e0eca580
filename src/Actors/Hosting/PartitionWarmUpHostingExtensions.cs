using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Hosting;

public static class PartitionWarmUpHostingExtensions
{
    /// <summary>
    /// A node that forms its own cluster (no seed nodes: the gateway on its own) starts and recovers every partition as
    /// soon as it is up, instead of at the first request that needs them: measured with bench/, allocating and
    /// recovering the 192 partitions was most of a first import after a restart, spent waiting rather than working.
    /// A node that joins others does not: its partitions would all be allocated to the first node up and then moved
    /// by rebalancing, which costs more than it saves; there they start at first use, spread over the members.
    /// </summary>
    public static AkkaConfigurationBuilder WithPartitionWarmUp(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        if (settings.SeedAddresses().Length > 0) return builder;
        return builder.AddStartup((system, _) =>
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() =>
            {
                var regions = PartitionRegions.Of(system);
                // Any message starts an entity; the position is the cheapest one. Nobody drops the answers.
                foreach (var (kind, partition) in PartitionScheme.All())
                    regions[kind].Tell(new GetPartitionPosition(kind, partition), ActorRefs.Nobody);
            }));
    }
}
