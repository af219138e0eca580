namespace Kuiper.Domain.Resources;

/// <summary>eKuiper's <c>validate.ValidateID</c>, which names of streams, tables and rules must pass.</summary>
public static class ResourceId
{
    /// <summary>
    /// Null for a valid id, else one of <c>id cannot be empty</c>, <c>id '&lt;id&gt;' contains leading or
    /// trailing whitespace</c>, <c>id '&lt;id&gt;' contains invalid characters: only alphanumeric, hyphens and
    /// underscores are allowed</c>. Valid: one or more ASCII letters, digits, <c>_</c> and <c>-</c>.
    /// </summary>
    public static string? Check(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0) return "id cannot be empty";
        if (IsGoSpace(id, first: true) || IsGoSpace(id, first: false))
            return $"id '{id}' contains leading or trailing whitespace";
        foreach (var c in id)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-') continue;
            return $"id '{id}' contains invalid characters: only alphanumeric, hyphens and underscores are allowed";
        }
        return null;
    }

    // strings.TrimSpace trims Go's unicode.IsSpace: '\t' '\n' '\v' '\f' '\r' ' ' U+0085 U+00A0 and the
    // White_Space code points beyond Latin-1.
    private static bool IsGoSpace(string s, bool first)
    {
        var rune = first ? (System.Text.Rune.TryGetRuneAt(s, 0, out var r) ? r : System.Text.Rune.ReplacementChar) : LastRune(s);
        return rune.Value switch
        {
            '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0 => true,
            0x1680 or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
            _ => false,
        };
    }

    private static System.Text.Rune LastRune(string s)
    {
        var i = s.Length - 1;
        if (i > 0 && char.IsLowSurrogate(s[i]) && char.IsHighSurrogate(s[i - 1])) i--;
        return System.Text.Rune.TryGetRuneAt(s, i, out var r) ? r : System.Text.Rune.ReplacementChar;
    }
}
