using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Kuiper.Domain.GoCompat;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kuiper.Domain.Bundles.Yaml;

/// <summary>A node of a YAML document, with the line it starts on (for Go yaml.v3's error texts).</summary>
internal abstract class YamlNode(int line)
{
    public int Line { get; } = line;

    /// <summary>yaml.v3's short tag, as its type errors name the node (<c>!!map</c>, <c>!!str</c>, ...).</summary>
    public abstract string ShortTag { get; }

    /// <summary>How yaml.v3 names the node in <c>cannot unmarshal X into T</c>: the tag, and a scalar's value.</summary>
    public virtual string Described => ShortTag;
}

internal sealed class YamlScalar(int line, string value, ScalarStyle style, string tag) : YamlNode(line)
{
    public string Value { get; } = value;

    /// <summary>Plain scalars are resolved by their text (YAML 1.2 core schema); quoted and block ones are strings.</summary>
    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    public ScalarStyle Style { get; } = style;

    /// <summary>The explicit tag (<c>tag:yaml.org,2002:str</c>), or empty.</summary>
    public string Tag { get; } = tag;

    public YamlScalarKind Kind => YamlScalars.Resolve(this);

    public override string ShortTag => Kind switch
    {
        YamlScalarKind.Null => "!!null",
        YamlScalarKind.Bool => "!!bool",
        YamlScalarKind.Int => "!!int",
        YamlScalarKind.Float => "!!float",
        _ => "!!str",
    };

    public override string Described => $"{ShortTag} `{(Value.Length > 40 ? Value[..37] + "..." : Value)}`";
}

internal sealed class YamlMapping(int line) : YamlNode(line)
{
    public List<(YamlNode Key, YamlNode Value)> Entries { get; } = [];

    public override string ShortTag => "!!map";
}

internal sealed class YamlSequence(int line) : YamlNode(line)
{
    public List<YamlNode> Items { get; } = [];

    public override string ShortTag => "!!seq";
}

internal enum YamlScalarKind
{
    Null,
    Bool,
    Int,
    Float,
    String,
}

/// <summary>Thrown for a document yaml.v3 would refuse; the message is yaml.v3's text without its <c>yaml: </c> prefix.</summary>
internal sealed class YamlRefusedException(string message) : Exception(message);

/// <summary>
/// Reads the first document of a YAML text into a <see cref="YamlNode"/> tree from YamlDotNet's parser events,
/// iteratively and with Go's nesting bound, so that no input can exhaust the stack. Anchors are shared, not copied;
/// an alias to a node that is not finished (a node containing itself) is refused.
/// </summary>
internal static class YamlTree
{
    public static YamlNode? Read(string text)
    {
        var parser = new Parser(new Scanner(new StringReader(text), skipComments: true));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var open = new List<(YamlNode Node, string Anchor, YamlNode? PendingKey)>();
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            while (true)
            {
                var parsed = parser.Consume<ParsingEvent>();
                YamlNode? finished = null;
                var anchor = "";
                switch (parsed)
                {
                    case Scalar scalar:
                        finished = new YamlScalar(Line(scalar), scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? "" : scalar.Tag.Value);
                        anchor = scalar.Anchor.IsEmpty ? "" : scalar.Anchor.Value;
                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out finished))
                            throw new YamlRefusedException(
                                open.Any(o => o.Anchor == alias.Value.Value)
                                    ? $"anchor '{alias.Value.Value}' value contains itself"
                                    : $"line {Line(alias)}: unknown anchor '{alias.Value.Value}' referenced");
                        break;
                    case MappingStart mapping:
                        Open(open, new YamlMapping(Line(mapping)), mapping.Anchor);
                        continue;
                    case SequenceStart sequence:
                        Open(open, new YamlSequence(Line(sequence)), sequence.Anchor);
                        continue;
                    case MappingEnd or SequenceEnd:
                        (finished, anchor, _) = open[^1];
                        open.RemoveAt(open.Count - 1);
                        break;
                    case DocumentEnd:
                        return null; // an empty document
                    default:
                        continue;
                }

