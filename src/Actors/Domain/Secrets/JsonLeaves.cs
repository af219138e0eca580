using System.Globalization;
using System.Text;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Secrets;

internal enum LeafKind
{
    String,
    Number,
    Literal,
}

/// <summary>
/// One scalar of a JSON text: where it is written (<see cref="Start"/> to <see cref="End"/>, quotes included), its
/// path for people (<c>mqtt.default.password</c>, <c>sinks[0].token</c>) and for lookups (<see cref="PathKey"/>,
/// unambiguous whatever the keys hold), and whether a secret key is on its path.
/// </summary>
internal sealed record JsonLeaf(string Path, string PathKey, int Start, int End, LeafKind Kind, string? Value, bool UnderSecretKey)
{
    /// <summary>What masking hides: a non-empty string or a number under a secret key (null, booleans and "" say nothing).</summary>
    public bool IsMaskable => UnderSecretKey && (Kind == LeafKind.Number || (Kind == LeafKind.String && Value!.Length > 0));
}

/// <summary>The scalars of a JSON object or array, in document order, read without a tree and without recursion.</summary>
internal static class JsonLeaves
{
    private sealed class Frame(bool isObject, string path, string pathKey, bool secret)
    {
        public bool IsObject { get; } = isObject;
        public string Path { get; } = path;
        public string PathKey { get; } = pathKey;
        public bool Secret { get; } = secret;
        public int Index { get; set; }
    }

    /// <summary>
    /// The leaves of <paramref name="text"/> when it is one JSON object or array as Go's decoder accepts it (as deep as
    /// <see cref="GoJsonLimits.MaxDepth"/>); null for anything else (SQL, a bare scalar, malformed JSON).
    /// </summary>
    public static List<JsonLeaf>? Read(string? text)
    {
        if (text is null) return null;
        var i = GoJsonTree.SkipSpace(text, 0);
        if (i >= text.Length || text[i] is not ('{' or '[')) return null;
        if (GoJsonSyntax.Check(text) is not null) return null;

        var leaves = new List<JsonLeaf>();
        var stack = new List<Frame> { new(text[i] == '{', "", "", false) };
        i++;
        while (stack.Count > 0)
        {
            i = GoJsonTree.SkipSpace(text, i);
            if (text[i] == ',') i = GoJsonTree.SkipSpace(text, i + 1);
            if (text[i] is '}' or ']')
            {
                stack.RemoveAt(stack.Count - 1);
                i++;
                continue;
            }

            var parent = stack[^1];
            string path, pathKey;
            var secret = parent.Secret;
            if (parent.IsObject)
            {
                var key = GoJsonTree.ReadString(text, ref i);
                i = GoJsonTree.SkipSpace(text, i) + 1; // the ':'
                i = GoJsonTree.SkipSpace(text, i);
                path = parent.Path.Length == 0 ? key : parent.Path + "." + key;
                pathKey = parent.PathKey + "k" + key.Length.ToString(CultureInfo.InvariantCulture) + ":" + key;
                secret |= SecretKeys.IsSecret(key);
            }
            else
            {
                var index = parent.Index++.ToString(CultureInfo.InvariantCulture);
                path = parent.Path + "[" + index + "]";
                pathKey = parent.PathKey + "i" + index + ";";
            }

            var start = i;
            var c = text[i];
            if (c is '{' or '[')
            {
                stack.Add(new Frame(c == '{', path, pathKey, secret));
                i++;
            }
            else if (c == '"')
            {
                var value = GoJsonTree.ReadString(text, ref i);
                leaves.Add(new JsonLeaf(path, pathKey, start, i, LeafKind.String, value, secret));
            }
            else if (c is 't' or 'f' or 'n')
            {
                i += c == 'f' ? 5 : 4;
                leaves.Add(new JsonLeaf(path, pathKey, start, i, LeafKind.Literal, null, secret));
            }
            else
            {
                while (i < text.Length && text[i] is (>= '0' and <= '9') or '-' or '+' or '.' or 'e' or 'E') i++;
                leaves.Add(new JsonLeaf(path, pathKey, start, i, LeafKind.Number, text[start..i], secret));
            }
        }
        return leaves;
    }

    /// <summary>The text with each (start, end) span replaced, spans in document order and not overlapping.</summary>
    public static string Splice(string text, List<(int Start, int End, string With)> edits)
    {
        if (edits.Count == 0) return text;
        var sb = new StringBuilder(text.Length + 16 * edits.Count);
        var at = 0;
        foreach (var (start, end, with) in edits)
        {
            sb.Append(text, at, start - at).Append(with);
            at = end;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }
}
