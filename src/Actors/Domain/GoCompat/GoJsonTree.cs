using System.Globalization;
using System.Text;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.GoCompat;

/// <summary>The kinds of JSON value, as Go's decoder tells them apart.</summary>
internal enum GoJsonKind
{
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}

/// <summary>One member of a JSON object, in document order; duplicates are kept.</summary>
internal sealed class GoJsonMember(string key, GoJsonNode value)
{
    public string Key { get; set; } = key;
    public GoJsonNode Value { get; set; } = value;
}

/// <summary>
/// A JSON value as Go's <c>encoding/json</c> sees it: strings already unescaped the Go way (a lone
/// surrogate becomes U+FFFD), numbers as their literal, objects with every member in document order
/// (a Go map keeps the last of duplicate keys, a Go struct decodes them one after the other), and the
/// raw text of the value for when it is stored as written.
/// </summary>
internal sealed class GoJsonNode
{
    private readonly string? _source;
    private readonly int _start;
    private int _end;

    private GoJsonNode(GoJsonKind kind, string? text, string? source, int start)
    {
        Kind = kind;
        Text = text;
        _source = source;
        _start = start;
        if (kind == GoJsonKind.Array) Items = [];
        if (kind == GoJsonKind.Object) Members = [];
    }

    public GoJsonKind Kind { get; }

    /// <summary>The unescaped string, or the number literal; null for other kinds.</summary>
    public string? Text { get; }

    public List<GoJsonNode>? Items { get; }

    public List<GoJsonMember>? Members { get; }

    /// <summary>The value as it was written (built values have none: they are marshalled instead).</summary>
    public string Raw => _source is null ? GoJsonTree.Marshal(this) : _source[_start.._end];

    public static GoJsonNode NewString(string value) => new(GoJsonKind.String, value, null, 0);

    public static GoJsonNode NewObject() => new(GoJsonKind.Object, null, null, 0);

    /// <summary>Go's map lookup: the value of the last member with exactly this key.</summary>
    public GoJsonNode? Get(string key)
    {
        GoJsonNode? found = null;
        foreach (var member in Members!)
            if (string.Equals(member.Key, key, StringComparison.Ordinal)) found = member.Value;
        return found;
    }

    /// <summary>Go's <c>m[key] = value</c>.</summary>
    public void Set(string key, GoJsonNode value)
    {
        var members = Members!;
        var first = members.FindIndex(m => string.Equals(m.Key, key, StringComparison.Ordinal));
        if (first < 0)
        {
            members.Add(new GoJsonMember(key, value));
            return;
        }
        var kept = members[first];
        kept.Value = value;
        members.RemoveAll(m => !ReferenceEquals(m, kept) && string.Equals(m.Key, key, StringComparison.Ordinal));
    }

    /// <summary>Go's <c>delete(m, key)</c>.</summary>
    public void Delete(string key) =>
        Members!.RemoveAll(m => string.Equals(m.Key, key, StringComparison.Ordinal));

    /// <summary>The distinct keys of an object in the order they first appear.</summary>
    public IEnumerable<string> DistinctKeys()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in Members!)
            if (seen.Add(member.Key)) yield return member.Key;
    }

    internal static GoJsonNode Start(GoJsonKind kind, string? text, string source, int start) =>
        new(kind, text, source, start);

    internal void Finish(int end) => _end = end;
}

/// <summary>Reads and writes <see cref="GoJsonNode"/> trees the way Go's <c>encoding/json</c> does.</summary>
internal static class GoJsonTree
{
    /// <summary>
    /// Builds the tree of a text that <see cref="GoJsonSyntax.Check(string)"/> accepted (anything else
    /// throws). Iterative, so Go's full nesting depth cannot exhaust the stack.
    /// </summary>
    public static GoJsonNode Parse(string text)
    {
        if (GoJsonSyntax.Check(text) is { } error) throw new FormatException(error);

        var open = new List<GoJsonNode>();
        var keys = new List<string?>();
        var i = 0;
        while (true)
        {
            i = SkipSpace(text, i);
            GoJsonNode value;
            if (open.Count > 0 && open[^1].Kind == GoJsonKind.Object)
            {
                keys[^1] = ReadString(text, ref i);
                i = SkipSpace(text, i) + 1; // the ':'
                i = SkipSpace(text, i);
            }

            var c = text[i];
            if (c is '{' or '[')
            {
                var container = GoJsonNode.Start(c == '{' ? GoJsonKind.Object : GoJsonKind.Array, null, text, i);
                i = SkipSpace(text, i + 1);
                if (text[i] is '}' or ']')
                {
                    container.Finish(++i);
                    value = container;
                }
                else
                {
                    open.Add(container);
                    keys.Add(null);
                    continue;
                }
            }
            else if (c == '"')
            {
                var start = i;
                var s = ReadString(text, ref i);
                value = GoJsonNode.Start(GoJsonKind.String, s, text, start);
                value.Finish(i);
            }
            else if (c is 't' or 'f' or 'n')
            {
                var kind = c == 't' ? GoJsonKind.True : c == 'f' ? GoJsonKind.False : GoJsonKind.Null;
                value = GoJsonNode.Start(kind, null, text, i);
                i += c == 'f' ? 5 : 4;
                value.Finish(i);
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] is (>= '0' and <= '9') or '-' or '+' or '.' or 'e' or 'E') i++;
                value = GoJsonNode.Start(GoJsonKind.Number, text[start..i], text, start);
                value.Finish(i);
            }

