using System.ComponentModel;
using System.Text;
using System.Text.Encodings.Web;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// A <see cref="JavaScriptEncoder"/> that makes System.Text.Json escape strings (values and
/// property names) exactly as Go's <c>json.Marshal</c> does with its default HTML-safe escaping,
/// so exported documents match eKuiper's byte for byte.
/// </summary>
/// <remarks>
/// <para>Escaped: <c>"</c> and <c>\</c> with a backslash; <c>\b \f \n \r \t</c> in short form
/// (Go 1.22 and later); other controls below U+0020 and <c>&lt; &gt; &amp;</c>, U+2028, U+2029 as
/// <c>\u00XX</c>-style escapes with lower-case hex. Everything else, DEL and all non-ASCII
/// included, is written raw.</para>
/// <para>A lone surrogate (which Go can never hold) is written as the six characters
/// <c>\ufffd</c>, which is what Go writes for a byte that is not valid UTF-8.</para>
/// </remarks>
public sealed class GoJsonEncoder : JavaScriptEncoder
{
    private const string LowerHex = "0123456789abcdef";

    /// <summary>The encoder to put in <c>JsonSerializerOptions.Encoder</c> or <c>JsonWriterOptions.Encoder</c>.</summary>
    public static GoJsonEncoder Instance { get; } = new();

    private GoJsonEncoder()
    {
    }

    /// <summary>Go's <c>json.Marshal</c> of a string: the escaped text in double quotes.</summary>
    public static string Marshal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        Span<char> buffer = stackalloc char[6];
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(rest, out Rune rune, out int used);
            if (status == System.Buffers.OperationStatus.Done && !NeedsEscape(rune.Value))
            {
                sb.Append(rest[..used]);
            }
            else
            {
                // A lone surrogate arrives as U+FFFD and is escaped, like Go's invalid bytes.
                TryEncodeUnicodeScalarCore(rune.Value, buffer, out int written);
                sb.Append(buffer[..written]);
            }
            rest = rest[used..];
        }
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>The longest escape is six characters (<c>\u2028</c>).</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    /// <inheritdoc/>
    public override bool WillEncode(int unicodeScalar) => NeedsEscape(unicodeScalar);

    /// <inheritdoc/>
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int index = 0;
        while (index < utf8Text.Length)
        {
            byte b = utf8Text[index];
            if (b < 0x80)
            {
                if (NeedsEscape(b))
                    return index;
                index++;
                continue;
            }
            // Invalid UTF-8 must be handed to the encoder too, so that it becomes \ufffd.
            var status = Rune.DecodeFromUtf8(utf8Text[index..], out Rune rune, out int used);
            if (status != System.Buffers.OperationStatus.Done || NeedsEscape(rune.Value))
                return index;
            index += used;
        }
        return -1;
    }

    /// <summary>The pointer-free body of <c>FindFirstCharacterToEncode(char*, int)</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    private static int FindFirstCharacterToEncodeCore(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++; // no supplementary character is ever escaped
                continue;
            }
            if (char.IsSurrogate(c) || NeedsEscape(c))
                return i;
        }
        return -1;
    }

    /// <summary>
    /// The pointer-free body of <c>TryEncodeUnicodeScalar(int, char*, int, out int)</c>: writes
    /// Go's escape for <paramref name="unicodeScalar"/>, or the character itself when Go leaves it
    /// raw. U+FFFD is escaped because the base encoder only passes it here for invalid input.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    private static bool TryEncodeUnicodeScalarCore(int unicodeScalar, Span<char> buffer, out int numberOfCharactersWritten)
    {
        string? shortForm = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => null,
        };
        if (shortForm is not null)
            return TryWrite(shortForm, buffer, out numberOfCharactersWritten);

        if (NeedsEscape(unicodeScalar) || unicodeScalar == 0xFFFD || !Rune.IsValid(unicodeScalar))
        {
            int value = Rune.IsValid(unicodeScalar) ? unicodeScalar : 0xFFFD;
            if (buffer.Length < 6)
            {
                numberOfCharactersWritten = 0;
                return false;
            }
            buffer[0] = '\\';
            buffer[1] = 'u';
            buffer[2] = LowerHex[(value >> 12) & 0xF];
            buffer[3] = LowerHex[(value >> 8) & 0xF];
            buffer[4] = LowerHex[(value >> 4) & 0xF];
            buffer[5] = LowerHex[value & 0xF];
            numberOfCharactersWritten = 6;
            return true;
        }

        if (new Rune(unicodeScalar).TryEncodeToUtf16(buffer, out numberOfCharactersWritten))
            return true;
        numberOfCharactersWritten = 0;
        return false;
    }

    /// <summary>Go's HTML-safe escape set (encoding/json's <c>htmlSafeSet</c> complement plus the JS line breaks).</summary>
    private static bool NeedsEscape(int scalar) =>
        scalar < 0x20
        || scalar is '"' or '\\' or '<' or '>' or '&'
        || scalar is 0x2028 or 0x2029;

    private static bool TryWrite(string text, Span<char> buffer, out int written)
    {
        if (text.AsSpan().TryCopyTo(buffer))
        {
            written = text.Length;
            return true;
        }
        written = 0;
        return false;
    }

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirstCharacterToEncodeCore(new ReadOnlySpan<char>(text, textLength));

    public override unsafe bool TryEncodeUnicodeScalar(
        int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        TryEncodeUnicodeScalarCore(unicodeScalar, new Span<char>(buffer, bufferLength), out numberOfCharactersWritten);
}
