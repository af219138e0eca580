namespace Kuiper.Messages.Resources;

/// <summary>The twelve sections of an eKuiper bundle, in eKuiper's export order.</summary>
public enum ResourceKind
{
    Streams,
    Tables,
    Rules,
    NativePlugins,
    PortablePlugins,
    SourceConfig,
    SinkConfig,
    ConnectionConfig,
    Service,
    Schema,
    Uploads,
    Scripts,
}

public static class ResourceKinds
{
    /// <summary>Every kind in eKuiper's export key order.</summary>
    public static readonly IReadOnlyList<ResourceKind> All = Enum.GetValues<ResourceKind>();

    /// <summary>The bundle key exactly as eKuiper exports it (note the capitalised <c>Service</c> and <c>Schema</c>).</summary>
    public static string BundleKey(this ResourceKind kind) => kind switch
    {
        ResourceKind.Streams => "streams",
        ResourceKind.Tables => "tables",
        ResourceKind.Rules => "rules",
        ResourceKind.NativePlugins => "nativePlugins",
        ResourceKind.PortablePlugins => "portablePlugins",
        ResourceKind.SourceConfig => "sourceConfig",
        ResourceKind.SinkConfig => "sinkConfig",
        ResourceKind.ConnectionConfig => "connectionConfig",
        ResourceKind.Service => "Service",
        ResourceKind.Schema => "Schema",
        ResourceKind.Uploads => "uploads",
        ResourceKind.Scripts => "scripts",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The shard region (entity type) name of a kind; also the prefix of its persistence ids.</summary>
    public static string RegionName(this ResourceKind kind) => kind switch
    {
        ResourceKind.SourceConfig => "source-configs",
        ResourceKind.SinkConfig => "sink-configs",
        ResourceKind.ConnectionConfig => "connection-configs",
        ResourceKind.NativePlugins => "native-plugins",
        ResourceKind.PortablePlugins => "portable-plugins",
        ResourceKind.Service => "services",
        ResourceKind.Schema => "schemas",
        _ => kind.BundleKey(),
    };
}
