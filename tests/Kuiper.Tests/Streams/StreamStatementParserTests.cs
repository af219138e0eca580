using Kuiper.Domain.Streams;
using Xunit;

namespace Kuiper.Tests.Streams;

public class StreamStatementParserTests
{
    private static StreamDefinition ParseOk(string statement)
    {
        var result = StreamStatementParser.Parse(statement);
        Assert.True(result.IsSuccess, result.Error);
        return result.Definition;
    }

    private static StreamField Field(string name, StreamDataType type) => new(name, new BasicFieldType(type));

    // ---- spec examples -------------------------------------------------------------------------

    [Fact]
    public void T110_table_with_newlines_trailing_comma_and_semicolon()
    {
        const string statement =
            "\n CREATE TABLE T110\n (\n S1 string\n )\n WITH (DATASOURCE=\"test.json\", FORMAT=\"json\", TYPE=\"file\", KIND=\"scan\", );\n ";

        var result = StreamStatementParser.ParseForKind(statement, StreamKind.Table);

        Assert.True(result.IsSuccess, result.Error);
        var d = result.Definition;
        Assert.Equal("T110", d.Name);
        Assert.Equal(StreamKind.Table, d.Kind);
        Assert.Equal(new[] { Field("S1", StreamDataType.String) }, d.Fields);
        Assert.Equal(
            new StreamOptions { DataSource = "test.json", Format = "json", Type = "file", Kind = "scan" },
            d.Options);
        Assert.Equal(statement, d.Statement);
        Assert.False(d.IsSchemaless);
    }

    [Fact]
    public void Plugin_stream_from_ruleset_import_test()
    {
        const string statement =
            "\n              CREATE STREAM plugin\n              ()\n              WITH (FORMAT=\"json\", CONF_KEY=\"default\", TYPE=\"mqtt\", SHARED=\"false\", );\n          ";

        var result = StreamStatementParser.ParseForKind(statement, StreamKind.Stream);

        Assert.True(result.IsSuccess, result.Error);
        var d = result.Definition;
        Assert.Equal("plugin", d.Name);
        Assert.Equal(StreamKind.Stream, d.Kind);
        Assert.True(d.IsSchemaless);
        Assert.Equal(new StreamOptions { Format = "json", ConfKey = "default", Type = "mqtt", Shared = false }, d.Options);
        Assert.Equal(statement, d.Statement);
    }

    [Fact]
    public void Demo_stream_of_the_ruleset_round_trip_test_keeps_format_as_written()
    {
        var d = ParseOk("CREATE STREAM demo () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")");

        Assert.Equal(new StreamOptions { DataSource = "users", Format = "JSON" }, d.Options);
    }

    [Fact]
    public void Nested_types_build_the_type_tree()
    {
        var d = ParseOk("""
            CREATE STREAM demo (
                USERID BIGINT,
                NICKNAMES ARRAY(STRING),
                data bytea,
                ADDRESS STRUCT(STREET_NAME STRING, NUMBER BIGINT),
                list ARRAY(ARRAY(BIGINT)),
                ADDRESSES ARRAY(STRUCT(STREET_NAME STRING, tags ARRAY(string))),
            ) WITH (DATASOURCE="users", FORMAT="JSON", KEY="USERID", CONF_KEY="srv1", type="MQTT", TIMESTAMP="USERID", TIMESTAMP_FORMAT="yyyy-MM-dd''T''HH:mm:ssX'");
            """);

        var expected = new StreamField[]
        {
            Field("USERID", StreamDataType.Bigint),
            new("NICKNAMES", new ArrayFieldType(new BasicFieldType(StreamDataType.String))),
            Field("data", StreamDataType.Bytea),
            new("ADDRESS", new StructFieldType(new[]
            {
                Field("STREET_NAME", StreamDataType.String),
                Field("NUMBER", StreamDataType.Bigint),
            })),
            new("list", new ArrayFieldType(new ArrayFieldType(new BasicFieldType(StreamDataType.Bigint)))),
            new("ADDRESSES", new ArrayFieldType(new StructFieldType(new[]
            {
                Field("STREET_NAME", StreamDataType.String),
                new StreamField("tags", new ArrayFieldType(new BasicFieldType(StreamDataType.String))),
            }))),
        };
        Assert.Equal(expected, d.Fields);
        Assert.Equal(
            new StreamOptions
            {
                DataSource = "users", Format = "JSON", Key = "USERID", ConfKey = "srv1", Type = "MQTT",
                Timestamp = "USERID", TimestampFormat = "yyyy-MM-dd''T''HH:mm:ssX'",
            },
            d.Options);
    }

