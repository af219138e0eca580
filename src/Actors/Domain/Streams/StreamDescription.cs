using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Streams;

/// <summary>
/// <c>GET /streams/{name}</c>: the parsed statement as eKuiper marshals its <c>ast.StreamStmt</c>:
/// <c>{"Name","StreamFields","Options","StreamType","Statement":null}</c>, options by their JSON tags, omitted when empty.
/// </summary>
public static class StreamDescription
{
    private static readonly JsonWriterOptions WriterOptions = GoJsonLimits.Writer;

    public static string ToJson(StreamDefinition definition)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Name", definition.Name);
            writer.WritePropertyName("StreamFields");
            if (definition.Fields.Count == 0) writer.WriteNullValue();
            else WriteFields(writer, definition.Fields);
            writer.WritePropertyName("Options");
            WriteOptions(writer, definition.Options);
            writer.WriteNumber("StreamType", definition.Kind == StreamKind.Table ? 1 : 0);
            writer.WriteNull("Statement");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteFields(Utf8JsonWriter writer, IReadOnlyList<StreamField> fields)
    {
        writer.WriteStartArray();
        foreach (var field in fields)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("FieldType");
            WriteType(writer, field.Type);
            writer.WriteString("Name", field.Name);
            if (field.Default is { } value) writer.WriteString("DefaultClause", DefaultText(value));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteType(Utf8JsonWriter writer, StreamFieldType? type)
    {
        switch (type)
        {
            case StructFieldType structType:
                writer.WriteStartObject();
                writer.WriteString("Type", "struct");
                writer.WritePropertyName("Fields");
                WriteFields(writer, structType.Fields);
                writer.WriteEndObject();
                break;
            case ArrayFieldType arrayType:
                writer.WriteStartObject();
                writer.WriteString("Type", "array");
                writer.WritePropertyName("ElementType");
                WriteType(writer, arrayType.Element);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(StreamFieldType.Describe(type));
                break;
        }
    }

    private static string DefaultText(StreamDefaultValue value) => value switch
    {
        IntegerDefault i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FloatDefault f => f.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        BooleanDefault b => b.Value ? "true" : "false",
        StringDefault s => GoQuote.Quote(s.Value),
        _ => value.ToString() ?? "",
    };

    private static void WriteOptions(Utf8JsonWriter writer, StreamOptions options)
    {
        writer.WriteStartObject();
        Text("datasource", options.DataSource);
        Text("key", options.Key);
        Text("format", options.Format);
        Text("confKey", options.ConfKey);
        Text("type", options.Type);
        Flag("strictValidation", options.StrictValidation);
        Text("timestamp", options.Timestamp);
        Text("timestampFormat", options.TimestampFormat);
        Flag("shared", options.Shared);
        Text("schemaid", options.SchemaId);
        Text("version", options.Version);
        Text("extra", options.Extra);
        Flag("temp", options.Temp);
        if (options.RetainSize != 0) writer.WriteNumber("retainSize", options.RetainSize);
        Text("kind", options.Kind);
        Text("delimiter", options.Delimiter);
        writer.WriteEndObject();

        void Text(string name, string value)
        {
            if (value.Length > 0) writer.WriteString(name, value);
        }

        void Flag(string name, bool value)
        {
            if (value) writer.WriteBoolean(name, true);
        }
    }
}
