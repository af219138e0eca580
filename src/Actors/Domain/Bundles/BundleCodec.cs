using Kuiper.Domain.Resources;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Bundles;

/// <summary>
/// Reads and writes the eKuiper bundle exactly as eKuiper's Go code does: keys matched case-insensitively,
/// unknown keys ignored, maps merged when a key repeats, <c>null</c> strings as <c>""</c>; written compact,
/// in export key order, inner maps sorted, HTML-safe escaping.
/// </summary>
public static class BundleCodec
{
    private static readonly JsonWriterOptions WriterOptions = GoJsonLimits.Writer;

    /// <summary>The bundle, or the Go unmarshal error text (without eKuiper's prefix).</summary>
    public static (Bundle? Bundle, string? Error) Parse(string content) => Parse(System.Text.Encoding.UTF8.GetBytes(content));

    /// <inheritdoc cref="Parse(string)"/>
    public static (Bundle? Bundle, string? Error) Parse(ReadOnlyMemory<byte> utf8) => Parse(utf8, BundleShape.Configuration);

    /// <summary>
    /// The bundle read into <paramref name="shape"/> (eKuiper's 12-key <c>Configuration</c>, or the 3-key <c>Ruleset</c>),
    /// or the Go unmarshal error text naming that struct; keys the shape does not have are ignored, as Go ignores them.
    /// </summary>
    public static (Bundle? Bundle, string? Error) Parse(ReadOnlyMemory<byte> utf8, BundleShape shape)
    {
        // One UTF-8 copy serves the syntax check and the parse (bundles reach hundreds of MB).
        if (GoJsonSyntax.Check(utf8.Span) is { } syntax) return (null, syntax);

        // Read as a stream of tokens, not a JsonDocument (see GoJsonLimits.Reader); the syntax is checked already.
        var reader = new Utf8JsonReader(GoJsonLimits.AsGoDecodes(utf8).Span, GoJsonLimits.Reader);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return (Bundle.Empty, null);
        if (reader.TokenType != JsonTokenType.StartObject)
            return (null, GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(reader.TokenType)!, shape.GoTypeName));

        var sections = new Dictionary<ResourceKind, Dictionary<string, string>?>();
        string? firstError = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (KindOf(key, shape) is not { } kind)
            {
                reader.Skip();
                continue;
            }
            var field = $"{shape.StructName}.{kind.BundleKey()}";
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    sections[kind] = null;
                    continue;
                case JsonTokenType.StartObject:
                    break;
                default:
                    // Go keeps decoding after a type error and reports the first one.
                    firstError ??= GoJsonError.UnmarshalType(GoJsonError.KindOf(reader.TokenType)!, "map[string]string", field);
                    reader.Skip();
                    continue;
            }

            // Go decodes a repeated map key into the map it already has: entries merge.
            var section = sections.GetValueOrDefault(kind) ?? new Dictionary<string, string>(StringComparer.Ordinal);
            sections[kind] = section;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        section[name] = reader.GetString()!;
                        break;
                    case JsonTokenType.Null:
                        section[name] = "";
                        break;
                    default:
                        firstError ??= GoJsonError.UnmarshalType(GoJsonError.KindOf(reader.TokenType)!, "string", field);
                        reader.Skip();
                        break;
                }
            }
        }
        if (firstError is not null) return (null, firstError);

        return (new Bundle(sections
            .Where(s => s.Value is { Count: > 0 })
            .ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, string>)s.Value!)), null);
    }

    private static ResourceKind? KindOf(string key, BundleShape shape)
    {
        foreach (var kind in shape.Kinds)
            if (string.Equals(kind.BundleKey(), key, StringComparison.OrdinalIgnoreCase)) return kind;
        return null;
    }

    /// <summary>The bundle as eKuiper exports it: all 12 keys, in order, each map sorted by key.</summary>
    public static byte[] Write(Bundle bundle) => Write(bundle, BundleShape.Configuration);

    /// <summary>The sections of <paramref name="shape"/>, in its order, each map sorted by key.</summary>
    public static byte[] Write(Bundle bundle, BundleShape shape)
    {
        var written = WriteToMemory(bundle, shape);
        return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(written, out var segment)
               && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : written.ToArray();
    }

    /// <summary>
    /// Like <see cref="Write(Bundle, BundleShape)"/>, without the final copy: exports of 100,000 resources are tens of
    /// MB, and each extra copy (or a buffer doubled because the estimate fell short) stayed in the large object heap.
    /// </summary>
    public static ReadOnlyMemory<byte> WriteToMemory(Bundle bundle, BundleShape shape)
    {
        // Written straight into the buffer: a writer over a Stream would first grow a buffer of its own to the
        // whole document's size and then copy it.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(EstimateSize(bundle));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteSections(writer, bundle, shape);
        }
        return buffer.WrittenMemory;
    }

    /// <summary>Writes the 12 sections as one object; also the shape of import replies and status.</summary>
    public static void WriteSections(Utf8JsonWriter writer, Bundle bundle) => WriteSections(writer, bundle, BundleShape.Configuration);

    /// <summary>Writes the sections of <paramref name="shape"/> as one object.</summary>
    public static void WriteSections(Utf8JsonWriter writer, Bundle bundle, BundleShape shape)
    {
        var value = new System.Buffers.ArrayBufferWriter<byte>(4096);
        writer.WriteStartObject();
        foreach (var kind in shape.Kinds)
        {
            writer.WriteStartObject(kind.BundleKey());
            var section = bundle[kind];
            var names = section.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var name in names)
            {
                writer.WritePropertyName(name);
                value.ResetWrittenCount();
                GoJsonEncoder.AppendQuotedUtf8(section[name], value);
                writer.WriteRawValue(value.WrittenSpan, skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// The written size, from above: UTF-8 bytes plus what escaping adds (one byte per quote or backslash, five per
    /// HTML-escaped &lt; &gt; &amp;; control characters and other escapes are rare and covered by the slack).
    /// </summary>
    private static int EstimateSize(Bundle bundle)
    {
        long size = 512;
        foreach (var section in bundle.Sections.Values)
            foreach (var (name, definition) in section)
                size += EstimateString(name) + EstimateString(definition) + 8;
        return (int)Math.Min(size + size / 64 + 4096, Array.MaxLength);
    }

    private static long EstimateString(string text)
    {
        var span = text.AsSpan();
        return System.Text.Encoding.UTF8.GetByteCount(span) + 2
               + span.Count('"') + span.Count('\\')
               + 5L * (span.Count('<') + span.Count('>') + span.Count('&'));
    }
}

/// <summary>
/// A Go struct eKuiper reads a bundle into: its type name (for Go's type errors) and the kinds it has, in field order.
/// </summary>
public sealed record BundleShape(string GoTypeName, IReadOnlyList<ResourceKind> Kinds)
{
    /// <summary><c>server.Configuration</c>: the 12 kinds of <c>/data/import</c> and <c>/data/export</c>.</summary>
    public static readonly BundleShape Configuration = new("server.Configuration", ResourceKinds.All);

    /// <summary><c>processor.Ruleset</c>: streams, tables and rules (<c>/ruleset/*</c>, <c>init.json</c>).</summary>
    public static readonly BundleShape Ruleset = new("processor.Ruleset", [ResourceKind.Streams, ResourceKind.Tables, ResourceKind.Rules]);

    /// <summary>The bare struct name Go puts before a field in its errors (<c>Ruleset.streams</c>).</summary>
    public string StructName => GoTypeName[(GoTypeName.LastIndexOf('.') + 1)..];
}