    [Fact]
    public void Struct_types_with_different_fields_are_not_equal()
    {
        var a = new StructFieldType(new[] { Field("x", StreamDataType.Bigint) });
        var b = new StructFieldType(new[] { Field("x", StreamDataType.Float) });

        Assert.NotEqual(a, b);
        Assert.Equal(a, new StructFieldType(new[] { Field("x", StreamDataType.Bigint) }));
    }

    [Fact]
    public void Every_option_is_stored_the_way_ekuiper_stores_it()
    {
        var d = ParseOk("""
            create table t () with (datasource="ds", format="Delimited", type="File", key="id", conf_key="ck",
              shared=TRUE, strict_validation="False", temp="false", timestamp="ts", timestamp_format="fmt",
              retain_size="+42", schemaid="f.M", kind="SCAN", version="V2.0-RC", extra="{\"a\": [1]}", delimiter="|")
            """);

        Assert.Equal(StreamKind.Table, d.Kind);
        Assert.Equal(
            new StreamOptions
            {
                DataSource = "ds", Format = "Delimited", Type = "File", Key = "id", ConfKey = "ck", Shared = true,
                StrictValidation = false, Temp = false, Timestamp = "ts", TimestampFormat = "fmt", RetainSize = 42,
                SchemaId = "f.M", Kind = "scan", Version = "v2.0-rc", Extra = "{\"a\": [1]}", Delimiter = "|",
            },
            d.Options);
    }

    [Theory]
    [InlineData("CREATE STREAM s (a bigint DEFAULT 010) WITH ()", 8L)]
    [InlineData("CREATE STREAM s (a bigint DEFAULT \"0x1F\") WITH ()", 31L)]
    [InlineData("CREATE STREAM s (a bigint DEFAULT - 5) WITH ()", -5L)]
    [InlineData("CREATE STREAM s (a bigint DEFAULT '1_000') WITH ()", 1000L)]
    public void Bigint_defaults_use_go_base_prefix_rules(string statement, long expected)
    {
        Assert.Equal(new IntegerDefault(expected), ParseOk(statement).Fields[0].Default);
    }

    [Fact]
    public void Typed_defaults_for_each_supported_type()
    {
        var d = ParseOk("""CREATE STREAM s (a float DEFAULT -.5, b string DEFAULT TRUE, c boolean DEFAULT "t", d string DEFAULT 'it\'s') WITH ()""");

        Assert.Equal(new FloatDefault(-0.5), d.Fields[0].Default);
        Assert.Equal(new StringDefault("TRUE"), d.Fields[1].Default);
        Assert.Equal(new BooleanDefault(true), d.Fields[2].Default);
        Assert.Equal(new StringDefault("it's"), d.Fields[3].Default);
    }

