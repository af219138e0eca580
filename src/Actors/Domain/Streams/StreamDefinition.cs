using System.Globalization;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Streams;

/// <summary>Whether a DDL statement defines a stream or a table (eKuiper <c>ast.StreamType</c>).</summary>
public enum StreamKind
{
    Stream,
    Table,
}

/// <summary>
/// A parsed <c>CREATE STREAM|TABLE</c> statement, as eKuiper's DDL parser produces it.
/// </summary>
/// <param name="Name">The stream/table name, case preserved (backquotes removed).</param>
/// <param name="Kind">Stream or table.</param>
/// <param name="Fields">The declared schema; empty for a schemaless <c>()</c> definition.</param>
/// <param name="Options">The <c>WITH (...)</c> options, stored the way eKuiper stores them.</param>
/// <param name="Statement">The statement text exactly as it was given to the parser.</param>
public sealed record StreamDefinition(
    string Name,
    StreamKind Kind,
    IReadOnlyList<StreamField> Fields,
    StreamOptions Options,
    string Statement)
{
    /// <summary>True when the definition declares no fields (<c>()</c>).</summary>
    public bool IsSchemaless => Fields.Count == 0;

    /// <summary>Structural equality, comparing <see cref="Fields"/> element by element.</summary>
    public bool Equals(StreamDefinition? other) =>
        other is not null &&
        Name == other.Name &&
        Kind == other.Kind &&
        Fields.SequenceEqual(other.Fields) &&
        Options == other.Options &&
        Statement == other.Statement;

    public override int GetHashCode() => HashCode.Combine(Name, Kind, Fields.Count, Options, Statement);

    /// <summary>The lower-case word eKuiper uses for the kind: <c>stream</c> or <c>table</c>.</summary>
    public static string KindWord(StreamKind kind) => kind == StreamKind.Table ? "table" : "stream";
}

/// <summary>
/// The <c>WITH (...)</c> options of a stream/table (eKuiper <c>ast.Options</c>).
/// Strings keep their case except <see cref="Kind"/> and <see cref="Version"/>, which eKuiper lower-cases.
/// Options that were not given are empty strings / false / 0.
/// </summary>
public sealed record StreamOptions
{
    public static readonly StreamOptions Empty = new();

    public string DataSource { get; init; } = "";

    /// <summary>FORMAT as written (validated lower-cased; empty means json).</summary>
    public string Format { get; init; } = "";

    /// <summary>TYPE as written (empty means mqtt at plan time).</summary>
    public string Type { get; init; } = "";

    public string Key { get; init; } = "";
    public string ConfKey { get; init; } = "";
    public bool Shared { get; init; }
    public bool StrictValidation { get; init; }
    public bool Temp { get; init; }
    public string Timestamp { get; init; } = "";
    public string TimestampFormat { get; init; } = "";

    /// <summary>RETAIN_SIZE; eKuiper parses it into a Go <c>int</c>, which is 64-bit.</summary>
    public long RetainSize { get; init; }

    public string SchemaId { get; init; } = "";

    /// <summary>KIND, lower-cased (<c>lookup</c>, <c>scan</c> or anything else that was written).</summary>
    public string Kind { get; init; } = "";

    /// <summary>VERSION, lower-cased.</summary>
    public string Version { get; init; } = "";

    /// <summary>EXTRA; always valid JSON text when non-empty.</summary>
    public string Extra { get; init; } = "";

    public string Delimiter { get; init; } = "";
}

/// <summary>One declared field: <c>name type [DEFAULT literal]</c>.</summary>
/// <param name="Name">Field name, case preserved.</param>
/// <param name="Type">
/// The field type. Null only in a quirk of eKuiper's parser: <c>ARRAY</c> not followed by <c>(</c>
/// (e.g. <c>a ARRAY x</c>) is accepted and leaves the type unset.
/// </param>
/// <param name="Default">The DEFAULT literal, if any.</param>
public sealed record StreamField(string Name, StreamFieldType? Type, StreamDefaultValue? Default = null)
{
    public override string ToString()
    {
        var text = Name + " " + StreamFieldType.Describe(Type);
        return Default is null ? text : text + " DEFAULT " + Default;
    }
}

/// <summary>The primitive data types of a stream schema (eKuiper <c>ast.DataType</c>).</summary>
public enum StreamDataType
{
    Bigint,
    Float,
    String,
    Datetime,
    Boolean,
    Bytea,
}

/// <summary>A field type: a primitive, an array or a struct.</summary>
public abstract record StreamFieldType
{
    private protected StreamFieldType()
    {
    }

    /// <summary>Lower-case DDL-like rendering, e.g. <c>array(struct(a bigint, b string))</c>; <c>?</c> for an unset type.</summary>
    public static string Describe(StreamFieldType? type) => type?.ToString() ?? "?";
}

/// <summary>BIGINT, FLOAT, STRING, DATETIME, BOOLEAN or BYTEA.</summary>
public sealed record BasicFieldType(StreamDataType DataType) : StreamFieldType
{
    public override string ToString() => DataType.ToString().ToLowerInvariant();
}

/// <summary>
/// <c>ARRAY(element)</c>. <see cref="Element"/> is null only in the parser quirk <c>ARRAY(ARRAY x)</c>,
/// where the inner array has no element type.
/// </summary>
public sealed record ArrayFieldType(StreamFieldType? Element) : StreamFieldType
{
    public override string ToString() => "array(" + Describe(Element) + ")";
}

/// <summary><c>STRUCT(field, ...)</c>.</summary>
public sealed record StructFieldType(IReadOnlyList<StreamField> Fields) : StreamFieldType
{
    public bool Equals(StructFieldType? other) =>
        other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => Fields.Count;

    public override string ToString() => "struct(" + string.Join(", ", Fields) + ")";
}

/// <summary>A DEFAULT literal, typed the way eKuiper converts it for the field's type.</summary>
public abstract record StreamDefaultValue
{
    private protected StreamDefaultValue()
    {
    }
}

/// <summary>DEFAULT of a BIGINT field.</summary>
public sealed record IntegerDefault(long Value) : StreamDefaultValue
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>DEFAULT of a FLOAT field.</summary>
public sealed record FloatDefault(double Value) : StreamDefaultValue
{
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>DEFAULT of a STRING field (any literal token's text).</summary>
public sealed record StringDefault(string Value) : StreamDefaultValue
{
    public override string ToString() => GoQuote.Quote(Value);
}

/// <summary>DEFAULT of a BOOLEAN field.</summary>
public sealed record BooleanDefault(bool Value) : StreamDefaultValue
{
    public override string ToString() => Value ? "true" : "false";
}
