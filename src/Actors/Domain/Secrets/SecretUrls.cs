using System.Text.RegularExpressions;

namespace Kuiper.Domain.Secrets;

/// <summary>
/// The password of a URL's userinfo (<c>scheme://user:password@host</c>), found in free text or in the raw text of a
/// JSON string. As Go's <c>url.Parse</c> reads it: the userinfo ends at the last <c>@</c> before the path, query or
/// fragment, and the user name at the first <c>:</c>, so a password may hold <c>@</c> and <c>:</c>.
/// </summary>
/// <remarks>
/// Whitespace and quotes end a URL (free text and SQL quote their values); a backslash ends it too, except in a
/// <c>\uXXXX</c> escape, so that Go's <c>\u0026</c> inside a JSON string stays part of a password while <c>\"</c> ends it.
/// A scheme starts only where no scheme character precedes it, and a URL ends at the next <c>/</c>, so each <c>://</c>
/// starts one attempt that scans no further than the next one: the search stays linear in the text's length.
/// </remarks>
internal static partial class SecretUrls
{
    public const string Mask = "******";

    [GeneratedRegex("""(?<![A-Za-z0-9+.\-])(?<head>[A-Za-z][A-Za-z0-9+.\-]*://(?:[^:/?#\s"'`\\]|\\u[0-9A-Fa-f]{4})*:)(?<pass>(?:[^/?#\s"'`\\]|\\u[0-9A-Fa-f]{4})+)@""", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    /// <summary>The text with every URL password replaced by <c>******</c>.</summary>
    public static string MaskAll(string text) =>
        text.Contains("://", StringComparison.Ordinal)
            ? UserInfo().Replace(text, m => m.Groups["head"].Value + Mask + "@")
            : text;

    /// <summary>Whether the text holds a URL with a password (any, <c>******</c> included).</summary>
    public static bool HasPassword(string text) =>
        text.Contains("://", StringComparison.Ordinal) && UserInfo().IsMatch(text);

    /// <summary>Whether the text holds a URL whose password is exactly <c>******</c>.</summary>
    public static bool HasMaskedPassword(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal)) return false;
        foreach (Match m in UserInfo().Matches(text))
            if (m.Groups["pass"].ValueSpan.SequenceEqual(Mask)) return true;
        return false;
    }
}
