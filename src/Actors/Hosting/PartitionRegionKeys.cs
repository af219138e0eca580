using Akka.Hosting;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Hosting;

/// <summary>Registry keys of the shard regions: Akka.Hosting registers each region under a type.</summary>
public static class PartitionRegionKeys
{
    public sealed class Streams;
    public sealed class Tables;
    public sealed class Rules;
    public sealed class SourceConfig;
    public sealed class SinkConfig;
    public sealed class ConnectionConfig;

    public static PartitionRegions From(IReadOnlyActorRegistry registry) => new(new Dictionary<ResourceKind, Akka.Actor.IActorRef>
    {
        [ResourceKind.Streams] = registry.Get<Streams>(),
        [ResourceKind.Tables] = registry.Get<Tables>(),
        [ResourceKind.Rules] = registry.Get<Rules>(),
        [ResourceKind.SourceConfig] = registry.Get<SourceConfig>(),
        [ResourceKind.SinkConfig] = registry.Get<SinkConfig>(),
        [ResourceKind.ConnectionConfig] = registry.Get<ConnectionConfig>(),
    });
}
