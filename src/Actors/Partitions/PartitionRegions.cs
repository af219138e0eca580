using Akka.Actor;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>The shard region of every kind this node stores; a kind without one is not supported yet.</summary>
public sealed class PartitionRegions(IReadOnlyDictionary<ResourceKind, IActorRef> regions)
{
    public IReadOnlyCollection<ResourceKind> Served => regions.Keys.ToArray();

    public bool Serves(ResourceKind kind) => regions.ContainsKey(kind);

    public IActorRef this[ResourceKind kind] => regions[kind];
}
