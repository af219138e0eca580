namespace Kuiper.Messages.Resources;

/// <summary>
/// The twelve sections of an eKuiper bundle, in eKuiper's export order. What each one is (bundle key, region,
/// rules, import stage) is declared once, in <c>Kuiper.Domain.Resources.ResourceKinds</c>.
/// </summary>
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
