using System.Text;
using System.Text.Json;

namespace Kuiper.Actors.Streams;

/// <summary>
/// The Go standard-library text behaviours only the DDL parser depends on: <c>json.Valid</c> and
/// <c>strings.ToUpper</c>/<c>ToLower</c>. Quoting and <c>strconv</c> parsing are shared with the SELECT
/// analyzer: see <see cref="GoCompat.GoQuote"/> and <see cref="GoCompat.GoStrconv"/>.
/// </summary>
internal static class GoText
{
    /// <summary>Go <c>json.Valid</c>: exactly one RFC 8259 value, optional surrounding whitespace.</summary>
    public static bool IsValidJson(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            MaxDepth = 10000,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        try
        {
            var any = false;
            while (reader.Read())
            {
                any = true;
            }

            return any;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Go <c>strings.ToUpper</c> (simple per-rune mapping).</summary>
    public static string ToUpper(string s) => s.ToUpperInvariant();

    /// <summary>Go <c>strings.ToLower</c> (simple per-rune mapping).</summary>
    public static string ToLower(string s) => s.ToLowerInvariant();
}
