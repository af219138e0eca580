using System.Globalization;
using System.Text;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's <c>strconv.Quote</c> (what <c>%q</c> prints for a string), for building texts that
/// eKuiper clients compare byte for byte, such as the error envelope
/// <c>{"error":1000,"message":%q}</c>.
/// </summary>
/// <remarks>
/// Go quotes UTF-8 bytes; a .NET string is UTF-16. Every valid string maps one to one. A lone
/// surrogate has no UTF-8 form: it is treated as U+FFFD, which is what <see cref="Encoding.UTF8"/>
/// would hand a Go process. Go's output is not always valid JSON (<c>\x01</c>, <c>\a</c>,
/// <c>\v</c>, <c>\U0001f600</c>-style escapes), and that is faithfully reproduced.
/// </remarks>
public static class GoQuote
{
    private const string LowerHex = "0123456789abcdef";

    /// <summary>Go's <c>strconv.Quote(s)</c> / <c>fmt.Sprintf("%q", s)</c>.</summary>
    public static string Quote(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        var rest = s.AsSpan();
        while (!rest.IsEmpty)
        {
            // Invalid UTF-16 decodes as U+FFFD with one char consumed: see the remarks.
            Rune.DecodeFromUtf16(rest, out Rune rune, out int used);
            AppendEscapedRune(sb, rune.Value, '"');
            rest = rest[used..];
        }
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>
    /// Approximates Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols
    /// and the ASCII space. .NET's Unicode tables may be a version ahead of Go's, so a code
    /// point assigned very recently can differ.
    /// </summary>
    public static bool IsPrint(int scalar)
    {
        // ASCII is the hot path and has no surprises: 0x20..0x7e.
        if (scalar < 0x80)
            return scalar >= 0x20 && scalar < 0x7f;
        if (!Rune.IsValid(scalar))
            return false;
        switch (Rune.GetUnicodeCategory(new Rune(scalar)))
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.SpaceSeparator: // only U+0020 counts, and it was handled above
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// Appends one code point the way Go's quoting does inside <paramref name="quote"/> marks.
    /// Shared with the JSON syntax checker, which quotes single bytes as runes.
    /// </summary>
    internal static void AppendEscapedRune(StringBuilder sb, int r, char quote)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }
        if (IsPrint(r))
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }
        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (r < ' ' || r == 0x7f)
        {
            // Go spells the remaining ASCII controls as two-digit byte escapes.
            sb.Append("\\x").Append(LowerHex[r >> 4]).Append(LowerHex[r & 0xF]);
            return;
        }
        if (!Rune.IsValid(r))
            r = 0xFFFD;
        if (r < 0x10000)
        {
            sb.Append("\\u");
            AppendHex(sb, r, 4);
        }
        else
        {
            sb.Append("\\U");
            AppendHex(sb, r, 8);
        }
    }

    private static void AppendHex(StringBuilder sb, int value, int digits)
    {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
            sb.Append(LowerHex[(value >> shift) & 0xF]);
    }
}
