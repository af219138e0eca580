using System.Globalization;
using System.Text;
using Kuiper.Domain.GoCompat;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kuiper.Domain.Bundles.Yaml;

/// <summary>
/// The bundle as eKuiper's YAML (<c>/v2/data/*</c>, <c>internal/server/yaml_import_export.go</c>, struct
/// <c>MetaConfiguration</c>): <c>sourceConfig</c>/<c>sinkConfig</c>/<c>connectionConfig</c> keyed
/// <c>sources.&lt;plugin&gt;.&lt;confKey&gt;</c> with the props as a mapping, plugins, services, schemas and uploads as
/// objects (<c>filePath</c>/<c>soPath</c> where eKuiper's YAML names them so), <c>streams</c> and <c>tables</c> as
/// <c>{sql: ...}</c>, rules as objects; plus <c>scripts</c>, which eKuiper's YAML does not carry.
/// </summary>
/// <remarks>
/// Round trips are exact: a definition becomes a YAML object only when turning that object back into JSON gives the
/// stored text byte for byte (compact, Go's escaping, keys in their order, numbers as written); any other definition
/// (a rule written with spaces, say) is written as its text, a YAML string, which the reader takes verbatim. So a YAML
/// export imported back exports the same JSON. eKuiper's own reader expects objects where such strings stand.
/// </remarks>
public static class BundleYaml
{
    private const string ConfigPrefixSources = "sources", ConfigPrefixSinks = "sinks", ConfigPrefixConnections = "connections";

    /// <summary>One top-level key of the document, in eKuiper's field order, and how its entries are written.</summary>
    private sealed record Section(string Key, ResourceKind Kind, SectionForm Form, string GoType, bool OmitEmpty = true,
        IReadOnlyDictionary<string, string>? YamlNames = null);

    private enum SectionForm
    {
        Config,
        Object,
        Sql,
    }

    private static readonly IReadOnlyDictionary<string, string> FilePath = new Dictionary<string, string> { ["file"] = "filePath" };

    private static readonly IReadOnlyDictionary<string, string> SchemaPaths =
        new Dictionary<string, string> { ["file"] = "filePath", ["soFile"] = "soPath" };

    private static readonly Section[] Sections =
    [
        new("sourceConfig", ResourceKind.SourceConfig, SectionForm.Config, "map[string]map[string]interface {}"),
        new("sinkConfig", ResourceKind.SinkConfig, SectionForm.Config, "map[string]map[string]interface {}"),
        new("connectionConfig", ResourceKind.ConnectionConfig, SectionForm.Config, "map[string]map[string]interface {}"),
        new("nativePlugins", ResourceKind.NativePlugins, SectionForm.Object, "map[string]*plugin.IOPlugin"),
        new("portablePlugins", ResourceKind.PortablePlugins, SectionForm.Object, "map[string]*plugin.IOPlugin"),
        new("service", ResourceKind.Service, SectionForm.Object, "map[string]*service.ServiceCreationRequest"),
        new("schema", ResourceKind.Schema, SectionForm.Object, "map[string]*schema.Info", YamlNames: SchemaPaths),
        new("uploads", ResourceKind.Uploads, SectionForm.Object, "map[string]*server.fileContent", YamlNames: FilePath),
        new("streams", ResourceKind.Streams, SectionForm.Sql, "map[string]*server.DatasourceExport", OmitEmpty: false),
        new("tables", ResourceKind.Tables, SectionForm.Sql, "map[string]*server.DatasourceExport"),
        new("rules", ResourceKind.Rules, SectionForm.Object, "map[string]*def.Rule", OmitEmpty: false),
        new("scripts", ResourceKind.Scripts, SectionForm.Object, "map[string]string"),
    ];

    private static string ConfigPrefix(ResourceKind kind) => kind switch
    {
        ResourceKind.SourceConfig => ConfigPrefixSources,
        ResourceKind.SinkConfig => ConfigPrefixSinks,
        _ => ConfigPrefixConnections,
    };

    // ---- writing ----

