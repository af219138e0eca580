using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Kuiper.Domain.GoCompat;

/// <summary>Reads fields of an already type-checked JSON object the way Go's decoder fills a struct.</summary>
internal static class GoRead
{
    /// <summary>
    /// A string field: every key matching the field (exact or case-insensitively) is applied in order; <c>null</c>
    /// leaves the value as it was. <paramref name="initial"/> is the value before decoding.
    /// </summary>
    public static string String(JsonElement obj, string field, string initial = "")
    {
        var value = initial;
        if (obj.ValueKind != JsonValueKind.Object) return value;
        foreach (var property in Matching(obj, field))
            if (property.Value.ValueKind == JsonValueKind.String) value = property.Value.GetString()!;
        return value;
    }

    public static bool Bool(JsonElement obj, string field)
    {
        var value = false;
        if (obj.ValueKind != JsonValueKind.Object) return value;
        foreach (var property in Matching(obj, field))
            if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) value = property.Value.GetBoolean();
        return value;
    }

    /// <summary>A <c>[]string</c> field; <c>null</c> sets it to nil (empty here).</summary>
    public static IReadOnlyList<string> Strings(JsonElement obj, string field)
    {
        IReadOnlyList<string> value = [];
        if (obj.ValueKind != JsonValueKind.Object) return value;
        foreach (var property in Matching(obj, field))
        {
            value = property.Value.ValueKind == JsonValueKind.Array
                ? property.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : "").ToList()
                : [];
        }
        return value;
    }

    /// <summary>
    /// The value Go would assign to a struct field: keys match case-insensitively and the last matching key
    /// wins (<c>{"id":"a","ID":"b"}</c> gives <c>b</c>). False when absent or when <paramref name="obj"/> is no object.
    /// </summary>
    public static bool TryGetField(this JsonElement obj, string field, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object) return false;
        var found = false;
        foreach (var property in Matching(obj, field))
        {
            value = property.Value;
            found = true;
        }
        return found;
    }

    /// <summary>Go prefers the exact key, then a case-insensitive one; every match is applied in document order.</summary>
    private static IEnumerable<JsonProperty> Matching(JsonElement obj, string field) =>
        obj.EnumerateObject().Where(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Builds compact JSON the way Go's <c>json.Marshal</c> writes it (HTML-safe escaping, declaration order).</summary>
internal static class GoMarshal
{
    private static readonly JsonWriterOptions Options = new() { Encoder = GoJsonEncoder.Instance };

    public static string Object(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
