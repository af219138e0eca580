using Kuiper.Domain.Streams;
using Xunit;

namespace Kuiper.Tests.Streams;

/// <summary>
/// <c>GET /streams/{name}/schema</c>'s body: eKuiper's <c>StreamFields.ToJsonSchema</c> (its TestToJsonFields cases)
/// marshalled as <c>ast.JsonStreamField</c>, whose <c>index</c> has no omitempty.
/// </summary>
public sealed class StreamSchemaTests
{
    private static string SchemaOf(string statement)
    {
        var parsed = StreamStatementParser.Parse(statement);
        Assert.True(parsed.IsSuccess, parsed.Error);
        return StreamSchema.ToJson(parsed.Definition!);
    }

    [Fact]
    public void Basic_types_defaults_arrays_and_structs_as_eKuiper_writes_them_keys_in_Go_map_order()
    {
        var schema = SchemaOf(
            "CREATE STREAM s (USERID BIGINT DEFAULT 10, FIRST_NAME STRING DEFAULT \"foo\", NICKNAMES ARRAY(STRING), data BYTEA, " +
            "Gender BOOLEAN DEFAULT true, ADDRESS STRUCT(STREET_NAME STRING, NUMBER BIGINT)) WITH (DATASOURCE=\"t\")");

        Assert.Equal(
            """{"ADDRESS":{"type":"struct","properties":{"NUMBER":{"type":"bigint","index":0},"STREET_NAME":{"type":"string","index":0}},"index":0},"FIRST_NAME":{"type":"string","default":"foo","index":0},"Gender":{"type":"boolean","default":"true","index":0},"NICKNAMES":{"type":"array","items":{"type":"string","index":0},"index":0},"USERID":{"type":"bigint","default":"10","index":0},"data":{"type":"bytea","index":0}}""",
            schema);
    }

    [Fact]
    public void An_array_of_structs_and_an_array_of_arrays_nest_their_items()
    {
        Assert.Equal(
            """{"ADDRESSES":{"type":"array","items":{"type":"struct","properties":{"NUMBER":{"type":"bigint","index":0},"STREET_NAME":{"type":"string","index":0}},"index":0},"index":0},"m":{"type":"array","items":{"type":"array","items":{"type":"float","index":0},"index":0},"index":0}}""",
            SchemaOf("CREATE STREAM s (ADDRESSES ARRAY(STRUCT(STREET_NAME STRING, NUMBER BIGINT)), m ARRAY(ARRAY(FLOAT))) WITH (DATASOURCE=\"t\")"));
    }

    [Fact]
    public void A_float_default_is_written_as_Go_formats_a_float_and_datetime_is_a_type()
    {
        Assert.Equal(
            """{"f":{"type":"float","default":"1e+06","index":0},"g":{"type":"float","default":"1.5","index":0},"t":{"type":"datetime","index":0}}""",
            SchemaOf("CREATE STREAM s (f FLOAT DEFAULT 1000000, g FLOAT DEFAULT 1.5, t DATETIME) WITH (DATASOURCE=\"t\")"));
    }

    [Fact]
    public void A_schemaless_stream_or_table_has_no_declared_schema() =>
        Assert.Equal("null", SchemaOf("CREATE TABLE t () WITH (DATASOURCE=\"t\", TYPE=\"memory\", KEY=\"id\")"));

    [Fact]
    public void Names_are_escaped_as_Go_escapes_them() =>
        Assert.Equal("""{"a\u003cb":{"type":"string","index":0}}""",
            StreamSchema.ToJson(new StreamDefinition("s", StreamKind.Stream,
                [new StreamField("a<b", new BasicFieldType(StreamDataType.String))], StreamOptions.Empty, "")));

    [Fact]
    public void Of_two_fields_with_one_name_the_later_wins_as_in_a_Go_map() =>
        Assert.Equal("""{"a":{"type":"string","index":0}}""",
            StreamSchema.ToJson(new StreamDefinition("s", StreamKind.Stream,
                [new StreamField("a", new BasicFieldType(StreamDataType.Bigint)), new StreamField("a", new BasicFieldType(StreamDataType.String))],
                StreamOptions.Empty, "")));

    [Fact]
    public void An_unset_type_is_an_empty_field()
    {
        // eKuiper's parser leaves the type of ARRAY(ARRAY x) unset inside; ToJsonSchema gives an empty field.
        Assert.Equal("""{"a":{"type":"array","items":{"index":0},"index":0},"b":{"index":0}}""",
            StreamSchema.ToJson(new StreamDefinition("s", StreamKind.Stream,
                [new StreamField("a", new ArrayFieldType(null)), new StreamField("b", null)], StreamOptions.Empty, "")));
    }
}
