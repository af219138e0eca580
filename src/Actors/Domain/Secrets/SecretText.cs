using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Secrets;

/// <summary>
/// Secrets inside stored texts, edited in place: everything that is not a secret stays byte for byte as written (Go's
/// escapes such as <c>\u003c</c>, key order, duplicate keys, numbers such as <c>1e400</c>, spacing).
/// </summary>
/// <remarks>
/// <para>A secret position is a value under a secret key (<see cref="SecretKeys"/>), at any depth below it: an object
/// or array under <c>credentials</c> has each of its leaves treated as secret. Of those, non-empty strings and numbers
/// are masked and sealed; null, <c>true</c>, <c>false</c> and <c>""</c> carry nothing to hide and stay, so an empty
/// password still reads as empty. A masked number becomes the string <c>"******"</c>.</para>
/// <para>A text that is not a JSON object or array (a stream's SQL, a bare scalar) is free text: only its URL
/// passwords are secret.</para>
/// </remarks>
public static partial class SecretText
{
    /// <summary>What a secret reads as once masked.</summary>
    public const string Masked = "******";

    private const string MaskedString = "\"" + Masked + "\"";

    /// <summary>A part of every secret key (<see cref="SecretKeys.Names"/>; a test holds them together).</summary>
    private static readonly SearchValues<string> KeyParts =
        SearchValues.Create(["pass", "pwd", "token", "secret", "key", "credential"], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// False when <paramref name="text"/> certainly holds no secret, so that the JSON scan can be skipped (most rules
    /// and streams): no part of a secret key, no <c>@</c> of a URL's userinfo, no <c>\u</c> escape that could spell
    /// either, and nothing outside ASCII, where ignoring case matches more than these parts.
    /// </summary>
    public static bool MayHoldSecret(string text) =>
        !Ascii.IsValid(text) || text.Contains('@') || text.Contains("\\u", StringComparison.Ordinal) || text.AsSpan().IndexOfAny(KeyParts) >= 0;

    /// <summary>
    /// <paramref name="text"/> with every secret value replaced by <c>"******"</c> and every URL password inside a
    /// string by <c>******</c> (<c>tcp://u:******@host</c>); for free text, its URL passwords only.
    /// </summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MayHoldSecret(text)) return text;
        if (JsonLeaves.Read(text) is not { } leaves) return SecretUrls.MaskAll(text);
        var edits = new List<(int, int, string)>();
        foreach (var leaf in leaves)
        {
            if (leaf.IsMaskable)
            {
                edits.Add((leaf.Start, leaf.End, MaskedString));
            }
            else if (leaf.Kind == LeafKind.String)
            {
                var raw = text[leaf.Start..leaf.End];
                var masked = SecretUrls.MaskAll(raw);
                if (masked != raw) edits.Add((leaf.Start, leaf.End, masked));
            }
        }
        return JsonLeaves.Splice(text, edits);
    }

