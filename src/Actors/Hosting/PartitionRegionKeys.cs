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
    public sealed class NativePlugins;
    public sealed class PortablePlugins;
    public sealed class Service;
    public sealed class Schema;
    public sealed class Uploads;
    public sealed class Scripts;

    public static PartitionRegions From(IReadOnlyActorRegistry registry) => new(new Dictionary<ResourceKind, Akka.Actor.IActorRef>
    {
        [ResourceKind.Streams] = registry.Get<Streams>(),
        [ResourceKind.Tables] = registry.Get<Tables>(),
        [ResourceKind.Rules] = registry.Get<Rules>(),
        [ResourceKind.SourceConfig] = registry.Get<SourceConfig>(),
        [ResourceKind.SinkConfig] = registry.Get<SinkConfig>(),
        [ResourceKind.ConnectionConfig] = registry.Get<ConnectionConfig>(),
        [ResourceKind.NativePlugins] = registry.Get<NativePlugins>(),
        [ResourceKind.PortablePlugins] = registry.Get<PortablePlugins>(),
        [ResourceKind.Service] = registry.Get<Service>(),
        [ResourceKind.Schema] = registry.Get<Schema>(),
        [ResourceKind.Uploads] = registry.Get<Uploads>(),
        [ResourceKind.Scripts] = registry.Get<Scripts>(),
    });
}
