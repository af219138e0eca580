using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// The one JSON nesting policy of the node (docs/decisions.md#go-json-depth): Go's decoder allows 10,000 nested arrays and
/// objects, so every reader and writer of request bodies and stored definitions allows as many. System.Text.Json's
/// defaults (64 to read, 1,000 to write) would make a definition that validated unreadable later (a 500).
/// </summary>
/// <remarks>
/// Validation (<see cref="GoJsonSyntax"/>) refuses level <see cref="MaxDepth"/> + 1 with Go's text, so whatever is
/// stored can be read and written again here. System.Text.Json's <c>MaxDepth</c> counts as Go does (64 allows 64
/// nested levels). Every walker of such trees in this code base is iterative, or bounded far below this depth.
/// </remarks>
public static class GoJsonLimits
{
    /// <summary>Go's <c>maxNestingDepth</c>: 10,000 nested arrays and objects; one more is a syntax error.</summary>
    public const int MaxDepth = 10_000;

    /// <summary>For <see cref="JsonDocument"/>.</summary>
    public static readonly JsonDocumentOptions Documents = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// For <see cref="Utf8JsonReader"/>, which import bodies and bundles are read with: a <see cref="JsonDocument"/>
    /// rents its index from the shared array pool at the size of the whole text, and the pool keeps returned arrays until
    /// two collections 30 s apart have seen them unused (measured: a 100,000-resource import left 96 MB resident in them).
    /// </summary>
    public static readonly JsonReaderOptions Reader = new() { MaxDepth = MaxDepth };

    /// <summary>For <see cref="Utf8JsonWriter"/>: Go's HTML-safe escaping, and as deep as the readers.</summary>
    public static readonly JsonWriterOptions Writer = new() { Encoder = GoJsonEncoder.Instance, MaxDepth = MaxDepth };

    /// <summary>What <paramref name="write"/> writes with <see cref="Writer"/>, as text: JSON as Go's encoder writes it.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Writer)) write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>For <see cref="JsonSerializer"/> writing values that embed stored JSON (descriptors, replies).</summary>
    public static readonly JsonSerializerOptions Serializer = new(JsonSerializerDefaults.General) { MaxDepth = MaxDepth };

    /// <summary>
    /// Parses JSON text as Go decodes it: a lone surrogate (or its <c>\uD800</c>-style escape) in a string reads as
    /// U+FFFD instead of throwing, as deep as Go allows. Throws <see cref="JsonException"/> on a
    /// syntax error; check with <see cref="GoJsonSyntax"/> first where Go's error text is wanted.
    /// </summary>
    public static JsonDocument Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    /// <inheritdoc cref="Parse(string)"/>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8) => JsonDocument.Parse(AsGoDecodes(utf8), Documents);

    /// <summary>
    /// The first JSON value of <paramref name="utf8"/> (what Go's <c>json.Decoder</c> reads; anything after it is not
    /// looked at), with the conversions of <see cref="Parse(string)"/>.
    /// </summary>
    public static JsonDocument ParseFirstValue(ReadOnlyMemory<byte> utf8) =>
        JsonDocument.Parse(AsGoDecodes(utf8[..GoJsonSyntax.FirstValueEnd(utf8.Span)]), Documents);

    /// <summary>
    /// The same JSON text with what Go's decoder replaces by U+FFFD already replaced: bytes that are not UTF-8
    /// and <c>\u</c> escapes of lone surrogates. System.Text.Json throws on both when a string is read, Go never
    /// does. Only text that needs it is copied.
    /// </summary>
    public static ReadOnlyMemory<byte> AsGoDecodes(ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        var validUtf8 = Utf8.IsValid(span);
        if (validUtf8 && !HasSurrogateEscape(span)) return utf8;

        var source = validUtf8 ? span : ReplaceInvalidBytes(span);
        var output = new ArrayBufferWriter<byte>(source.Length);
        var inString = false;
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (!inString)
            {
                if (c == '"') inString = true;
                output.Write(source.Slice(i, 1));
                i++;
                continue;
            }
            if (c == '"')
            {
                inString = false;
                output.Write(source.Slice(i, 1));
                i++;
                continue;
            }
            if (c != '\\' || i + 1 >= source.Length)
            {
                output.Write(source.Slice(i, 1));
                i++;
                continue;
            }
            if (source[i + 1] != 'u' || i + 6 > source.Length || !TryHex4(source.Slice(i + 2, 4), out var unit) || !IsSurrogate(unit))
            {
                output.Write(source.Slice(i, 2)); // any two-byte escape, or a \u escape left to the parser
                i += 2;
                continue;
            }
            if (unit <= 0xDBFF && i + 12 <= source.Length && source[i + 6] == '\\' && source[i + 7] == 'u'
                && TryHex4(source.Slice(i + 8, 4), out var low) && low is >= 0xDC00 and <= 0xDFFF)
            {
                output.Write(source.Slice(i, 12)); // a proper pair
                i += 12;
                continue;
            }
            output.Write("\\ufffd"u8);
            i += 6;
        }
        return output.WrittenMemory;
    }

    /// <summary>Go's <c>unquote</c>: each byte that does not start a valid UTF-8 sequence becomes U+FFFD.</summary>
    private static byte[] ReplaceInvalidBytes(ReadOnlySpan<byte> span)
    {
        var output = new ArrayBufferWriter<byte>(span.Length + 16);
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(span, out _, out var consumed) == OperationStatus.Done)
            {
                output.Write(span[..consumed]);
                span = span[consumed..];
            }
            else
            {
                output.Write("\uFFFD"u8); // the three bytes EF BF BD
                span = span[1..];
            }
        }
        return output.WrittenSpan.ToArray();
    }

    private static bool HasSurrogateEscape(ReadOnlySpan<byte> span)
    {
        // Cheap: only text containing "\ud" or "\uD" can hold a surrogate escape.
        while (true)
        {
            var at = span.IndexOf("\\u"u8);
            if (at < 0 || at + 2 >= span.Length) return false;
            if (span[at + 2] is (byte)'d' or (byte)'D') return true;
            span = span[(at + 2)..];
        }
    }

    private static bool IsSurrogate(int unit) => unit is >= 0xD800 and <= 0xDFFF;

    private static bool TryHex4(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        foreach (var b in hex)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            value = value * 16 + digit;
        }
        return true;
    }
}
