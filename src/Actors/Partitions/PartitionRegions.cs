using Akka.Actor;
using Akka.Cluster.Sharding;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>The shard region of every resource kind.</summary>
public sealed class PartitionRegions(IReadOnlyDictionary<ResourceKind, IActorRef> regions)
{
    public IActorRef this[ResourceKind kind] => regions[kind];

    /// <summary>The regions <c>WithResourcePartitions</c> started, from Akka's own registry of regions by type name.</summary>
    public static PartitionRegions Of(ActorSystem system)
    {
        var sharding = ClusterSharding.Get(system);
        return new PartitionRegions(ResourceKinds.All.ToDictionary(kind => kind, kind => sharding.ShardRegion(kind.RegionName())));
    }
}
