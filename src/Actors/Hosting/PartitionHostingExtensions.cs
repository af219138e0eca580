using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Hosting;

public static class PartitionHostingExtensions
{
    /// <summary>One shard region per stored resource kind, each made of persistent partition entities.</summary>
    public static AkkaConfigurationBuilder WithResourcePartitions(this AkkaConfigurationBuilder builder) =>
        builder
            .WithPartitionRegion<PartitionRegionKeys.Streams>(ResourceKind.Streams)
            .WithPartitionRegion<PartitionRegionKeys.Tables>(ResourceKind.Tables)
            .WithPartitionRegion<PartitionRegionKeys.Rules>(ResourceKind.Rules)
            .WithPartitionRegion<PartitionRegionKeys.SourceConfig>(ResourceKind.SourceConfig)
            .WithPartitionRegion<PartitionRegionKeys.SinkConfig>(ResourceKind.SinkConfig)
            .WithPartitionRegion<PartitionRegionKeys.ConnectionConfig>(ResourceKind.ConnectionConfig)
            .WithPartitionRegion<PartitionRegionKeys.NativePlugins>(ResourceKind.NativePlugins)
            .WithPartitionRegion<PartitionRegionKeys.PortablePlugins>(ResourceKind.PortablePlugins)
            .WithPartitionRegion<PartitionRegionKeys.Service>(ResourceKind.Service)
            .WithPartitionRegion<PartitionRegionKeys.Schema>(ResourceKind.Schema)
            .WithPartitionRegion<PartitionRegionKeys.Uploads>(ResourceKind.Uploads)
            .WithPartitionRegion<PartitionRegionKeys.Scripts>(ResourceKind.Scripts);

    private static AkkaConfigurationBuilder WithPartitionRegion<TKey>(this AkkaConfigurationBuilder builder, ResourceKind kind)
    {
        var rules = ResourceRulesCatalog.Stored[kind];
        return builder.WithShardRegion<TKey>(
            kind.RegionName(),
            entityId => ResourcePartition.Props(rules, entityId),
            new PartitionMessageExtractor(),
            new ShardOptions
            {
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                // The default PoisonPill would drop commands queued behind it during a rebalance.
                HandOffStopMessage = StopPartition.Instance,
            });
    }
}