    [Fact]
    public void Nan_default_carries_gos_nan_bits()
    {
        var value = Assert.IsType<FloatDefault>(ParseOk("CREATE STREAM s (a float DEFAULT \"NaN\") WITH ()").Fields[0].Default).Value;

        Assert.Equal(0x7FF8000000000001, BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void Untyped_array_quirk_leaves_the_type_null()
    {
        var d = ParseOk("CREATE STREAM s (a ARRAY x, b ARRAY(ARRAY y)) WITH ()");

        Assert.Null(d.Fields[0].Type);
        Assert.Equal(new ArrayFieldType(null), d.Fields[1].Type);
        Assert.Equal("a ?", d.Fields[0].ToString());
    }

    [Theory]
    [InlineData("-- leading comment\nCREATE /* block */ STREAM s () WITH () -- trailing")]
    [InlineData("CREATE STREAM s () WITH (); DROP STREAM s")]
    [InlineData("CREATE STREAM s () WITH ()\0 garbage after a NUL, which reads as end of input")]
    [InlineData("\"create\" `stream` s () \"with\" ()")]
    [InlineData("CREATE STREAM s () WITH (TYPE ! \"mqtt\")")]
    public void Lexical_quirks_of_the_reference_are_accepted(string statement)
    {
        Assert.Equal("s", ParseOk(statement).Name);
    }

    [Theory]
    [InlineData("DATASOURCE=\"a\\\"b\\\\c\\n\\u00e9\\x41\\101\\t\"", "a\"b\\c\n\u00e9AA\t")]
    [InlineData("DATASOURCE=\"raw\ttab\"", "raw\ttab")]
    [InlineData("DATASOURCE=\"\\U0001F600\"", "\U0001F600")]
    [InlineData("DATASOURCE=\"\\xc3\\xa9\"", "\u00e9")]
    [InlineData("DATASOURCE=true", "TRUE")]
    public void Option_values_are_unquoted_with_go_escape_rules(string option, string expected)
    {
        Assert.Equal(expected, ParseOk($"CREATE STREAM s () WITH ({option})").Options.DataSource);
    }

    [Fact]
    public void Escaped_bytes_that_are_not_utf8_become_replacement_characters()
    {
        // Go keeps the raw byte 0xFF in the string (and would print it as \xff); a .NET string cannot hold it.
        Assert.Equal("\uFFFD", ParseOk("CREATE STREAM s () WITH (DATASOURCE=\"\\xff\")").Options.DataSource);
    }

    // ---- every error text of the spec (section 3.1), exact ---------------------------------------

    [Theory]
    [InlineData("CREATE STwREAM demo () WITH (DATASOURCE=\"users\", CONF_KEY=\"td\",TYPE=\"none\", FORMAT=\"JSON\")",
        "found \"STWREAM\", expected keyword stream or table.")]
    [InlineData("CREATE STREAM select () WITH ()", "found \"SELECT\", expected stream name.")]
    [InlineData("CREATE STREAM \"quoted\" () WITH ()", "found \"quoted\", expected stream name.")]
    [InlineData("CREATE STREAM", "found \"EOF\", expected stream name.")]
    [InlineData("CREATE STREAM s WITH ()", "found \"WITH\", expected lparen after stream name.")]
    [InlineData("CREATE STREAM s (a struct b) WITH ()", "found \"b\", expected lparen after stream name.")]
    [InlineData("CREATE STREAM s () foo", "found \"foo\", expected is with.")]
    [InlineData("CREATE STREAM demo (NAME string) WITHs (DATASOURCE=\"users\")", "found \"WITHS\", expected is with.")]
    [InlineData("CREATE STREAM s (a struct(b bigint) default 1) WITH ()", "found \"DEFAULT\", expected is with.")]
    [InlineData("CREATE STREAM demo ((NAME string) WITH (DATASOURCE=\"users\")", "found \"(\", expect stream field name.")]
    [InlineData("CREATE STREAM s (ms bigint) WITH ()", "found \"MS\", expect stream field name.")]
    [InlineData("CREATE STREAM demo (NAME integer) WITH (DATASOURCE=\"users\")",
        "found \"integer\", expect valid stream field types(BIGINT | FLOAT | STRING | DATETIME | BOOLEAN | BYTEA | ARRAY | STRUCT).")]
    [InlineData("CREATE STREAM s (a bigint b string) WITH ()", "found \"b\", expect comma or rparen.")]
    [InlineData("CREATE STREAM s (a bigint DEFAULT 5 x) WITH ()", "found \"x\", expect comma or rparen.")]
    [InlineData("CREATE STREAM s (a bigint DEFAULT null) WITH ()", "found \"null\", expect default constraint value.")]
    [InlineData("CREATE STREAM s (a bigint DEFAULT -x) WITH ()", "found \"-\", expect default constraint value.")]
    [InlineData("CREATE STREAM s (a array(bigint x)) WITH ()", "found \"x\", expect rparen in array type definition.")]
    [InlineData("CREATE STREAM s (a array(struct(b bigint), x)) WITH ()", "found \",\", expect rparen in struct of array type definition.")]
    [InlineData("CREATE STREAM s (a array(array(bigint) x)) WITH ()", "found \"x\", expect rparen in array of array type definition.")]
    [InlineData("CREATE STREAM s (a array(foo)) WITH ()", "found \"foo\", expect stream data types.")]
    [InlineData("CREATE STREAM s (a struct(b bigint) with x) WITH ()", "found \"x\", expect comma in create stream record statement.")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE=users)", "found \"users\", expect string or boolean value in option.")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE='users')", "found \"users\", expect string or boolean value in option.")]
    [InlineData("CREATE STREAM s () WITH (RETAIN_SIZE=3)", "found \"3\", expect string or boolean value in option.")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE=\"a\\'b\")", "found \"invalid string: \\\"a\\\\'b\\\"\", expect string or boolean value in option.")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE=\"line\nbreak\")", "found \"invalid string: \\\"line\\nbreak\\\"\", expect string or boolean value in option.")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE=\"unterminated)", "found \"\\\"unterminated)\", expect string or boolean value in option.")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE \"users\")", "found \"users\", expect equals(=) in options.")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE != \"users\")", "found \"!=\", expect equals(=) in options.")]
    [InlineData("CREATE STREAM demo (NAME string) WITH (sources=\"users\", FORMAT=\"JSON\")",
        "found \"SOURCES\", unknown option keys(DATASOURCE|FORMAT|KEY|CONF_KEY|SHARED|STRICT_VALIDATION|TYPE|TIMESTAMP|TIMESTAMP_FORMAT|RETAIN_SIZE|SCHEMAID|EXTRA|VERSION|TEMP|KIND|DELIMITER).")]
    [InlineData("CREATE STREAM s () WITH (",
        "found \"EOF\", unknown option keys(DATASOURCE|FORMAT|KEY|CONF_KEY|SHARED|STRICT_VALIDATION|TYPE|TIMESTAMP|TIMESTAMP_FORMAT|RETAIN_SIZE|SCHEMAID|EXTRA|VERSION|TEMP|KIND|DELIMITER).")]
    [InlineData("CREATE STREAM demo (USERID BIGINT,) WITH DATASOURCE=\"users\", FORMAT=\"JSON\")", "found \"DATASOURCE\", expect stream options.")]
    [InlineData("CREATE STREAM demo (NAME string)) WITH (DATASOURCE=\"users\")", "found \")\", expect stream options.")]
    [InlineData("CREATE STREAM demo (USERID BIGINT,) WITH ());", "found \")\", expected semicolon or EOF.")]
    [InlineData("CREATE STREAM s () WITH () x", "found \"x\", expected semicolon or EOF.")]
    [InlineData("CREATE TABLE b () WITH (FORMAT=\"binary\")", "'binary' format is not supported for table")]
    [InlineData("CREATE STREAM b (img array(bytea)) WITH (FORMAT=\"binary\")", "'binary' format stream can have only 'bytea' type field")]
    [InlineData("CREATE STREAM demo (USERID BIGINT, PICTURE BYTEA) WITH (DATASOURCE=\"users\", format=\"BINARY\")", "'binary' format stream can have only one field")]
    [InlineData("CREATE STREAM s () WITH (FORMAT=\"XML\")", "option 'format=XML' is invalid")]
    [InlineData("CREATE STREAM s () WITH (FORMAT=true)", "option 'format=TRUE' is invalid")]
    [InlineData("CREATE TABLE table1 (id BIGINT) WITH (DATASOURCE=\"devices\", KIND=\"LOOKUP\", TYPE=\"memory\")", "Option \"key\" is required for memory lookup table.")]
    [InlineData("CREATE STREAM demo (NAME string) WITH (KEY=\"USERID\", STRICT_VALIDATION=\"true1\")", "found \"true1\", expect TRUE/FALSE value in STRICT_VALIDATION option.")]
    [InlineData("CREATE STREAM s () WITH (SHARED=\"yes\")", "found \"yes\", expect TRUE/FALSE value in SHARED option.")]
    [InlineData("CREATE STREAM s () WITH (TEMP=\"t\")", "found \"t\", expect TRUE/FALSE value in TEMP option.")]
    [InlineData("CREATE STREAM s () WITH (RETAIN_SIZE=\"abc\")", "found \"abc\", expect number value in RETAIN_SIZE option.")]
    [InlineData("CREATE STREAM s () WITH (RETAIN_SIZE=\"9223372036854775808\")", "found \"9223372036854775808\", expect number value in RETAIN_SIZE option.")]
    [InlineData("CREATE STREAM demo (NAME string) WITH (DATASOURCE=\"users\", EXTRA=\"USERID\")", "invalid extra option, expect JSON string")]
    [InlineData("CREATE STREAM s () WITH (EXTRA=true)", "invalid extra option, expect JSON string")]
    [InlineData("CREATE STREAM s (NICKNAMES ARRAY(STRING) DEFAULT \"foo bar\") WITH ()", "DEFAULT clause is not supported for *ast.ArrayType")]
    [InlineData("CREATE STREAM s (PICTURE BYTEA DEFAULT \"foo\") WITH ()", "DEFAULT clause is not supported for bytea")]
    [InlineData("CREATE STREAM s (a datetime DEFAULT \"2020-01-01\") WITH ()", "DEFAULT clause is not supported for datetime")]
    [InlineData("CREATE STREAM s (USERID BIGINT DEFAULT \"bar\",) WITH ()", "cannot convert string(bar) to int64")]
    [InlineData("CREATE STREAM s (a bigint DEFAULT 09) WITH ()", "cannot convert string(09) to int64")]
    [InlineData("CREATE STREAM s (a float DEFAULT \"1e400\") WITH ()", "cannot convert string(1e400) to float64")]
    [InlineData("CREATE STREAM s (a boolean DEFAULT \"yes\") WITH ()", "strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("CREATE STREAM s (a array x DEFAULT 1) WITH ()", "unsupported type <nil>")]
    public void Errors_are_reported_with_the_exact_reference_text(string statement, string expected)
    {
        var result = StreamStatementParser.Parse(statement);

        Assert.False(result.IsSuccess);
        Assert.Equal(expected, result.Error);
        Assert.False(result.IsNotFound);
    }

    /// <summary>
    /// "Parenthesis is not matched.", "Parenthesis is in create record type not matched." and
    /// "Parenthesis is not matched in options definition." exist in the reference but cannot be produced:
    /// each guarding stack holds one '(' that is always popped just before the check. These are the inputs
    /// that come closest, with what the reference really answers.
    /// </summary>
    [Theory]
    [InlineData("CREATE STREAM s ((a bigint))) WITH ()", "found \"(\", expect stream field name.")]
    [InlineData("CREATE STREAM s (a struct(b bigint)), c bigint) WITH ()", "found \",\", expect stream options.")]
    [InlineData("CREATE STREAM s () WITH ((DATASOURCE=\"x\"))",
        "found \"(\", unknown option keys(DATASOURCE|FORMAT|KEY|CONF_KEY|SHARED|STRICT_VALIDATION|TYPE|TIMESTAMP|TIMESTAMP_FORMAT|RETAIN_SIZE|SCHEMAID|EXTRA|VERSION|TEMP|KIND|DELIMITER).")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE=\"x\"))", "found \")\", expected semicolon or EOF.")]
    public void Unbalanced_parentheses_give_the_references_actual_errors(string statement, string expected)
    {
        Assert.Equal(expected, StreamStatementParser.Parse(statement).Error);
    }

    [Theory]
    [InlineData("CREATE STREAM \"tab\\there\" () WITH ()", "found \"tab\\there\", expected stream name.")]
    [InlineData("CREATE STREAM \"\\u00a0\" () WITH ()", "found \"\\u00a0\", expected stream name.")]
    [InlineData("CREATE STREAM \"\\x01\\x7f\" () WITH ()", "found \"\\x01\\x7f\", expected stream name.")]
    [InlineData("CREATE STREAM \"\\u200b\\U0001F600\u00e9\" () WITH ()", "found \"\\u200b\U0001F600\u00e9\", expected stream name.")]
    [InlineData("CREATE STREAM \"a\\\"b\\\\c\" () WITH ()", "found \"a\\\"b\\\\c\", expected stream name.")]
    public void Literals_in_errors_are_quoted_like_go_percent_q(string statement, string expected)
    {
        Assert.Equal(expected, StreamStatementParser.Parse(statement).Error);
    }

    // ---- statement dispatch -------------------------------------------------------------------

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("-- just a comment")]
    [InlineData("SHOW STREAMS")]
    [InlineData("DROP STREAM demo")]
    [InlineData("DESCRIBE TABLE demo")]
    [InlineData("SELECT * FROM demo")]
    [InlineData("INSERT INTO demo VALUES (1)")]
    [InlineData("\0CREATE STREAM s () WITH ()")]
    public void Non_create_statements_are_invalid_for_both_kinds(string statement)
    {
        var asStream = StreamStatementParser.ParseForKind(statement, StreamKind.Stream);
        var asTable = StreamStatementParser.ParseForKind(statement, StreamKind.Table);

        Assert.Equal("Invalid stream statement: " + statement, asStream.Error);
        Assert.Equal("Invalid table statement: " + statement, asTable.Error);
        Assert.False(asStream.IsNotFound);
        Assert.Equal("Invalid stream statement: " + statement, StreamStatementParser.Parse(statement).Error);
    }

    [Theory]
    [InlineData("SHOW STREAMSf", "found \"STREAMSF\", expected keyword streams or tables.")]
    [InlineData("SHOW STREAMS d", "found \"d\", expected semecolon or EOF.")]
    [InlineData("DROP foo bar", "found \"FOO\", expected keyword stream or table.")]
    [InlineData("DROP STREAM 1", "found \"1\", expected stream name.")]
    [InlineData("DESCRIBE TABLE", "found \"EOF\", expected table name.")]
    [InlineData("\"select\" * FROM demo", "Found \"select\", Expected SELECT.\n")]
    public void Other_statements_keep_their_own_syntax_errors(string statement, string expected)
    {
        var result = StreamStatementParser.ParseForKind(statement, StreamKind.Table);

        Assert.Equal(expected, result.Error);
        Assert.False(result.IsNotFound);
    }

    [Fact]
    public void A_table_imported_under_streams_is_not_found()
    {
        var result = StreamStatementParser.ParseForKind(
            "CREATE TABLE T110 (S1 string) WITH (DATASOURCE=\"test.json\", TYPE=\"file\")", StreamKind.Stream);

        Assert.False(result.IsSuccess);
        Assert.True(result.IsNotFound);
        Assert.Equal("stream T110 is not found", result.Error);
    }

    [Fact]
    public void A_stream_imported_under_tables_is_not_found()
    {
        var result = StreamStatementParser.ParseForKind("create stream demo () WITH (FORMAT=\"JSON\")", StreamKind.Table);

        Assert.True(result.IsNotFound);
        Assert.Equal("table demo is not found", result.Error);
    }

    [Fact]
    public void Parse_errors_win_over_the_kind_check()
    {
        var result = StreamStatementParser.ParseForKind("CREATE TABLE t () WITH (FORMAT=\"binary\")", StreamKind.Stream);

        Assert.False(result.IsNotFound);
        Assert.Equal("'binary' format is not supported for table", result.Error);
    }

    [Fact]
    public void Parse_accepts_either_kind()
    {
        Assert.Equal(StreamKind.Table, ParseOk("CREATE TABLE t () WITH ()").Kind);
        Assert.Equal(StreamKind.Stream, ParseOk("CREATE STREAM s () WITH ()").Kind);
    }
}

