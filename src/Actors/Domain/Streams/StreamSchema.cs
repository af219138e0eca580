using System.Globalization;
using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Streams;

/// <summary>
/// <c>GET /streams/{name}/schema</c> (and tables): the declared fields as eKuiper's <c>StreamFields.ToJsonSchema</c>
/// gives them, marshalled as its <c>ast.JsonStreamField</c>: <c>{"type","default","items","properties","index"}</c>,
/// empty members omitted except <c>index</c>, which Go always writes (0 here: only the planner of a running rule sets it).
/// Fields are keyed by name (a later field of the same name wins) and sorted as Go sorts map keys.
/// </summary>
public static class StreamSchema
{
    /// <summary>
    /// The schema's JSON, or <c>null</c> for a schemaless stream: eKuiper then answers the schema its running rules
    /// inferred, and none runs here.
    /// </summary>
    public static string ToJson(StreamDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Fields.Count == 0) return "null";
        return GoJsonLimits.Write(writer => WriteFields(writer, definition.Fields));
    }

    private static void WriteFields(Utf8JsonWriter writer, IReadOnlyList<StreamField> fields)
    {
        var byName = new Dictionary<string, StreamField>(StringComparer.Ordinal);
        foreach (var field in fields) byName[field.Name] = field;
        writer.WriteStartObject();
        foreach (var name in byName.Keys.Order(GoStringOrder.Instance))
        {
            var field = byName[name];
            writer.WritePropertyName(name);
            WriteType(writer, field.Type, field.Default);
        }
        writer.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter writer, StreamFieldType? type, StreamDefaultValue? defaultValue = null)
    {
        // Members in the order of Go's struct: type, default, items, properties, index.
        writer.WriteStartObject();
        var typeName = type switch
        {
            BasicFieldType basic => basic.ToString(),
            ArrayFieldType => "array",
            StructFieldType => "struct",
            _ => null, // the parser quirk of an ARRAY without its element: Go's nil type, an empty field
        };
        if (typeName is not null) writer.WriteString("type", typeName);
        if (defaultValue is not null) writer.WriteString("default", DefaultText(defaultValue));
        if (type is ArrayFieldType array)
        {
            writer.WritePropertyName("items");
            WriteType(writer, array.Element);
        }
        // A struct without fields has no properties (Go's nil map, omitted).
        if (type is StructFieldType { Fields.Count: > 0 } structType)
        {
            writer.WritePropertyName("properties");
            WriteFields(writer, structType.Fields);
        }
        writer.WriteNumber("index", 0);
        writer.WriteEndObject();
    }

    /// <summary>The DEFAULT literal as eKuiper's <c>Literal.String()</c> writes it: a string unquoted, a float as Go's <c>%g</c>.</summary>
    private static string DefaultText(StreamDefaultValue value) => value switch
    {
        IntegerDefault i => i.Value.ToString(CultureInfo.InvariantCulture),
        FloatDefault f => GoStrconv.FormatFloat(f.Value),
        BooleanDefault b => b.Value ? "true" : "false",
        StringDefault s => s.Value,
        _ => value.ToString() ?? "",
    };
}