    /// <summary>The YAML document, UTF-8.</summary>
    public static byte[] Write(Bundle bundle)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(4, int.MaxValue, false, 1024, false, true, "\n", false));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
        foreach (var section in Sections)
        {
            var entries = bundle[section.Kind];
            if (entries.Count == 0 && section.OmitEmpty) continue;
            WriteString(emitter, section.Key);
            if (entries.Count == 0)
            {
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
                emitter.Emit(new MappingEnd());
                continue;
            }
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
            var names = entries.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var name in names) WriteEntry(emitter, section, name, entries[name]);
            emitter.Emit(new MappingEnd());
        }
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void WriteEntry(IEmitter emitter, Section section, string name, string definition)
    {
        switch (section.Form)
        {
            case SectionForm.Sql:
                WriteString(emitter, name);
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                WriteString(emitter, "sql");
                WriteString(emitter, definition);
                emitter.Emit(new MappingEnd());
                return;
            case SectionForm.Config:
                // One entry per confKey, as eKuiper keys its conf storage; a text that would not come back the same is
                // written whole under <type>.<plugin>.
                var prefix = $"{ConfigPrefix(section.Kind)}.{name}";
                if (!name.Contains('.') && LosslessObject(definition, null) is { Members.Count: > 0 } confKeys
                    && confKeys.Members.All(m => m.Value.Kind == GoJsonKind.Object))
                {
                    foreach (var member in confKeys.Members)
                    {
                        WriteString(emitter, $"{prefix}.{member.Key}");
                        WriteJson(emitter, member.Value);
                    }
                    return;
                }
                WriteString(emitter, prefix);
                WriteString(emitter, definition);
                return;
            default:
                WriteString(emitter, name);
                if (LosslessObject(definition, section.YamlNames) is { } root) WriteJson(emitter, root, section.YamlNames);
                else WriteString(emitter, definition);
                return;
        }
    }

    /// <summary>
    /// The definition's JSON object when writing it as YAML and reading it back gives the same text; null otherwise.
    /// </summary>
    private static GoJsonNode? LosslessObject(string definition, IReadOnlyDictionary<string, string>? yamlNames)
    {
        if (GoJsonSyntax.Check(definition) is not null) return null;
        var root = GoJsonTree.Parse(definition);
        if (root.Kind != GoJsonKind.Object) return null;
        // A name both as itself and as what it becomes in YAML (file and filePath) would collide.
        if (yamlNames is not null && root.Members!.Any(m => yamlNames.Values.Contains(m.Key))) return null;
        return GoJsonTree.CompactAsWritten(root) == definition ? root : null;
    }

    /// <summary>A JSON value as YAML: objects as block mappings, arrays as block sequences, empty ones in flow style.</summary>
    /// <remarks>A walk of its own: it emits YAML events, not text, so <see cref="GoJsonTree"/>'s printer styles cannot express it.</remarks>
    private static void WriteJson(IEmitter emitter, GoJsonNode root, IReadOnlyDictionary<string, string>? topLevelNames = null)
    {
        var work = new Stack<(object Item, bool TopLevel)>();
        work.Push((root, true));
        while (work.Count > 0)
        {
            var (item, topLevel) = work.Pop();
            if (item is ParsingEvent parsed)
            {
                emitter.Emit(parsed);
                continue;
            }
            var node = (GoJsonNode)item;
            switch (node.Kind)
            {
                case GoJsonKind.Object:
                    var style = node.Members!.Count == 0 ? MappingStyle.Flow : MappingStyle.Block;
                    emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, style));
                    work.Push((new MappingEnd(), false));
                    for (var i = node.Members.Count - 1; i >= 0; i--)
                    {
                        var key = node.Members[i].Key;
                        if (topLevel && topLevelNames is not null && topLevelNames.TryGetValue(key, out var yamlName)) key = yamlName;
                        work.Push((node.Members[i].Value, false));
                        work.Push((StringScalar(key), false));
                    }
                    break;
                case GoJsonKind.Array:
                    var sequenceStyle = node.Items!.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block;
                    emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, sequenceStyle));
                    work.Push((new SequenceEnd(), false));
                    for (var i = node.Items.Count - 1; i >= 0; i--) work.Push((node.Items[i], false));
                    break;
                case GoJsonKind.String:
                    emitter.Emit(StringScalar(node.Text!));
                    break;
                case GoJsonKind.Number:
                    emitter.Emit(Plain(node.Text!));
                    break;
                default:
                    emitter.Emit(Plain(node.Kind switch { GoJsonKind.True => "true", GoJsonKind.False => "false", _ => "null" }));
                    break;
            }
        }
    }

    private static void WriteString(IEmitter emitter, string value) => emitter.Emit(StringScalar(value));

    /// <summary>
    /// A string: plain where it holds only ordinary characters and no reader could take it for another type, a literal
    /// block for ordinary lines of text, double quotes (with escapes) for anything else. The emitter is told exactly,
    /// because its own choice lets tabs, carriage returns and Unicode line breaks through where a reader loses them.
    /// </summary>
    private static Scalar StringScalar(string value)
    {
        var style = !IsOrdinaryText(value) ? ScalarStyle.DoubleQuoted
            : value.Contains('\n') ? (IsBlockText(value) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted)
            : YamlScalars.NeedsQuotes(value) || value.Trim() != value ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        return new Scalar(AnchorName.Empty, TagName.Empty, value, style, true, true);
    }

    /// <summary>Printable characters and line feeds only: no tab, carriage return, control, BOM or Unicode line break.</summary>
    private static bool IsOrdinaryText(string value)
    {
        foreach (var c in value)
        {
            if (c == '\n' || char.IsSurrogate(c)) continue; // text read as Go reads it has no lone surrogate
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return false;
        }
        return true;
    }

    /// <summary>Lines a literal block keeps exactly: no leading blank, no trailing blanks, no trailing line break.</summary>
    private static bool IsBlockText(string value) =>
        !char.IsWhiteSpace(value[0]) && !value.EndsWith('\n') && value.Split('\n').All(line => line.Length == 0 || line[^1] != ' ');

    private static Scalar Plain(string value) => new(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, true, false);

    // ---- reading ----

    /// <summary>
    /// The bundle the document describes, or yaml.v3-style error text (<c>yaml: line 3: ...</c>,
    /// <c>yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into ...</c>); eKuiper prefixes it with <c>import failed: </c>.
    /// Top-level keys are exact, as yaml.v3 matches struct fields; unknown ones are ignored.
    /// </summary>
    public static (Bundle? Bundle, string? Error) Read(ReadOnlyMemory<byte> utf8)
    {
        // Strings are read as Go reads them: a byte that is not UTF-8 becomes U+FFFD.
        var text = Encoding.UTF8.GetString(utf8.Span);
        try
        {
            return (Read(YamlTree.Read(text), utf8.Length), null);
        }
        catch (YamlRefusedException e)
        {
            return (null, "yaml: " + e.Message);
        }
    }

    private static Bundle Read(YamlNode? root, long size)
    {
        var sections = new Dictionary<ResourceKind, Dictionary<string, string>>();
        if (root is null || root is YamlScalar { Kind: YamlScalarKind.Null }) return Bundle.Empty;
        if (root is not YamlMapping document)
            throw Unmarshal([$"line {root.Line}: cannot unmarshal {root.Described} into server.MetaConfiguration"]);

        // Aliases may share nodes: the work of expanding them is bounded by the size of the text.
        var json = new YamlToJson(Math.Max(1_000_000, size * 4));
        var errors = new List<string>();
        var configs = new ConfigParts();
        var keys = YamlKeys.Of(document);
        for (var i = 0; i < keys.Count; i++)
        {
            var section = Sections.FirstOrDefault(s => s.Key == keys[i]);
            if (section is null) continue;
            var value = document.Entries[i].Value;
            if (value is YamlScalar { Kind: YamlScalarKind.Null }) continue;
            if (value is not YamlMapping entries)
            {
                errors.Add($"line {value.Line}: cannot unmarshal {value.Described} into {section.GoType}");
                continue;
            }
            var names = YamlKeys.Of(entries);
            for (var j = 0; j < names.Count; j++)
                ReadEntry(section, names[j], entries.Entries[j].Value, sections, configs, json, errors);
        }
        configs.AddTo(sections, errors);
        if (errors.Count > 0) throw Unmarshal(errors);
        return new Bundle(sections.Where(s => s.Value.Count > 0)
            .ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, string>)s.Value));
    }

    private static void ReadEntry(Section section, string name, YamlNode value, Dictionary<ResourceKind, Dictionary<string, string>> sections,
        ConfigParts configs, YamlToJson json, List<string> errors)
    {
        switch (section.Form)
        {
            case SectionForm.Sql:
                // {sql: ...}; a bare string is taken as the statement (what this writer never needs, a reader forgives).
                if (value is YamlScalar { Kind: YamlScalarKind.Null }) return;
                string? sql = value switch
                {
                    YamlScalar scalar => scalar.Value,
                    YamlMapping mapping => SqlOf(mapping, errors),
                    _ => null,
                };
                if (sql is null && value is not YamlMapping)
                    errors.Add($"line {value.Line}: cannot unmarshal {value.Described} into server.DatasourceExport");
                else if (sql is not null) Add(sections, section.Kind, name, sql);
                return;
            case SectionForm.Config:
                ReadConfig(name, value, configs, json, errors);
                return;
            default:
                var definition = value is YamlScalar { Kind: YamlScalarKind.String } text ? text.Value : json.Convert(value, Reverse(section.YamlNames));
                Add(sections, section.Kind, name, definition);
                return;
        }
    }

    private static string? SqlOf(YamlMapping mapping, List<string> errors)
    {
        var keys = YamlKeys.Of(mapping);
        var sql = "";
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] != "sql") continue;
            if (mapping.Entries[i].Value is YamlScalar scalar) sql = scalar.Kind == YamlScalarKind.Null ? "" : scalar.Value;
            else
            {
                errors.Add($"line {mapping.Entries[i].Value.Line}: cannot unmarshal {mapping.Entries[i].Value.Described} into string");
                return null;
            }
        }
        return sql;
    }

    /// <summary>
    /// <c>&lt;type&gt;.&lt;plugin&gt;.&lt;confKey&gt;</c> with the props (eKuiper's form), or <c>&lt;type&gt;.&lt;plugin&gt;</c> with
    /// the plugin's whole JSON text (this writer's form for what the other cannot hold). The type, not the section, says
    /// which kind it is, as in eKuiper.
    /// </summary>
    private static void ReadConfig(string key, YamlNode value, ConfigParts parts, YamlToJson json, List<string> errors)
    {
        var firstDot = key.IndexOf('.');
        ResourceKind? kind = firstDot < 0 ? null : key[..firstDot] switch
        {
            ConfigPrefixSources => ResourceKind.SourceConfig,
            ConfigPrefixSinks => ResourceKind.SinkConfig,
            ConfigPrefixConnections => ResourceKind.ConnectionConfig,
            _ => null,
        };
        if (kind is null)
        {
            errors.Add($"line {value.Line}: {key} isn't valid conf key");
            return;
        }
        var rest = key[(firstDot + 1)..];
        if (value is YamlScalar { Kind: YamlScalarKind.String } whole)
        {
            parts.Whole[(kind.Value, rest)] = (whole.Value, value.Line);
            return;
        }
        var secondDot = rest.IndexOf('.');
        if (secondDot < 0)
        {
            errors.Add($"line {value.Line}: {key} isn't valid conf key");
            return;
        }
        if (value is not YamlMapping props)
        {
            errors.Add($"line {value.Line}: cannot unmarshal {value.Described} into map[string]interface {{}}");
            return;
        }
        var plugin = (kind.Value, rest[..secondDot]);
        if (!parts.ByConfKey.TryGetValue(plugin, out var confKeys)) parts.ByConfKey[plugin] = confKeys = [];
        confKeys.Add(GoJsonEncoder.Marshal(rest[(secondDot + 1)..]) + ":" + json.Convert(props));
    }

    /// <summary>The configs of a document, gathered per plugin: confKeys in document order, or the plugin's whole text.</summary>
    private sealed class ConfigParts
    {
        public Dictionary<(ResourceKind Kind, string Plugin), List<string>> ByConfKey { get; } = [];

        public Dictionary<(ResourceKind Kind, string Plugin), (string Text, int Line)> Whole { get; } = [];

        public void AddTo(Dictionary<ResourceKind, Dictionary<string, string>> sections, List<string> errors)
        {
            foreach (var ((kind, plugin), confKeys) in ByConfKey) Add(sections, kind, plugin, "{" + string.Join(",", confKeys) + "}");
            foreach (var ((kind, plugin), (text, line)) in Whole)
            {
                if (ByConfKey.ContainsKey((kind, plugin))) errors.Add($"line {line}: {ConfigPrefix(kind)}.{plugin} is given both whole and by confKey");
                else Add(sections, kind, plugin, text);
            }
        }
    }

    private static void Add(Dictionary<ResourceKind, Dictionary<string, string>> sections, ResourceKind kind, string name, string definition)
    {
        if (!sections.TryGetValue(kind, out var section)) sections[kind] = section = new Dictionary<string, string>(StringComparer.Ordinal);
        section[name] = definition;
    }

    private static Dictionary<string, string>? Reverse(IReadOnlyDictionary<string, string>? names) =>
        names?.ToDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal);

    private static YamlRefusedException Unmarshal(IEnumerable<string> errors) =>
        new("unmarshal errors:\n  " + string.Join("\n  ", errors));
}
