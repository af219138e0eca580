namespace Kuiper.Domain.Streams;

/// <summary>Which source config a stored stream or table reads: its TYPE (mqtt when absent) and CONF_KEY (default when absent).</summary>
public static class StreamSourceConfig
{
    public const string DefaultType = "mqtt";
    public const string DefaultConfKey = "default";

    public static (string Type, string ConfKey) Of(string statement) => Of(StreamStatementParser.Parse(statement).Definition?.Options);

    public static (string Type, string ConfKey) Of(StreamOptions? options)
    {
        return (
            string.IsNullOrEmpty(options?.Type) ? DefaultType : options.Type,
            string.IsNullOrEmpty(options?.ConfKey) ? DefaultConfKey : options.ConfKey);
    }
}
