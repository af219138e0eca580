namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's <c>strings.ToUpper</c>/<c>ToLower</c> as the DDL parser uses them. Quoting, <c>strconv</c> parsing
/// and <c>json.Valid</c> are shared: see <see cref="GoCompat.GoQuote"/>, <see cref="GoCompat.GoStrconv"/> and
/// <see cref="GoCompat.GoJsonSyntax"/>.
/// </summary>
internal static class GoText
{
    /// <summary>Go <c>strings.ToUpper</c> (simple per-rune mapping).</summary>
    public static string ToUpper(string s) => s.ToUpperInvariant();

    /// <summary>Go <c>strings.ToLower</c> (simple per-rune mapping).</summary>
    public static string ToLower(string s) => s.ToLowerInvariant();
}