public class StreamStatementParserLimitsTests
{
    [Fact]
    public void Moderately_deep_nesting_parses()
    {
        var type = string.Concat(Enumerable.Repeat("ARRAY(", 300)) + "BIGINT" + new string(')', 300);

        var result = StreamStatementParser.Parse($"CREATE STREAM s (a {type}) WITH ()");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(
            string.Concat(Enumerable.Repeat("array(", 300)) + "bigint" + new string(')', 300),
            ReferenceFormat.Type(result.Definition.Fields[0].Type));
    }

    [Theory]
    [InlineData("ARRAY(")]
    [InlineData("STRUCT(x ")]
    public void Absurd_nesting_is_an_error_not_a_crash(string opener)
    {
        var statement = "CREATE STREAM s (a " + string.Concat(Enumerable.Repeat(opener, 500_000));

        var result = StreamStatementParser.Parse(statement);

        Assert.Equal(StreamStatementParser.TooDeeplyNestedMessage, result.Error);
    }

    [Theory]
    [InlineData("ARRAY(", "BIGINT", ")")]
    [InlineData("STRUCT(f ", "BIGINT", ")")]
    public void Types_nest_up_to_the_bound_and_are_described_one_past_it_is_refused(string open, string inner, string close)
    {
        string Statement(int depth) =>
            $"CREATE STREAM s (a {string.Concat(Enumerable.Repeat(open, depth))}{inner}{string.Concat(Enumerable.Repeat(close, depth))}) WITH (TYPE=\"memory\")";

        var atBound = StreamStatementParser.Parse(Statement(StreamStatementParser.MaxTypeNesting));
        var pastBound = StreamStatementParser.Parse(Statement(StreamStatementParser.MaxTypeNesting + 1));

        Assert.True(atBound.IsSuccess, atBound.Error);
        // Describing it walks the whole type and writes JSON deeper than System.Text.Json's defaults allow.
        Assert.StartsWith("{\"Name\":\"s\",\"StreamFields\":[{\"FieldType\":{\"", StreamDescription.ToJson(atBound.Definition!));
        Assert.Equal(StreamStatementParser.TooDeeplyNestedMessage, pastBound.Error);
    }

    [Fact]
    public void Definitions_compare_structurally()
    {
        const string statement = "CREATE STREAM s (a struct(b array(bigint))) WITH (TYPE=\"mqtt\")";

        var first = StreamStatementParser.Parse(statement).Definition;
        var second = StreamStatementParser.Parse(statement).Definition;
        var other = StreamStatementParser.Parse(statement.Replace("bigint", "float")).Definition;

        Assert.Equal(first, second);
        Assert.Equal(first!.GetHashCode(), second!.GetHashCode());
        Assert.NotEqual(first, other);
    }
}