    /// <summary>
    /// An error text or log line with its secrets masked: URL passwords, JSON members such as <c>"password":"x"</c>
    /// (also escaped inside a quoted message: <c>\"password\":\"x\"</c>), and <c>password=x</c> fragments (the value
    /// up to a space, <c>&amp;</c>, <c>,</c>, <c>;</c> or <c>)</c>, or a quoted value), for every secret key.
    /// </summary>
    public static string MaskMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = SecretUrls.MaskAll(text);
        masked = EscapedMember().Replace(masked, m => SecretKeys.IsSecret(m.Groups["key"].Value)
            ? m.Groups["head"].Value + "\\\"" + Masked + "\\\""
            : m.Value);
        masked = Member().Replace(masked, m => SecretKeys.IsSecret(m.Groups["key"].Value)
            ? m.Groups["head"].Value + MaskedString
            : m.Value);
        return Assignment().Replace(masked, m =>
        {
            if (!SecretKeys.IsSecret(m.Groups["key"].Value)) return m.Value;
            var value = m.Groups["value"].Value;
            var quote = value[0] is '"' or '\'' ? value[0].ToString() : "";
            return m.Groups["head"].Value + quote + Masked + quote;
        });
    }

    [GeneratedRegex("""(?<head>\\"(?<key>[A-Za-z0-9_\-]+)\\"\s*:\s*)(?:\\"(?:[^"\\]|\\[^"])*\\"|-?[0-9][0-9.eE+\-]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedMember();

    [GeneratedRegex("""(?<head>"(?<key>[A-Za-z0-9_\-]+)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+\-]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex Member();

    [GeneratedRegex("""(?<![A-Za-z0-9_\-])(?<head>(?<key>[A-Za-z][A-Za-z0-9_\-]*)\s*=\s*)(?<value>"[^"]*"|'[^']*'|[^\s&,;)"']+)""", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    /// <summary>
    /// A write's text with its masks put back: each <c>"******"</c> at a secret position becomes the value stored at
    /// the same path (object keys and array indexes), and each string holding a URL whose password is <c>******</c>
    /// becomes the stored string at that path when the two differ in nothing but their URL passwords. Everything
    /// else is kept as sent. An error, naming the path, when there is nothing to put back: a URL whose host or user
    /// changed gets no stored password, so that no password can be sent on to a new host without being typed again.
    /// </summary>
    public static (string? Text, string? Error) Restore(string incoming, string? stored)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (JsonLeaves.Read(incoming) is not { } leaves)
        {
            if (!SecretUrls.HasMaskedPassword(incoming)) return (incoming, null);
            return stored is not null && SecretUrls.MaskAll(stored) == incoming
                ? (stored, null)
                : (null, UrlError("(the text)"));
        }

        var before = new Dictionary<string, JsonLeaf>(StringComparer.Ordinal);
        foreach (var leaf in JsonLeaves.Read(stored) ?? []) before[leaf.PathKey] = leaf; // a duplicate key: the last, as Go reads it
        var edits = new List<(int, int, string)>();
        foreach (var leaf in leaves)
        {
            if (leaf.Kind != LeafKind.String) continue;
            if (leaf.UnderSecretKey && leaf.Value == Masked)
            {
                if (!before.TryGetValue(leaf.PathKey, out var old) || !old.IsMaskable)
                    return (null, $"secret {GoQuote.Quote(leaf.Path)} is \"{Masked}\" but no value is stored for it: send the value itself");
                edits.Add((leaf.Start, leaf.End, stored![old.Start..old.End]));
                continue;
            }
            var raw = incoming[leaf.Start..leaf.End];
            if (!SecretUrls.HasMaskedPassword(raw)) continue;
            if (!before.TryGetValue(leaf.PathKey, out var url) || url.Kind != LeafKind.String
                || SecretUrls.MaskAll(stored![url.Start..url.End]) != raw)
                return (null, UrlError(GoQuote.Quote(leaf.Path)));
            edits.Add((leaf.Start, leaf.End, stored[url.Start..url.End]));
        }
        return (JsonLeaves.Splice(incoming, edits), null);
    }

    private static string UrlError(string where) =>
        $"secret {where} holds a URL whose password is \"{Masked}\" but no URL that differs from it only in passwords is stored there: send the password itself";

    /// <summary>
    /// <paramref name="text"/> with every secret sealed with the ring's newest key (<see cref="SecretEnvelope"/>): each
    /// maskable value under a secret key, and each string holding a URL password, becomes the string
    /// <c>"enc:v1:..."</c> sealing the value's JSON text as written (quotes and escapes included), so that
    /// <see cref="Open"/> gives back the very same bytes; values already sealed stay. Free text holding a URL password
    /// is sealed whole.
    /// </summary>
    public static string Seal(string text, SecretKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ring);
        if (!MayHoldSecret(text)) return text;
        if (JsonLeaves.Read(text) is not { } leaves)
            return SecretUrls.HasPassword(text) && !SecretEnvelope.IsSealed(text) ? SecretEnvelope.Seal(text, ring) : text;
        var edits = new List<(int, int, string)>();
        foreach (var leaf in leaves)
        {
            if (leaf.Kind == LeafKind.String && SecretEnvelope.IsSealed(leaf.Value)) continue;
            var raw = text[leaf.Start..leaf.End];
            if (leaf.IsMaskable || (leaf.Kind == LeafKind.String && SecretUrls.HasPassword(raw)))
                edits.Add((leaf.Start, leaf.End, "\"" + SecretEnvelope.Seal(raw, ring) + "\""));
        }
        return JsonLeaves.Splice(text, edits);
    }

    /// <summary>
    /// <paramref name="text"/> with every sealed string opened back to the JSON text it sealed (wherever it is), or the
    /// first error, naming the path and the key id (<c>secret "a.password": sealed with key 1a2b3c4d, which this node
    /// does not have</c>). Free text that is one sealed value opens whole.
    /// </summary>
    public static (string? Text, string? Error) Open(string text, SecretKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ring);
        if (JsonLeaves.Read(text) is not { } leaves)
        {
            if (!SecretEnvelope.IsSealed(text)) return (text, null);
            return SecretEnvelope.TryOpen(text, ring, out var whole, out var wholeError)
                ? (whole, null)
                : (null, "secret (the text): " + wholeError);
        }
        var edits = new List<(int, int, string)>();
        foreach (var leaf in leaves)
        {
            if (leaf.Kind != LeafKind.String || !SecretEnvelope.IsSealed(leaf.Value)) continue;
            if (!SecretEnvelope.TryOpen(leaf.Value!, ring, out var plain, out var error))
                return (null, $"secret {GoQuote.Quote(leaf.Path)}: {error}");
            if (!IsScalarText(plain))
                return (null, $"secret {GoQuote.Quote(leaf.Path)}: sealed with key {SecretEnvelope.KeyIdOf(leaf.Value)}, but what it seals is not a JSON string or number");
            edits.Add((leaf.Start, leaf.End, plain));
        }
        return (JsonLeaves.Splice(text, edits), null);
    }

    /// <summary>
    /// <paramref name="text"/> with every secret under the ring's newest key (what a key rotation writes): plaintext
    /// secrets sealed, values sealed under an older key opened and sealed again, values under the newest key kept.
    /// The very same instance when nothing changes; an error naming the path and key id when a value does not open.
    /// </summary>
    public static (string? Text, string? Error) Reseal(string text, SecretKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ring);
        if (!MayHoldSecret(text) && !text.Contains(SecretEnvelope.Prefix, StringComparison.Ordinal)) return (text, null);
        if (JsonLeaves.Read(text) is not { } leaves)
        {
            if (!SecretEnvelope.IsSealed(text)) return (SecretUrls.HasPassword(text) ? SecretEnvelope.Seal(text, ring) : text, null);
            if (SecretEnvelope.KeyIdOf(text) == ring.Current.Id) return (text, null);
            return SecretEnvelope.TryOpen(text, ring, out var whole, out var wholeError)
                ? (SecretEnvelope.Seal(whole, ring), null)
                : (null, "secret (the text): " + wholeError);
        }
        var edits = new List<(int, int, string)>();
        foreach (var leaf in leaves)
        {
            var raw = text[leaf.Start..leaf.End];
            if (leaf.Kind == LeafKind.String && SecretEnvelope.IsSealed(leaf.Value))
            {
                if (SecretEnvelope.KeyIdOf(leaf.Value) == ring.Current.Id) continue;
                if (!SecretEnvelope.TryOpen(leaf.Value!, ring, out var plain, out var error))
                    return (null, $"secret {GoQuote.Quote(leaf.Path)}: {error}");
                edits.Add((leaf.Start, leaf.End, "\"" + SecretEnvelope.Seal(plain, ring) + "\""));
            }
            else if (leaf.IsMaskable || (leaf.Kind == LeafKind.String && SecretUrls.HasPassword(raw)))
            {
                edits.Add((leaf.Start, leaf.End, "\"" + SecretEnvelope.Seal(raw, ring) + "\""));
            }
        }
        return (edits.Count == 0 ? text : JsonLeaves.Splice(text, edits), null);
    }

    /// <summary>The distinct key ids that the sealed values of <paramref name="text"/> name, in order of appearance.</summary>
    public static IReadOnlyList<string> SealedKeyIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<string>();
        if (JsonLeaves.Read(text) is not { } leaves)
        {
            if (SecretEnvelope.KeyIdOf(text) is { } id) ids.Add(id);
            return ids;
        }
        foreach (var leaf in leaves)
            if (leaf.Kind == LeafKind.String && SecretEnvelope.KeyIdOf(leaf.Value) is { } id && !ids.Contains(id))
                ids.Add(id);
        return ids;
    }

    /// <summary>Exactly one JSON string or number, nothing around it (what <see cref="Seal"/> seals).</summary>
    private static bool IsScalarText(string text) =>
        text.Length > 0 && (text[0] == '"' || text[0] == '-' || char.IsAsciiDigit(text[0])) && GoJsonSyntax.Check(text) is null;
}
