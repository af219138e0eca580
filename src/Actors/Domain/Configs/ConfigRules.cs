using System.Text;
using System.Text.Json;
using Kuiper.Domain.Configs.Rewriting;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Configs;

/// <summary>
/// Source, sink and connection configs: the bundle value is a JSON object <c>{confKey: props}</c> for one
/// plugin. A partial import replaces only the confKeys it carries (<c>null</c> props delete one); the stored
/// form is compact JSON with sorted keys, as eKuiper exports it; a plugin left with no confKey is removed.
/// </summary>
public sealed class ConfigRules(ResourceKind kind) : IResourceRules
{
    public ResourceKind Kind => kind;

    public string AlreadyExists(string name) => $"{kind.BundleKey()} {name} already exists";

    public string NotFound(string name) => $"{kind.BundleKey()} {name} is not found";

    public Validated Validate(string name, string definition, string? current, ValidationContext context)
    {
        if (GoJsonSyntax.Check(definition) is { } syntax) return Validated.Refuse(syntax);

        using var incoming = GoJsonLimits.Parse(definition);
        if (incoming.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            return Validated.Refuse(
                GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(incoming.RootElement.ValueKind)!, "map[string]map[string]interface {}"));

        var merged = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        using var stored = current is null ? null : GoJsonLimits.Parse(current);
        if (stored is not null)
            foreach (var confKey in stored.RootElement.EnumerateObject()) merged[confKey.Name] = confKey.Value;

        if (incoming.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var confKey in incoming.RootElement.EnumerateObject())
            {
                if (confKey.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                    return Validated.Refuse(
                        GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(confKey.Value.ValueKind)!, "map[string]interface {}"));
                if (confKey.Value.ValueKind == JsonValueKind.Null) merged.Remove(confKey.Name);
                // eKuiper rewrites props on import: ms numbers to durations, saslPassword, sql url.
                else merged[confKey.Name] = ConfigPropertyRewriting.Rewrite(name, confKey.Value);
            }
        }
        return merged.Count == 0 ? Validated.Remove : Validated.Store(CanonicalJson.Write(merged));
    }
}

/// <summary>Compact JSON with every object's keys sorted: how Go marshals a map.</summary>
public static class CanonicalJson
{
    public static string Write(IEnumerable<KeyValuePair<string, JsonElement>> sortedObject)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonLimits.Writer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in sortedObject)
            {
                writer.WritePropertyName(key);
                WriteValue(writer, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Iterative, so a value nested as deep as Go allows cannot exhaust the stack.</summary>
    private static void WriteValue(Utf8JsonWriter writer, JsonElement root)
    {
        // Each open container: what is left to write in it (property name or null, value), and how it closes.
        var open = new Stack<(IEnumerator<(string? Name, JsonElement Value)> Members, bool IsObject)>();
        var next = root;
        while (true)
        {
            switch (next.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    open.Push((next.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
                        .GroupBy(p => p.Name).Select(g => ((string?)g.Key, g.Last().Value)).GetEnumerator(), true));
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    open.Push((next.EnumerateArray().Select(item => ((string?)null, item)).GetEnumerator(), false));
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(next.GetString());
                    break;
                default:
                    // Numbers keep their text, true/false/null are literal.
                    writer.WriteRawValue(next.GetRawText(), skipInputValidation: true);
                    break;
            }

            // Find the next value to write, closing every container that is done.
            while (true)
            {
                if (open.Count == 0) return;
                var (members, isObject) = open.Peek();
                if (members.MoveNext())
                {
                    if (members.Current.Name is { } name) writer.WritePropertyName(name);
                    next = members.Current.Value;
                    break;
                }
                members.Dispose();
                open.Pop();
                if (isObject) writer.WriteEndObject();
                else writer.WriteEndArray();
            }
        }
    }
}
