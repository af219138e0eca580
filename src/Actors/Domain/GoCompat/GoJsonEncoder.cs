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
        var output = new System.Buffers.ArrayBufferWriter<byte>(value.Length + 2);
        AppendQuotedUtf8(value, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
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

    /// <summary>
    /// Go's <c>json.Marshal</c> of a string, quotes included, appended as UTF-8: byte for byte what a
    /// <see cref="System.Text.Json.Utf8JsonWriter"/> with this encoder writes. Exports write every definition through
    /// here (use <c>WriteRawValue(..., skipInputValidation: true)</c>): the writer's own path calls back into a custom
    /// encoder once per character after the first escape, which was most of an export's time (measured with bench/);
    /// this one skips plain runs vectorized and transcodes them whole.
    /// </summary>
    public static void AppendQuotedUtf8(ReadOnlySpan<char> value, System.Buffers.IBufferWriter<byte> output)
    {
        AppendAscii('"', output);
        var rest = value;
        Span<char> escape = stackalloc char[6];
        while (!rest.IsEmpty)
        {
            int next = rest.IndexOfAny(CharsToInspect);
            var plain = next < 0 ? rest : rest[..next];
            if (!plain.IsEmpty)
                output.Advance(Encoding.UTF8.GetBytes(plain, output.GetSpan(Encoding.UTF8.GetMaxByteCount(plain.Length))));
            if (next < 0) break;
            rest = rest[next..];
            if (char.IsHighSurrogate(rest[0]) && rest.Length > 1 && char.IsLowSurrogate(rest[1]))
            {
                output.Advance(Encoding.UTF8.GetBytes(rest[..2], output.GetSpan(4))); // never escaped
                rest = rest[2..];
                continue;
            }
            // A lone surrogate is written as Go writes a byte that is not UTF-8: \ufffd.
            TryEncodeUnicodeScalarCore(char.IsSurrogate(rest[0]) ? 0xFFFD : rest[0], escape, out int written);
            foreach (var c in escape[..written]) AppendAscii(c, output);
            rest = rest[1..];
        }
        AppendAscii('"', output);
    }

    private static void AppendAscii(char c, System.Buffers.IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = (byte)c;
        output.Advance(1);
    }

    /// <summary>The characters that may need an escape: Go's set, and the surrogates (a lone one is escaped).</summary>
    private static readonly System.Buffers.SearchValues<char> CharsToInspect = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, char.MaxValue + 1).Where(c => NeedsEscape(c) || char.IsSurrogate((char)c)).Select(c => (char)c).ToArray());

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