            // Attach the finished value; close every container that ends right after it.
            while (true)
            {
                if (open.Count == 0) return value;
                var parent = open[^1];
                if (parent.Kind == GoJsonKind.Object) parent.Members!.Add(new GoJsonMember(keys[^1]!, value));
                else parent.Items!.Add(value);
                i = SkipSpace(text, i);
                if (text[i] == ',')
                {
                    i++;
                    break;
                }
                parent.Finish(++i);
                open.RemoveAt(open.Count - 1);
                keys.RemoveAt(keys.Count - 1);
                value = parent;
            }
        }
    }

    /// <summary>
    /// Go's <c>json.Marshal</c> of the value a <c>map[string]interface{}</c>/<c>interface{}</c> decode
    /// produced: compact, object keys deduplicated (last wins) and sorted by their UTF-8 bytes, numbers
    /// re-formatted from float64, strings escaped HTML-safe.
    /// </summary>
    public static string Marshal(GoJsonNode root) => Print(root, JsonStyle);

    private static readonly PrintStyle JsonStyle = new(
        Leaf: node => node.Kind switch
        {
            GoJsonKind.Null => "null",
            GoJsonKind.True => "true",
            GoJsonKind.False => "false",
            GoJsonKind.Number => GoFloat.TryParse(node.Text!, out var f) ? GoFloat.FormatJson(f) : node.Text!,
            _ => GoJsonEncoder.Marshal(node.Text!),
        },
        ArrayOpen: "[", MapOpen: "{", MapClose: "}", Separator: ",", Key: key => GoJsonEncoder.Marshal(key) + ":");

    /// <summary>
    /// Compact JSON as written: members in document order, numbers as their literal, Go's escaping. The text a stored
    /// definition has when it comes back from its tree unchanged; null if an object repeats a key.
    /// </summary>
    public static string? CompactAsWritten(GoJsonNode root) => Walk(root, AsWrittenStyle, asWritten: true);

    private static readonly PrintStyle AsWrittenStyle =
        JsonStyle with { Leaf = node => node.Kind == GoJsonKind.Number ? node.Text! : JsonStyle.Leaf(node) };

    /// <summary>How a Go printer writes a decoded value: leaves, brackets, separators and map keys.</summary>
    internal sealed record PrintStyle(
        Func<GoJsonNode, string> Leaf, string ArrayOpen, string MapOpen, string MapClose, string Separator, Func<string, string> Key);

    /// <summary>
    /// Walks a decoded value as Go's printers do: arrays in order, map keys deduplicated (last wins) and sorted by
    /// their UTF-8 bytes. Iterative, so a deeply nested value cannot overflow the stack.
    /// </summary>
    internal static string Print(GoJsonNode root, PrintStyle style) => Walk(root, style, asWritten: false)!;

    /// <summary>
    /// The one walk behind <see cref="Print"/> and <see cref="CompactAsWritten"/>; they differ in map keys only:
    /// Go's map order, or every member as written (null when a key repeats).
    /// </summary>
    private static string? Walk(GoJsonNode root, PrintStyle style, bool asWritten)
    {
        var sb = new StringBuilder();
        var work = new Stack<object>();
        work.Push(root);
        while (work.Count > 0)
        {
            var item = work.Pop();
            if (item is string literal)
            {
                sb.Append(literal);
                continue;
            }
            var node = (GoJsonNode)item;
            switch (node.Kind)
            {
                case GoJsonKind.Array:
                    work.Push("]");
                    for (var j = node.Items!.Count - 1; j >= 0; j--)
                    {
                        work.Push(node.Items[j]);
                        if (j > 0) work.Push(style.Separator);
                    }
                    work.Push(style.ArrayOpen);
                    break;
                case GoJsonKind.Object:
                    if (MembersInOrder(node, asWritten) is not { } members) return null;
                    work.Push(style.MapClose);
                    for (var j = members.Count - 1; j >= 0; j--)
                    {
                        work.Push(members[j].Value);
                        work.Push(style.Key(members[j].Key));
                        if (j > 0) work.Push(style.Separator);
                    }
                    work.Push(style.MapOpen);
                    break;
                default:
                    sb.Append(style.Leaf(node));
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>An object's members as Go's map has them (last of a key wins, sorted), or as written (null if a key repeats).</summary>
    private static List<KeyValuePair<string, GoJsonNode>>? MembersInOrder(GoJsonNode node, bool asWritten)
    {
        if (asWritten)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var written = new List<KeyValuePair<string, GoJsonNode>>(node.Members!.Count);
            foreach (var member in node.Members!)
            {
                if (!seen.Add(member.Key)) return null;
                written.Add(new(member.Key, member.Value));
            }
            return written;
        }
        var last = new Dictionary<string, GoJsonNode>(StringComparer.Ordinal);
        foreach (var member in node.Members!) last[member.Key] = member.Value;
        var sorted = last.ToList();
        sorted.Sort((a, b) => GoStringOrder.Instance.Compare(a.Key, b.Key));
        return sorted;
    }

    public static string? FirstFloatOverflow(GoJsonNode root)
    {
        var work = new Stack<GoJsonNode>();
        work.Push(root);
        while (work.Count > 0)
        {
            var node = work.Pop();
            switch (node.Kind)
            {
                case GoJsonKind.Number when !GoFloat.TryParse(node.Text!, out _):
                    return node.Text;
                case GoJsonKind.Array:
                    for (var j = node.Items!.Count - 1; j >= 0; j--) work.Push(node.Items[j]);
                    break;
                case GoJsonKind.Object:
                    for (var j = node.Members!.Count - 1; j >= 0; j--) work.Push(node.Members[j].Value);
                    break;
            }
        }
        return null;
    }

    internal static int SkipSpace(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r') i++;
        return i;
    }

    /// <summary>Go's <c>unquote</c>: escapes resolved, invalid surrogates replaced by U+FFFD.</summary>
    internal static string ReadString(string text, ref int i)
    {
        var sb = new StringBuilder();
        i++; // opening quote
        while (true)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return sb.ToString();
            }
            if (c != '\\')
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    sb.Append(c).Append(text[i + 1]);
                    i += 2;
                    continue;
                }
                sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                i++;
                continue;
            }
            var e = text[i + 1];
            switch (e)
            {
                case 'b': sb.Append('\b'); i += 2; break;
                case 'f': sb.Append('\f'); i += 2; break;
                case 'n': sb.Append('\n'); i += 2; break;
                case 'r': sb.Append('\r'); i += 2; break;
                case 't': sb.Append('\t'); i += 2; break;
                case 'u':
                    var r = Hex4(text, i + 2);
                    i += 6;
                    if (r is >= 0xD800 and <= 0xDFFF)
                    {
                        if (r <= 0xDBFF && i + 5 < text.Length && text[i] == '\\' && text[i + 1] == 'u'
                            && Hex4(text, i + 2) is >= 0xDC00 and <= 0xDFFF and var low)
                        {
                            sb.Append((char)r).Append((char)low);
                            i += 6;
                            break;
                        }
                        r = 0xFFFD;
                    }
                    sb.Append((char)r);
                    break;
                default: // '"', '\\', '/'
                    sb.Append(e);
                    i += 2;
                    break;
            }
        }
    }

    private static int Hex4(string text, int at) =>
        int.Parse(text.AsSpan(at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}

/// <summary>
/// Go's order of strings: by their UTF-8 bytes, which is code point order (UTF-16 ordinal order is
/// not, above U+E000). A lone surrogate counts as U+FFFD, as its UTF-8 form would be.
/// </summary>
internal sealed class GoStringOrder : IComparer<string>
{
    public static GoStringOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var a = (x ?? "").AsSpan();
        var b = (y ?? "").AsSpan();
        while (!a.IsEmpty && !b.IsEmpty)
        {
            Rune.DecodeFromUtf16(a, out var ra, out var na);
            Rune.DecodeFromUtf16(b, out var rb, out var nb);
            if (ra.Value != rb.Value) return ra.Value.CompareTo(rb.Value);
            a = a[na..];
            b = b[nb..];
        }
        return a.Length.CompareTo(b.Length) switch { 0 => 0, var n => Math.Sign(n) };
    }
}
