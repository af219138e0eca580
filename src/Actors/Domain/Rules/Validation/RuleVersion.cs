using System.Text;

namespace Kuiper.Domain.Rules.Validation;

/// <summary>eKuiper's rule version ordering (<c>processor.CanReplace</c>): plain string comparison.</summary>
public static class RuleVersion
{
    /// <summary>
    /// Whether a rule with version <paramref name="new"/> may replace one with version
    /// <paramref name="old"/>: true when both are empty (backward compatibility), else only when
    /// <paramref name="new"/> sorts strictly after <paramref name="old"/> in Go's string order (UTF-8
    /// bytes). So <c>"10"</c> is lower than <c>"9"</c>, an equal version is refused, and an empty new
    /// version never replaces a versioned rule.
    /// </summary>
    public static bool CanReplace(string old, string @new)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        if (old.Length == 0 && @new.Length == 0) return true;
        return CompareUtf8(@new, old) > 0;
    }

    /// <summary>
    /// The error when <see cref="CanReplace"/> is false:
    /// <c>rule &lt;id&gt; already exists with version (&lt;old&gt;), new version (&lt;new&gt;) is lower</c>.
    /// </summary>
    public static string LowerVersionError(string id, string old, string @new) =>
        $"rule {id} already exists with version ({old}), new version ({@new}) is lower";

    // Go compares the UTF-8 bytes; that is code point order (a lone surrogate is U+FFFD in UTF-8).
    private static int CompareUtf8(string a, string b)
    {
        var x = a.AsSpan();
        var y = b.AsSpan();
        while (!x.IsEmpty && !y.IsEmpty)
        {
            Rune.DecodeFromUtf16(x, out var rx, out var nx);
            Rune.DecodeFromUtf16(y, out var ry, out var ny);
            if (rx.Value != ry.Value) return rx.Value < ry.Value ? -1 : 1;
            x = x[nx..];
            y = y[ny..];
        }
        return x.Length == y.Length ? 0 : x.IsEmpty ? -1 : 1;
    }
}
