using System.Text.Json;
using Kuiper.Domain.Exports;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Streams;

namespace Kuiper.Domain.Connections;

/// <summary>The stored definitions a rule's use of a connection is read from.</summary>
public sealed record StoredDefinitions(
    IReadOnlyDictionary<string, string> Rules,
    IReadOnlyDictionary<string, string> Streams,
    IReadOnlyDictionary<string, string> Tables,
    IReadOnlyDictionary<string, string> SourceConfig,
    IReadOnlyDictionary<string, string> SinkConfig);

/// <summary>
/// Which rules use which named connection, from the stored definitions: the stored equivalent of eKuiper's
/// <c>refCount</c>. eKuiper counts the references its running rules hold (a source or sink whose props name the
/// connection by <c>connectionSelector</c>) and refuses to drop or update a connection that has any. This node runs no
/// rule, so it counts the rules that would run (<c>triggered</c>, as eKuiper restarts them) and would hold one:
/// <list type="bullet">
/// <item>a stream or table the rule reads whose source config (its TYPE's <c>default</c> confKey, overridden by its
/// CONF_KEY) sets <c>connectionSelector</c>;</item>
/// <item>an action whose props set <c>connectionSelector</c>, or whose <c>resourceId</c> names a sink config that sets
/// it (the action's own props win, as eKuiper merges them).</item>
/// </list>
/// </summary>
public static class ConnectionReferences
{
    private const string Selector = "connectionSelector";

    /// <summary>For each connection id used, the ids of the rules that use it, in ordinal order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(StoredDefinitions stored)
    {
        var users = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (ruleId, rule) in stored.Rules)
        {
            if (!WouldRun(rule)) continue;
            foreach (var connection in UsedBy(rule, stored))
            {
                if (!users.TryGetValue(connection, out var rules)) users[connection] = rules = new SortedSet<string>(StringComparer.Ordinal);
                rules.Add(ruleId);
            }
        }
        return users.ToDictionary(u => u.Key, u => (IReadOnlyList<string>)u.Value.ToList(), StringComparer.Ordinal);
    }

    /// <summary>eKuiper starts a stored rule unless its <c>triggered</c> is false.</summary>
    private static bool WouldRun(string rule)
    {
        using var document = GoJsonLimits.Parse(rule);
        return !document.RootElement.TryGetField("triggered", out var triggered) || triggered.ValueKind != JsonValueKind.False;
    }

    private static HashSet<string> UsedBy(string rule, StoredDefinitions stored)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in RuleDependencies.Of(rule).Sources)
        {
            var statement = stored.Streams.GetValueOrDefault(source) ?? stored.Tables.GetValueOrDefault(source);
            if (statement is null) continue;
            var (type, confKey) = StreamSourceConfig.Of(statement);
            if (SourceSelector(stored.SourceConfig.GetValueOrDefault(type), confKey) is { } id) used.Add(id);
        }

        using var document = GoJsonLimits.Parse(rule);
        if (document.RootElement.TryGetField("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
        {
            foreach (var action in actions.EnumerateArray())
            {
                if (action.ValueKind != JsonValueKind.Object) continue;
                foreach (var sink in action.EnumerateObject())
                    if (SinkSelector(sink.Name, sink.Value, stored.SinkConfig) is { } id) used.Add(id);
            }
        }
        return used;
    }

    /// <summary>The <c>default</c> confKey's props, then the CONF_KEY's over them (eKuiper looks the key up lowercased first).</summary>
    private static string? SourceSelector(string? pluginConfig, string confKey)
    {
        if (pluginConfig is null) return null;
        using var document = GoJsonLimits.Parse(pluginConfig);
        var confKeys = document.RootElement;
        JsonElement? selector = null;
        if (confKeys.TryGetProperty(StreamSourceConfig.DefaultConfKey, out var defaults) && defaults.TryGetSelector(out var fromDefault))
            selector = fromDefault;
        if (confKey != StreamSourceConfig.DefaultConfKey
            && (confKeys.TryGetProperty(confKey.ToLowerInvariant(), out var props) || confKeys.TryGetProperty(confKey, out props))
            && props.TryGetSelector(out var fromConfKey))
            selector = fromConfKey;
        return selector is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;
    }

    private static string? SinkSelector(string sinkType, JsonElement props, IReadOnlyDictionary<string, string> sinkConfig)
    {
        if (props.ValueKind != JsonValueKind.Object) return null;
        if (props.TryGetSelector(out var own)) return own.ValueKind == JsonValueKind.String ? own.GetString() : null;
        if (!props.TryGetProperty("resourceId", out var resourceId) || resourceId.ValueKind != JsonValueKind.String) return null;
        if (sinkConfig.GetValueOrDefault(sinkType) is not { } pluginConfig) return null;
        using var document = GoJsonLimits.Parse(pluginConfig);
        return document.RootElement.TryGetProperty(resourceId.GetString()!, out var resource)
               && resource.TryGetSelector(out var selector) && selector.ValueKind == JsonValueKind.String
            ? selector.GetString()
            : null;
    }

    /// <summary>A props map's <c>connectionSelector</c> (the last one written, as Go's map keeps it).</summary>
    private static bool TryGetSelector(this JsonElement props, out JsonElement selector)
    {
        selector = default;
        if (props.ValueKind != JsonValueKind.Object) return false;
        var found = false;
        foreach (var property in props.EnumerateObject())
        {
            if (property.Name != Selector) continue;
            selector = property.Value;
            found = true;
        }
        return found;
    }
}
