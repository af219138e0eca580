using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Rules;

/// <summary>The body of eKuiper's tag endpoints, <c>{"tags":[...]}</c> (its <c>server.RuleTagRequest</c>).</summary>
/// <param name="Tags">The tags; null when the body said <c>"tags":null</c> (Go's nil slice, written back as <c>null</c>).</param>
/// <param name="IsNull">The body was the JSON <c>null</c>.</param>
public sealed record RuleTagRequest(IReadOnlyList<string>? Tags, bool IsNull);

/// <summary>
/// eKuiper's rule tags (<c>internal/server/rule_tag.go</c>, <c>def.Rule.IsTagsMatch</c>): reading the request, matching
/// a rule's tags, and the rewrite of the stored rule JSON a tag change makes.
/// </summary>
public static class RuleTags
{
    private const string RequestType = "server.RuleTagRequest";
    private const string TagsField = "RuleTagRequest.tags";

    /// <summary>
    /// Decodes the body as <c>json.NewDecoder(body).Decode(&amp;request)</c> does: the first JSON value only, Go's
    /// texts (<c>EOF</c> for an empty body), field names matched ignoring case, a <c>null</c> tag read as <c>""</c>.
    /// </summary>
    public static (RuleTagRequest? Request, string? Error) Decode(ReadOnlyMemory<byte> body)
    {
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, syntax);
        using var doc = GoJsonLimits.ParseFirstValue(body);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return (new RuleTagRequest([], IsNull: true), null);
        if (root.ValueKind != JsonValueKind.Object)
            return (null, GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, RequestType));

        // Go applies every key that matches, in document order; the first type error is the one reported.
        IReadOnlyList<string>? tags = [];
        string? firstError = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!string.Equals(property.Name, "tags", StringComparison.OrdinalIgnoreCase)) continue;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    tags = null;
                    break;
                case JsonValueKind.Array:
                    var list = new List<string>();
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String) list.Add(item.GetString()!);
                        else if (item.ValueKind == JsonValueKind.Null) list.Add("");
                        else firstError ??= GoJsonError.UnmarshalType(GoJsonError.KindOf(item.ValueKind)!, "string", TagsField);
                    }
                    tags = list;
                    break;
                default:
                    firstError ??= GoJsonError.UnmarshalType(GoJsonError.KindOf(value.ValueKind)!, "[]string", TagsField);
                    break;
            }
        }
        return firstError is null ? (new RuleTagRequest(tags, IsNull: false), null) : (null, firstError);
    }

    /// <summary><c>IsTagsMatch</c>: the rule carries every requested tag (no tag requested: every rule matches).</summary>
    public static bool Matches(IReadOnlyList<string> ruleTags, IReadOnlyList<string>? requested)
    {
        requested ??= [];
        if (ruleTags.Count < requested.Count) return false;
        var have = new HashSet<string>(ruleTags, StringComparer.Ordinal);
        return requested.All(have.Contains);
    }

    /// <summary>PUT: the tags become exactly <paramref name="tags"/> (null writes <c>"tags":null</c>).</summary>
    public static (string? Json, string? Error) Replace(string ruleJson, IReadOnlyList<string>? tags) =>
        RuleJsonMap.Set(ruleJson, "tags", TagsNode(tags));

    /// <summary>
    /// PATCH (<paramref name="add"/>) appends the requested tags the rule lacks, keeping its own order; DELETE removes
    /// them. A rule without tags gets <c>[]</c> and the result; a rule whose <c>tags</c> is not an array is left as it is.
    /// </summary>
    public static (string? Json, string? Error) Update(string ruleJson, IReadOnlyList<string>? tags, bool add)
    {
        var (root, error) = RuleJsonMap.Read(ruleJson);
        if (root is null) return (null, error);

        var current = root.Get("tags");
        List<string> existing;
        if (current is null) existing = [];
        else if (current.Kind != GoJsonKind.Array) return (GoJsonTree.Marshal(root), null);
        else
        {
            existing = [];
            foreach (var item in current.Items!)
            {
                // eKuiper asserts each stored tag is a string (and panics on another); a stored rule always has strings.
                if (item.Kind != GoJsonKind.String) return (null, "interface conversion: interface {} is not string");
                existing.Add(item.Text!);
            }
        }

        var requested = tags ?? [];
        List<string> result;
        if (add)
        {
            // Only the rule's own tags are looked up: a tag requested twice is appended twice, as eKuiper does.
            var have = new HashSet<string>(existing, StringComparer.Ordinal);
            result = [.. existing, .. requested.Where(t => !have.Contains(t))];
        }
        else
        {
            var drop = new HashSet<string>(requested, StringComparer.Ordinal);
            result = existing.Where(t => !drop.Contains(t)).ToList();
        }
        root.Set("tags", TagsNode(result));
        return (GoJsonTree.Marshal(root), null);
    }

    private static GoJsonNode TagsNode(IReadOnlyList<string>? tags)
    {
        if (tags is null) return GoJsonTree.Parse("null");
        var array = GoJsonTree.Parse("[]");
        foreach (var tag in tags) array.Items!.Add(GoJsonNode.NewString(tag));
        return array;
    }
}

/// <summary>
/// A stored rule rewritten as eKuiper rewrites one (tags, <c>triggered</c>): decoded into a Go
/// <c>map[string]interface{}</c>, one member set, marshalled again, so keys come out sorted (nested ones too) and
/// numbers as Go writes a float64.
/// </summary>
public static class RuleJsonMap
{
    /// <summary>Sets <c>triggered</c>, as eKuiper's <c>ExecReplaceRuleState</c> does on start, stop and restart.</summary>
    public static (string? Json, string? Error) SetTriggered(string ruleJson, bool triggered) =>
        Set(ruleJson, "triggered", GoJsonTree.Parse(triggered ? "true" : "false"));

    internal static (string? Json, string? Error) Set(string ruleJson, string key, GoJsonNode value)
    {
        var (root, error) = Read(ruleJson);
        if (root is null) return (null, error);
        root.Set(key, value);
        return (GoJsonTree.Marshal(root), null);
    }

    internal static (GoJsonNode? Root, string? Error) Read(string ruleJson)
    {
        if (GoJsonSyntax.Check(ruleJson) is { } syntax) return (null, syntax);
        var root = GoJsonTree.Parse(ruleJson);
        if (root.Kind != GoJsonKind.Object)
            return (null, root.Kind == GoJsonKind.Null
                ? "assignment to entry in nil map"
                : GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(KindOf(root.Kind))!, "map[string]interface {}"));
        if (GoJsonTree.FirstFloatOverflow(root) is { } overflow)
            return (null, $"json: cannot unmarshal number {overflow} into Go value of type float64");
        return (root, null);
    }

    private static JsonValueKind KindOf(GoJsonKind kind) => kind switch
    {
        GoJsonKind.Array => JsonValueKind.Array,
        GoJsonKind.String => JsonValueKind.String,
        GoJsonKind.Number => JsonValueKind.Number,
        GoJsonKind.True => JsonValueKind.True,
        GoJsonKind.False => JsonValueKind.False,
        _ => JsonValueKind.Object,
    };
}
