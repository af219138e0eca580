using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Configs;

/// <summary>
/// eKuiper's listings of stored confKeys (<c>internal/meta/yamlConfigMeta.go</c>), from the stored source and sink
/// configs (each item <c>{confKey: props}</c> of one plugin). eKuiper also lists the read-only confKeys of the
/// <c>etc/</c> YAML files it ships; this node has none.
/// </summary>
public static class ConfigResources
{
    /// <summary>
    /// <c>GET /metadata/resource[?sourceType=]</c> (<c>GetSourceResourceConf</c>): <c>{"&lt;plugin&gt;": {"&lt;confKey&gt;": props}}</c>
    /// over every source config; with a <paramref name="sourceType"/>, only the confKeys whose props say
    /// <c>"sourceType": "&lt;sourceType&gt;"</c>. Plugins and confKeys in ordinal order, as Go marshals maps.
    /// </summary>
    public static string SourceResources(IReadOnlyDictionary<string, string> sourceConfig, string sourceType) => GoJsonLimits.Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (plugin, item) in sourceConfig.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            using var document = GoJsonLimits.Parse(item);
            var chosen = ConfKeys(document.RootElement).Where(c => sourceType.Length == 0 || SaysSourceType(c.Value, sourceType)).ToList();
            if (chosen.Count == 0) continue;
            writer.WriteStartObject(plugin);
            foreach (var (confKey, props) in chosen)
            {
                writer.WritePropertyName(confKey);
                writer.WriteRawValue(props.GetRawText(), skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    });

    /// <summary>
    /// <c>GET /metadata/resources</c> (<c>GetResources</c>): <c>{"sinks": [{"&lt;confKey&gt;": "&lt;plugin&gt;", ...}, ...],
    /// "sources": [...]}</c>, one object per plugin with user confKeys (<c>null</c> when there is none, as Go
    /// marshals a nil slice); plugins in ordinal order (eKuiper's follow its map, in no order).
    /// </summary>
    public static string Resources(IReadOnlyDictionary<string, string> sourceConfig, IReadOnlyDictionary<string, string> sinkConfig) => GoJsonLimits.Write(writer =>
    {
        writer.WriteStartObject();
        WriteOwners(writer, "sinks", sinkConfig);
        WriteOwners(writer, "sources", sourceConfig);
        writer.WriteEndObject();
    });

    private static void WriteOwners(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> configs)
    {
        var owners = new List<(string Plugin, List<string> ConfKeys)>();
        foreach (var (plugin, item) in configs.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            using var document = GoJsonLimits.Parse(item);
            var confKeys = ConfKeys(document.RootElement).Select(c => c.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            if (confKeys.Count > 0) owners.Add((plugin, confKeys));
        }
        if (owners.Count == 0)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var (plugin, confKeys) in owners)
        {
            writer.WriteStartObject();
            foreach (var confKey in confKeys) writer.WriteString(confKey, plugin);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static IEnumerable<(string Name, JsonElement Value)> ConfKeys(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object ? item.EnumerateObject().Select(p => (p.Name, p.Value)) : [];

    private static bool SaysSourceType(JsonElement props, string sourceType) =>
        props.ValueKind == JsonValueKind.Object && props.TryGetProperty("sourceType", out var value)
        && value.ValueKind == JsonValueKind.String && value.GetString() == sourceType;
}