                if (anchor.Length > 0) anchors[anchor] = finished!;
                if (open.Count == 0) return finished;
                var (parent, parentAnchor, pendingKey) = open[^1];
                switch (parent)
                {
                    case YamlSequence sequence:
                        sequence.Items.Add(finished!);
                        break;
                    case YamlMapping mapping when pendingKey is null:
                        open[^1] = (parent, parentAnchor, finished);
                        break;
                    case YamlMapping mapping:
                        mapping.Entries.Add((pendingKey!, finished!));
                        open[^1] = (parent, parentAnchor, null);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw new YamlRefusedException($"line {e.Start.Line}: {Reason(e)}");
        }
    }

    private static void Open(List<(YamlNode, string, YamlNode?)> open, YamlNode node, AnchorName anchor)
    {
        if (open.Count >= GoJsonLimits.MaxDepth) throw new YamlRefusedException($"exceeded max depth of {GoJsonLimits.MaxDepth}");
        open.Add((node, anchor.IsEmpty ? "" : anchor.Value, null));
    }

    private static int Line(ParsingEvent parsed) => (int)parsed.Start.Line;

    /// <summary>YamlDotNet's message without the positions it starts with.</summary>
    private static string Reason(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }
}

/// <summary>
/// Scalars as Go's yaml.v3 resolves them into <c>interface{}</c> (YAML 1.2's core schema), and the JSON text each
/// becomes when a YAML value is turned into the JSON definition eKuiper stores.
/// </summary>
internal static partial class YamlScalars
{
    private const string StrTag = "tag:yaml.org,2002:str";

    public static YamlScalarKind Resolve(YamlScalar scalar)
    {
        if (scalar.Tag == StrTag || !scalar.IsPlain && scalar.Tag.Length == 0) return YamlScalarKind.String;
        return ResolvePlain(scalar.Value);
    }

    public static YamlScalarKind ResolvePlain(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL") return YamlScalarKind.Null;
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return YamlScalarKind.Bool;
        if (IntPattern().IsMatch(value)) return YamlScalarKind.Int;
        if (FloatPattern().IsMatch(value)) return YamlScalarKind.Float;
        return YamlScalarKind.String;
    }

    /// <summary>
    /// Plain text another YAML reader could take for something other than a string (YAML 1.1's booleans too, as
    /// eKuiper's typed fields read them): such a string is quoted when written.
    /// </summary>
    public static bool NeedsQuotes(string value) =>
        ResolvePlain(value) != YamlScalarKind.String
        || value.ToLowerInvariant() is "y" or "n" or "yes" or "no" or "on" or "off"
        || value.StartsWith('<') && value.StartsWith("<<", StringComparison.Ordinal);

