using Kuiper.Domain.Artefacts;
using System.Text.Json;
using Kuiper.Domain.Configs;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Sql;
using Kuiper.Domain.Streams;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Exports;

/// <summary>
/// <c>POST /data/export</c>: the chosen rules and what they need to run elsewhere: the streams and tables they
/// read, the source configs of those (by TYPE, mqtt when absent, and CONF_KEY, <c>default</c> when absent), the
/// sink configs their actions name by <c>resourceId</c>, the schemas named by a stream's SCHEMAID or a sink's
/// <c>schemaId</c> (<c>&lt;format&gt;_&lt;schema&gt;</c>; one that is not stored is left out), and every connection.
/// </summary>
public static class RuleExport
{
    public static (Bundle? Bundle, IReadOnlyList<string> Unknown) Select(Bundle all, IReadOnlyList<string> ruleIds)
    {
        var unknown = ruleIds.Where(id => !all[ResourceKind.Rules].ContainsKey(id)).Distinct().ToList();
        if (unknown.Count > 0) return (null, unknown);

        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        var streams = new Dictionary<string, string>(StringComparer.Ordinal);
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        var sourceKeys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var sinkKeys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var schemaKeys = new HashSet<string>(StringComparer.Ordinal);
        var provided = new HashSet<string>(StringComparer.Ordinal);

        foreach (var id in ruleIds.Distinct())
        {
            var rule = all[ResourceKind.Rules][id];
            rules[id] = rule;
            var dependencies = RuleDependencies.Of(rule);
            foreach (var source in dependencies.Sources)
            {
                var kind = all[ResourceKind.Streams].ContainsKey(source) ? ResourceKind.Streams
                    : all[ResourceKind.Tables].ContainsKey(source) ? ResourceKind.Tables
                    : (ResourceKind?)null;
                if (kind is not { } found) continue;
                var statement = all[found][source];
                (found == ResourceKind.Streams ? streams : tables)[source] = statement;
                var options = StreamStatementParser.Parse(statement).Definition?.Options;
                var (type, confKey) = StreamSourceConfig.Of(options);
                Add(sourceKeys, type, confKey);
                provided.Add($"source:{type}");
                if (options is { SchemaId.Length: > 0 })
                    schemaKeys.Add(SchemaKey(options.Format, options.SchemaId));
            }
            foreach (var (sinkType, resourceId) in dependencies.SinkResources) Add(sinkKeys, sinkType, resourceId);
            foreach (var sinkType in dependencies.SinkTypes) provided.Add($"sink:{sinkType}");
            foreach (var function in dependencies.Functions) provided.Add($"function:{function}");
            foreach (var (format, schemaId) in dependencies.SinkSchemas) schemaKeys.Add(SchemaKey(format, schemaId));
        }

        return (new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Streams] = streams,
            [ResourceKind.Tables] = tables,
            [ResourceKind.Rules] = rules,
            [ResourceKind.SourceConfig] = ConfigSubset(all[ResourceKind.SourceConfig], sourceKeys),
            [ResourceKind.SinkConfig] = ConfigSubset(all[ResourceKind.SinkConfig], sinkKeys),
            [ResourceKind.ConnectionConfig] = all[ResourceKind.ConnectionConfig],
            [ResourceKind.Schema] = all[ResourceKind.Schema].Where(s => schemaKeys.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value),
            [ResourceKind.NativePlugins] = Providers(all[ResourceKind.NativePlugins], provided),
            [ResourceKind.PortablePlugins] = Providers(all[ResourceKind.PortablePlugins], provided),
            [ResourceKind.Service] = Providers(all[ResourceKind.Service], provided),
        }), []);
    }

    /// <summary>The plugins and services that provide a source or sink type or a function the rules use.</summary>
    private static Dictionary<string, string> Providers(IReadOnlyDictionary<string, string> stored, HashSet<string> wanted) =>
        stored.Where(s => ArtefactRecord.Parse(s.Value) is { } record
                && (record.Sources.Any(x => wanted.Contains($"source:{x}")) || record.Sinks.Any(x => wanted.Contains($"sink:{x}"))
                    || record.Functions.Any(x => wanted.Contains($"function:{x}"))))
            .ToDictionary(s => s.Key, s => s.Value);

    /// <summary>eKuiper keys a schema <c>&lt;format as written&gt;_&lt;schema id before its first dot&gt;</c>.</summary>
    private static string SchemaKey(string format, string schemaId) => $"{format}_{schemaId.Split('.')[0]}";

    private static void Add(Dictionary<string, HashSet<string>> keys, string plugin, string confKey)
    {
        if (!keys.TryGetValue(plugin, out var set)) keys[plugin] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(confKey);
    }

    /// <summary>Only the wanted confKeys of each plugin; a plugin with none of them is left out.</summary>
    private static Dictionary<string, string> ConfigSubset(
        IReadOnlyDictionary<string, string> configs, Dictionary<string, HashSet<string>> wanted)
    {
        var subset = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (plugin, confKeys) in wanted)
        {
            if (!configs.TryGetValue(plugin, out var stored)) continue;
            using var doc = GoJsonLimits.Parse(stored);
            var kept = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var confKey in doc.RootElement.EnumerateObject())
                if (confKeys.Contains(confKey.Name)) kept[confKey.Name] = confKey.Value;
            if (kept.Count > 0) subset[plugin] = CanonicalJson.Write(kept);
        }
        return subset;
    }
}

/// <summary>What a stored rule reads and writes to, for export.</summary>
public sealed record RuleDependencies(
    IReadOnlyList<string> Sources,
    IReadOnlyList<(string SinkType, string ResourceId)> SinkResources,
    IReadOnlyList<(string Format, string SchemaId)> SinkSchemas,
    IReadOnlyList<string> SinkTypes,
    IReadOnlyList<string> Functions)
{
    private static readonly RuleDependencies None = new([], [], [], [], []);

    public static RuleDependencies Of(string ruleJson)
    {
        using var doc = GoJsonLimits.Parse(ruleJson);
        var root = doc.RootElement;
        var analysis = root.TryGetField("sql", out var sql) && sql.ValueKind == JsonValueKind.String
            ? SelectAnalyzer.Analyze(sql.GetString()!)
            : null;
        var sources = analysis?.Sources.Select(s => s.Name).Distinct().ToList() ?? [];
        var functions = analysis?.Functions ?? [];
        var sinkTypes = new List<string>();
        var sinks = new List<(string, string)>();
        var schemas = new List<(string, string)>();
        if (root.TryGetField("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
        {
            foreach (var action in actions.EnumerateArray())
            {
                if (action.ValueKind != JsonValueKind.Object) continue;
                foreach (var sink in action.EnumerateObject())
                {
                    sinkTypes.Add(sink.Name);
                    if (sink.Value.ValueKind != JsonValueKind.Object) continue;
                    if (StringProp(sink.Value, "resourceId") is { } resourceId) sinks.Add((sink.Name, resourceId));
                    // A sink that encodes with a schema (any format but json) needs that schema.
                    if (StringProp(sink.Value, "format") is { } format && format != "json" && StringProp(sink.Value, "schemaId") is { } schemaId)
                        schemas.Add((format, schemaId));
                }
            }
        }
        return sources.Count == 0 && sinkTypes.Count == 0 && functions.Count == 0
            ? None
            : new RuleDependencies(sources, sinks, schemas, sinkTypes, functions);
    }

    private static string? StringProp(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
