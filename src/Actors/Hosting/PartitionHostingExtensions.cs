using Akka.Cluster.Sharding;
using Akka.Hosting;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Hosting;

public static class PartitionHostingExtensions
{
    /// <summary>
    /// One shard region per declared resource kind, each made of persistent partition entities; read them back
    /// with <see cref="PartitionRegions.Of"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithResourcePartitions(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, _) =>
        {
            var sharding = ClusterSharding.Get(system);
            var settings = ClusterShardingSettings.Create(system)
                .WithStateStoreMode(StateStoreMode.DData)
                .WithRememberEntities(false);
            foreach (var declaration in ResourceKinds.Declarations)
                sharding.Start(
                    declaration.RegionName,
                    entityId => ResourcePartition.Props(declaration.Rules, entityId),
                    settings,
                    new PartitionMessageExtractor(),
                    sharding.DefaultShardAllocationStrategy(settings),
                    // The default PoisonPill would drop commands queued behind it during a rebalance.
                    StopPartition.Instance);
        });
}