    /// <summary>The JSON text of a scalar: a JSON number literal is kept as written, so that it round-trips.</summary>
    public static string ToJson(YamlScalar scalar)
    {
        switch (scalar.Kind)
        {
            case YamlScalarKind.Null:
                return "null";
            case YamlScalarKind.Bool:
                return scalar.Value.ToLowerInvariant();
            case YamlScalarKind.Int:
                if (JsonNumberPattern().IsMatch(scalar.Value)) return scalar.Value;
                return ParseInt(scalar.Value).ToString(CultureInfo.InvariantCulture);
            case YamlScalarKind.Float:
                if (JsonNumberPattern().IsMatch(scalar.Value)) return scalar.Value;
                var text = scalar.Value.Replace("_", "", StringComparison.Ordinal);
                if (text.EndsWith("inf", StringComparison.OrdinalIgnoreCase) || text.EndsWith("nan", StringComparison.OrdinalIgnoreCase))
                    throw new YamlRefusedException(
                        $"json: unsupported value: {(text.Contains("nan", StringComparison.OrdinalIgnoreCase) ? "NaN" : text.StartsWith('-') ? "-Inf" : "+Inf")}");
                return GoFloat.FormatJson(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            default:
                return GoJsonEncoder.Marshal(scalar.Value);
        }
    }

    private static BigInteger ParseInt(string text)
    {
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('-', '+').Replace("_", "", StringComparison.Ordinal);
        BigInteger value;
        if (digits.StartsWith("0x", StringComparison.Ordinal))
            value = BigInteger.Parse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        else if (digits.StartsWith("0o", StringComparison.Ordinal))
            value = digits[2..].Aggregate(BigInteger.Zero, (v, c) => v * 8 + (c - '0'));
        else if (digits.StartsWith("0b", StringComparison.Ordinal))
            value = digits[2..].Aggregate(BigInteger.Zero, (v, c) => v * 2 + (c - '0'));
        else
            value = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    [GeneratedRegex(@"^[-+]?(0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumberPattern();
}

/// <summary>
/// Turns a YAML value into compact JSON text: mappings in document order (a repeated key refused, as yaml.v3 does),
/// strings escaped as Go's <c>json.Marshal</c> escapes them. Iterative, with a bound on the work, so that aliases
/// cannot blow a small document up (yaml.v3: "document contains excessive aliasing").
/// </summary>
internal sealed class YamlToJson(long budget)
{
    private long _budget = budget;

    /// <param name="renames">top-level keys to rename (eKuiper's YAML field names to its JSON ones)</param>
    public string Convert(YamlNode root, IReadOnlyDictionary<string, string>? renames = null)
    {
        var sb = new StringBuilder();
        var work = new Stack<(object Item, int Depth)>();
        work.Push((root, 0));
        while (work.Count > 0)
        {
            var (item, depth) = work.Pop();
            if (item is string literal)
            {
                sb.Append(literal);
                continue;
            }
            if (--_budget < 0) throw new YamlRefusedException("document contains excessive aliasing");
            if (depth > GoJsonLimits.MaxDepth) throw new YamlRefusedException($"exceeded max depth of {GoJsonLimits.MaxDepth}");
            switch (item)
            {
                case YamlScalar scalar:
                    sb.Append(YamlScalars.ToJson(scalar));
                    break;
                case YamlSequence sequence:
                    work.Push(("]", 0));
                    for (var i = sequence.Items.Count - 1; i >= 0; i--)
                    {
                        work.Push((sequence.Items[i], depth + 1));
                        if (i > 0) work.Push((",", 0));
                    }
                    work.Push(("[", 0));
                    break;
                case YamlMapping mapping:
                    var keys = YamlKeys.Of(mapping);
                    work.Push(("}", 0));
                    for (var i = mapping.Entries.Count - 1; i >= 0; i--)
                    {
                        var key = keys[i];
                        if (depth == 0 && renames is not null && renames.TryGetValue(key, out var renamed)) key = renamed;
                        work.Push((mapping.Entries[i].Value, depth + 1));
                        work.Push((GoJsonEncoder.Marshal(key) + ":", 0));
                        if (i > 0) work.Push((",", 0));
                    }
                    work.Push(("{", 0));
                    break;
            }
        }
        return sb.ToString();
    }
}

/// <summary>The keys of a mapping as strings, as yaml.v3 decodes them into a <c>map[string]...</c>.</summary>
internal static class YamlKeys
{
    public static IReadOnlyList<string> Of(YamlMapping mapping)
    {
        var keys = new List<string>(mapping.Entries.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, _) in mapping.Entries)
        {
            if (key is not YamlScalar scalar)
                throw new YamlRefusedException($"unmarshal errors:\n  line {key.Line}: cannot unmarshal {key.ShortTag} into string");
            if (seen.TryGetValue(scalar.Value, out var first))
                throw new YamlRefusedException($"unmarshal errors:\n  line {key.Line}: mapping key \"{scalar.Value}\" already defined at line {first}");
            seen[scalar.Value] = key.Line;
            keys.Add(scalar.Value);
        }
        return keys;
    }
}
