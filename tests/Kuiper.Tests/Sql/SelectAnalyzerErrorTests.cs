using Kuiper.Domain.Sql;
using Xunit;

namespace Kuiper.Tests.Sql;

/// <summary>
/// Parse errors with eKuiper's exact texts. Cases marked "eKuiper" are copied from eKuiper's parser tests
/// (internal/xsql/parser*_test.go, funcs_validator_test.go); the others follow eKuiper's parser code.
/// </summary>
public class SelectAnalyzerErrorTests
{
    [Theory]
    // ---- eKuiper: statement structure
    [InlineData("SELECT * AS alias FROM tbl", "alias is not supported for *")]
    [InlineData("SELECT *, FROM tbl", "found \"FROM\", expected expression.")]
    [InlineData("SELECT *f FROM tbl", "found \"f\", expected FROM.")]
    [InlineData("SELECT `half FROM tb", "found \"EOF\", expected FROM.")]
    [InlineData("SELECT -abc FROM demo", "found \"-\", expected expression.")]
    [InlineData("SELECT name OVER (PARTITION BY device) FROM tbl", "found \"OVER\", expected FROM.")]
    [InlineData("SELECT sum(f1) FILTER( where revenue > 100 ) FROM tbl GROUP BY year", "found \"FILTER\", expected FROM.")]
    [InlineData("SELECT * FROM demo GROUP BY COUNTWINDOW(3,1) where revenue > 100", "found \"WHERE\", expected EOF.")]
    [InlineData("SELECT t1.name FROM topic/sensor1 AS t1 CROSS JOIN topic1/sensor2 AS t2 ON t1.f=t2.k", "On expression is not required for cross join type.\n")]
    // ---- eKuiper: expressions
    [InlineData("SELECT a FROM tbl WHERE f1 NOT BETWEEN b", "expect AND expression after between but found EOF")]
    [InlineData("SELECT a FROM tbl WHERE f1 NOT BETWEEN 1 OR 2", "expect AND expression after between but found OR")]
    [InlineData("SELECT CASE temperature ELSE \"low\" END as label, humidity FROM tbl", "invalid CASE expression, WHEN expected before ELSE")]
    [InlineData("SELECT CASE WHEN 30 THEN 'high' ELSE 'low' END as label, humidity FROM tbl", "invalid CASE expression, WHEN expression must be a bool condition")]
    [InlineData("SELECT \".*(/)(?!.*\\1)\" FROM topic/sensor1 AS t1", "found \"invalid string: \\\".*(/)(?!.*\\\\1)\\\"\", expected expression.")]
    [InlineData("SELECT \"abc' FROM tbl", "found \"\\\"abc' FROM tbl\", expected expression.")]
    [InlineData("SELECT name FROM tbl WHERE name IN ()", "expect elements for IN expression, but found \")\", expected expression.")]
    [InlineData("SELECT name FROM tbl WHERE name IN (abc,def OR name in (abc)", "expect ) for IN expression, but got \"EOF\"")]
    // ---- eKuiper: functions
    [InlineData("SELECT count(*, f1) FROM tbl", "validate function count error: Expect 1 arguments but found 2.")]
    [InlineData("SELECT lag() FROM tbl", "validate function lag error: expect one two or three args but got 0")]
    [InlineData("SELECT lag(a, b, \"default value\") FROM tbl", "validate function lag error: Expect int type for parameter 2")]
    [InlineData("SELECT avg(name) OVER (PARTITION BY device) FROM tbl", "Found OVER after non analytic function avg")]
    [InlineData("SELECT avg(name) OVER (WHEN a > b) FROM tbl", "Found OVER after non analytic function avg")]
    [InlineData("SELECT a FROM tbl WHERE changed_cols(\"\",true,a,b,c) > 3", "function changed_cols can only be used inside the select clause")]
    [InlineData("SELECT id,AVG(data) FROM t GROUP BY SUM(data)>10", "Not allowed to call aggregate functions in GROUP BY clause: binaryExpr:{ Call:{ name:sum, args:[$$default.data] } > 10 }.")]
    [InlineData("SELECT abs(1,2) FROM tbl", "validate function abs error: Expect 1 arguments but found 2.")]
    [InlineData("SELECT abs(true) FROM tbl", "validate function abs error: Expect number - float or int type for parameter 1")]
    [InlineData("SELECT sin(\"test\") FROM tbl", "validate function sin error: Expect number - float or int type for parameter 1")]
    [InlineData("SELECT tanh(ss) FROM tbl", "validate function tanh error: Expect number - float or int type for parameter 1")]
    [InlineData("SELECT bitxor(1.1, 2) FROM tbl", "validate function bitxor error: Expect int type for parameter 1")]
    [InlineData("SELECT bitxor(1, ss) FROM tbl", "validate function bitxor error: Expect int type for parameter 2")]
    [InlineData("SELECT bitnot(true) FROM tbl", "validate function bitnot error: Expect int type for parameter 1")]
    [InlineData("SELECT mod(1.1, true) FROM tbl", "validate function mod error: Expect number - float or int type for parameter 2")]
    [InlineData("SELECT concat(\"1\", ss) FROM tbl", "validate function concat error: Expect string type for parameter 2")]
    [InlineData("SELECT regexp_matches(1, \"true\") FROM tbl", "validate function regexp_matches error: Expect string type for parameter 1")]
    [InlineData("SELECT regexp_replace(field1, \"true\", true) FROM tbl", "validate function regexp_replace error: Expect string type for parameter 3")]
    [InlineData("SELECT trim(1) FROM tbl", "validate function trim error: Expect string type for parameter 1")]
    [InlineData("SELECT rpad(\"ff\", true) FROM tbl", "validate function rpad error: Expect int type for parameter 2")]
    [InlineData("SELECT substring(field, -1, 4) FROM tbl", "validate function substring error: The start index should not be a nagtive integer.")]
    [InlineData("SELECT substring(field, 0, -1) FROM tbl", "validate function substring error: The end index should be larger than start index.")]
    [InlineData("SELECT substring(field, 0, true) FROM tbl", "validate function substring error: Expect int type for parameter 3")]
    [InlineData("SELECT cast(\"12\", \"bool\") FROM tbl", "validate function cast error: Expect one of following value for the 2nd parameter: bigint, float, string, boolean, datetime, bytea.")]
    [InlineData("SELECT chr(true) FROM tbl", "validate function chr error: Expect int type for parameter 1")]
    [InlineData("SELECT encode(field, true) FROM tbl", "validate function encode error: Expect string type for parameter 2")]
    [InlineData("SELECT trunc(5, ss) FROM tbl", "validate function trunc error: Expect int type for parameter 2")]
    [InlineData("SELECT sha512(20) FROM tbl", "validate function sha512 error: Expect string type for parameter 1")]
    [InlineData("SELECT mqtt(\"topic\") FROM tbl", "validate function mqtt error: Expect meta reference type for parameter 1")]
    [InlineData("SELECT mqtt(topic1) FROM tbl", "validate function mqtt error: Parameter of mqtt function can be only topic or messageid.")]
    [InlineData("SELECT split_value(topic1) FROM tbl", "validate function split_value error: the arguments for split_value should be 3")]
    [InlineData("SELECT split_value(topic1, 3, 1) FROM tbl", "validate function split_value error: Expect string type for parameter 2")]
    [InlineData("SELECT split_value(topic1, \"hello\", -1) FROM tbl", "validate function split_value error: The index should not be a nagtive integer.")]
    [InlineData("SELECT meta(tbl, \"timestamp\", 1) FROM tbl", "validate function meta error: Expect 1 arguments but found 3.")]
    [InlineData("SELECT meta(\"src1.device\") FROM tbl", "validate function meta error: Expect meta reference type for parameter 1")]
    [InlineData("SELECT json_path_query(data, 44) AS data FROM tbl", "validate function json_path_query error: Expect string type for parameter 2")]
    [InlineData("SELECT collect() from tbl", "validate function collect error: Expect 1 arguments but found 0.")]
    [InlineData("SELECT deduplicate(abc, temp, true) from tbl", "validate function deduplicate error: Expect 2 arguments but found 3.")]
    [InlineData("SELECT deduplicate(temp, \"string\") from tbl", "validate function deduplicate error: Expect bool type for parameter 2")]
    // ---- eKuiper: set-returning and window functions
    [InlineData("select a from demo order by unnest(b)", "select statement shouldn't has srf except fields")]
    [InlineData("select abc from demo left join demo on unnest(demo.a) = b GROUP BY ID, TUMBLINGWINDOW(ss, 10)", "select statement shouldn't has srf except fields")]
    [InlineData("select a from demo group by id having unnest(a)", "select statement shouldn't has srf except fields")]
    [InlineData("select a from demo group by unnest(a)", "select statement shouldn't has srf except fields")]
    [InlineData("select a,b from demo where unnest(a)", "select statement shouldn't has srf except fields")]
    [InlineData("select unnest(unnest(arr)) from demo", "select clause shouldn't has nested set-returning-functions")]
    [InlineData("select abs(unnest(arr)) from demo", "select clause shouldn't has nested set-returning-functions")]
    [InlineData("select unnest(arr1), unnest(arr2) from demo", "select clause shouldn't has multi set-returning-functions")]
    [InlineData("select * from demo where row_number() > 1", "window functions can only be in select fields")]
    [InlineData("select * from demo having row_number() > 1", "window functions can only be in select fields")]
    [InlineData("select * from demo group by  row_number()", "window functions can only be in select fields")]
    [InlineData("select * from demo left join demo on row_number()", "window functions can only be in select fields")]
    [InlineData("select * from demo order by row_number()", "window functions can only be in select fields")]
    // ---- eKuiper: windows
    [InlineData("SELECT f1 FROM tbl GROUP BY SLIDINGWINDOW(mi, 5, 1, 4)", "The arguments for slidingwindow should be 2 or 3.\n")]
    [InlineData("SELECT f1 FROM tbl GROUP BY SLIDINGWINDOW(\"mi\", 5)", "The 1st argument for slidingwindow is expecting timer literal expression. One value of [dd|hh|mi|ss|ms].\n")]
    [InlineData("SELECT f1 FROM tbl GROUP BY COUNTWINDOW(3, 5)", "The second parameter value 5 should be less than the first parameter 3.")]
    [InlineData("SELECT * FROM demo GROUP BY COUNTWINDOW(3,1) FILTER where revenue > 100", "Found \"WHERE\" after FILTER, expect parentheses.")]
    // ---- statement structure (from eKuiper's parser code)
    [InlineData("SELECT", "found \"EOF\", expected expression.")]
    [InlineData("SELECT a", "found \"EOF\", expected FROM.")]
    [InlineData("'select' a FROM demo", "Found \"select\", Expected SELECT.\n")]
    [InlineData("`SELECT` a FROM demo", "Found \"SELECT\", Expected SELECT.\n")]
    [InlineData("SELECT a AS 1 FROM demo", "found \"1\", expected as alias.")]
    [InlineData("SELECT a FROM demo AS 1", "found \"demo\", expected JOIN key word.")]
    [InlineData("SELECT a FROM demo LEFT demo2", "found \"LEFT\", expected JOIN key word.")]
    [InlineData("SELECT a FROM demo GROUP a", "found \"a\", expected BY statement.")]
    [InlineData("SELECT a FROM demo ORDER a", "found \"a\", expected BY keyword.")]
    [InlineData("SELECT a FROM demo ORDER BY 1", "found \"1\", expected EOF.")]
    [InlineData("SELECT a FROM demo LIMIT a", "limit should be integer")]
    [InlineData("SELECT a FROM demo LIMIT 1.5", "limit should be integer")]
    [InlineData("SELECT a FROM demo WHERE b = \"x\" extra", "found \"extra\", expected EOF.")]
    [InlineData("SELECT a FROM demo JOIN demo2 ON a = b", "found \"JOIN\", expected EOF.")]
    [InlineData("SELECT a.* AS x FROM demo", "alias is not supported for *")]
    [InlineData("SELECT a FROM demo WHERE", "found \"EOF\", expected expression.")]
    // ---- lexer corner cases (from eKuiper's lexer code)
    [InlineData("SELECT _a FROM demo", "found \"\", expected expression.")]
    [InlineData("SELECT a FROM demo /* unterminated", "found \"\", expected EOF.")]
    [InlineData("SELECT a FROM demo WHERE a = 'unterminated", "found \"\\\"unterminated\", expected expression.")]
    [InlineData("SELECT a FROM demo WHERE a = \"\\q\"", "found \"invalid string: \\\"\\\\q\\\"\", expected expression.")]
    [InlineData("SELECT a FROM demo WHERE a = \"line\nbreak\"", "found \"invalid string: \\\"line\\nbreak\\\"\", expected expression.")]
    [InlineData("SELECT a - - 1 FROM demo", "found \"EOF\", expected FROM.")]
    [InlineData("SELECT a FROM demo WHERE a <> b", "found \">\", expected expression.")]
    [InlineData("SELECT 1.2.3 FROM demo", "found \"1.2.3\", invalid number value.")]
    // ---- expressions (from eKuiper's parser code)
    [InlineData("SELECT (a FROM demo", "found \"FROM\", expected right paren.")]
    [InlineData("SELECT a FROM demo WHERE a NOT b", "found \"b\", expected expression")]
    [InlineData("SELECT a FROM demo WHERE a IN FROM", "expect expression after IN, but got error found \"FROM\", expected expression.")]
    [InlineData("SELECT a[1 FROM demo", "Unexpected token \"1\". when parsing bracket expressions.")]
    [InlineData("SELECT a[b c] FROM demo", "Unexpected token \"b\". when parsing bracket expressions.")]
    [InlineData("SELECT a[FROM] FROM demo", "The start index FROM is invalid in bracket expression.")]
    [InlineData("SELECT a[99999999999999999999] FROM demo", "The start index 99999999999999999999 is not an int value in bracket expression.")]
    [InlineData("SELECT a[1:2 FROM demo", "Found \"FROM\", expected right bracket.")]
    [InlineData("SELECT a[1:FROM] FROM demo", "The end index FROM is invalid in bracket expression.")]
    [InlineData("SELECT a[1:99999999999999999999] FROM demo", "The end index 99999999999999999999 is not an int value in bracket expression.")]
    [InlineData("SELECT CASE WHEN a > 1 \"x\" END FROM demo", "invalid CASE expression, THEN expected after WHEN")]
    [InlineData("SELECT CASE a END FROM demo", "invalid CASE expression, WHEN expected before END")]
    [InlineData("SELECT CASE WHEN a > 1 THEN 1 FROM demo", "invalid CASE expression, END expected")]
    [InlineData("SELECT CASE WHEN (a > 1) THEN 1 END FROM demo", "invalid CASE expression, WHEN expression must be a bool condition")]
    [InlineData("SELECT * EXCEPT a FROM demo", "Found \"a\" after EXCEPT, expect left parentheses.")]
    [InlineData("SELECT * EXCEPT(a, 1) FROM demo", "Found \"1\" in EXCEPT")]
    [InlineData("SELECT * REPLACE a FROM demo", "Found \"a\" after REPLACE, expect left parentheses.")]
    [InlineData("SELECT * REPLACE(a AS b c) FROM demo", "Found \"c\" in REPLACE")]
    [InlineData("SELECT meta(* EXCEPT(a)) FROM demo", "\"EXCEPT\" is not supported in meta function")]
    // ---- calls (from eKuiper's parser code)
    [InlineData("SELECT lower(a b) FROM demo", "found function call \"lower\", expected ), but with \"b\".")]
    [InlineData("SELECT LOWER(a b) FROM demo", "found function call \"lower\", expected ), but with \"b\".")]
    [InlineData("SELECT lag(a) OVER PARTITION FROM demo", "Found \"PARTITION\" after OVER, expect parentheses.")]
    [InlineData("SELECT lag(a) OVER () FROM demo", "Found \")\" after OVER (, expect partition by or when.")]
    [InlineData("SELECT lag(a) OVER (PARTITION BY b WHEN c > 1 x) FROM demo", "Found \"IDENT\", expect right parentheses after OVER ")]
    [InlineData("SELECT lag(a) OVER (PARTITION b) FROM demo", "found \"b\", expected by after partition.")]
    [InlineData("SELECT dedup_trigger(a, b, c) FROM demo", "dedup_trigger function should have 4 arguments")]
    [InlineData("SELECT dedup_trigger(a, 1, c, 10) FROM demo", "dedup_trigger function should have fieldRef as the 2 argument")]
    [InlineData("SELECT dedup_trigger(a, b, c, d) FROM demo", "dedup_trigger function should have integer as the fourth argument")]
    [InlineData("SELECT log() FROM demo", "validate function log error: Expect 1 or 2 arguments only")]
    [InlineData("SELECT now(1, 2) FROM demo", "validate function now error: too many arguments")]
    [InlineData("SELECT array_concat() FROM demo", "validate function array_concat error: At least has 1 argument but found 0.")]
    [InlineData("SELECT acc_avg(a, b) FROM demo", "validate function acc_avg error: Expect 1/3 arguments but found 2.")]
    [InlineData("SELECT sequence(1) FROM demo", "validate function sequence error: Expect two or three arguments but found 1.")]
    [InlineData("SELECT month_name(1) FROM demo", "validate function month_name error: Expect datetime type for parameter 2")]
    [InlineData("SELECT object_construct(\"a\") FROM demo", "validate function object_construct error: the args must be key value pairs")]
    [InlineData("SELECT compress(a, 1) FROM demo", "validate function compress error: Expect string type for parameter 2")]
    [InlineData("SELECT changed_cols(\"\", true) FROM demo", "validate function changed_cols error: expect more than two args but got 2")]
    // ---- windows (from eKuiper's parser code)
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss)", "The arguments for tumblingwindow should be 2.\n")]
    [InlineData("SELECT a FROM demo GROUP BY HOPPINGWINDOW(ss, 10, \"a\")", "The 2 argument for hoppingwindow is expecting interger literal expression. \n")]
    [InlineData("SELECT a FROM demo GROUP BY SESSIONWINDOW(10, 10, 5)", "The 1st argument for sessionwindow is expecting timer literal expression. One value of [dd|hh|mi|ss|ms].\n")]
    [InlineData("SELECT a FROM demo GROUP BY COUNTWINDOW(0)", "Invalid parameter value 0.")]
    [InlineData("SELECT a FROM demo GROUP BY COUNTWINDOW(1.5)", "Invalid parameter value 1.5.")]
    [InlineData("SELECT a FROM demo GROUP BY COUNTWINDOW(a, 1)", "Invalid parameter value $$default.a, 1.")]
    [InlineData("SELECT a FROM demo GROUP BY COUNTWINDOW()", "Invalid parameter count.")]
    [InlineData("SELECT a FROM demo GROUP BY STATEWINDOW()", "The arguments for statewindow should be 1 or 2.\n")]
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 10) OVER WHEN", "Found \"WHEN\" after OVER, expect parentheses.")]
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 10) OVER (WHEN a > 1", "Found \"EOF\" after OVER, expect right parentheses.")]
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 10) FILTER (a > 1)", "Found \"a\" after FILTER(, expect WHERE.")]
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 10) FILTER (WHERE a > 1", "Found \"EOF\" after FILTER, expect right parentheses.")]
    // ---- aggregates in GROUP BY (the expression is printed in eKuiper's notation)
    [InlineData("SELECT a FROM demo GROUP BY count(a), b", "Not allowed to call aggregate functions in GROUP BY clause: Call:{ name:count, args:[$$default.a] }.")]
    [InlineData("SELECT a FROM demo GROUP BY round(avg(a.b), 1.50)", "Not allowed to call aggregate functions in GROUP BY clause: Call:{ name:round, args:[Call:{ name:avg, args:[binaryExpr:{ $$default.a -> jsonFieldName:b }] }, 1.5] }.")]
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 10) FILTER (WHERE count(a) > 1)", "Not allowed to call aggregate functions in GROUP BY clause: window:{ windowType:TUMBLING_WINDOW, timeUnit: SS , binaryExpr:{ Call:{ name:count, args:[$$default.a] } > 1 } }.")]
    [InlineData("SELECT a FROM demo GROUP BY CASE WHEN max(a) > 1 THEN 1 END", "Not allowed to call aggregate functions in GROUP BY clause: caseExprValue:{ whenClauses:[{ whenClause:{ binaryExpr:{ Call:{ name:max, args:[$$default.a] } > 1 } } }] }.")]
    [InlineData("SELECT a FROM demo GROUP BY sum(a) IN (1, 'x')", "Not allowed to call aggregate functions in GROUP BY clause: binaryExpr:{ Call:{ name:sum, args:[$$default.a] } IN valueSetExpr:{ literalExprs:[1, x] } }.")]
    [InlineData("SELECT a FROM demo GROUP BY sum(a[1:2]) BETWEEN 0.000001 AND 1234567.0", "Not allowed to call aggregate functions in GROUP BY clause: binaryExpr:{ Call:{ name:sum, args:[binaryExpr:{ $$default.a[ColonExpr:{ start:{ 1 }, end:{ 2 } }] }] } BETWEEN betweenExpr:{ 1e-06, 1.234567e+06 } }.")]
    // ---- LIKE patterns are compiled as Go regular expressions
    [InlineData("SELECT a FROM demo WHERE a LIKE \"a(b\"", "invalid LIKE pattern: error parsing regexp: missing closing ): `^a(b$`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE 'a)'", "invalid LIKE pattern: error parsing regexp: unexpected ): `^a)$`")]
    [InlineData("SELECT a FROM demo WHERE a NOT LIKE \"%*\"", "invalid LIKE pattern: error parsing regexp: invalid nested repetition operator: `**`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"x(*)\"", "invalid LIKE pattern: error parsing regexp: missing argument to repetition operator: `*`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"x|+\"", "invalid LIKE pattern: error parsing regexp: missing argument to repetition operator: `+`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"[b-a]\"", "invalid LIKE pattern: error parsing regexp: invalid character class range: `b-a`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"x[abc\"", "invalid LIKE pattern: error parsing regexp: missing closing ]: `[abc$`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"(?!x)\"", "invalid LIKE pattern: error parsing regexp: invalid or unsupported Perl syntax: `(?!`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"a{1001}\"", "invalid LIKE pattern: error parsing regexp: invalid repeat count: `{1001}`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"(a{100}){100}\"", "invalid LIKE pattern: error parsing regexp: invalid repeat count: `{100}`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"[[:foo:]]\"", "invalid LIKE pattern: error parsing regexp: invalid character class range: `[:foo:]`")]
    [InlineData("SELECT a FROM demo WHERE a LIKE \"(?P<1-2>x)\"", "invalid LIKE pattern: error parsing regexp: invalid named capture: `(?P<1-2>`")]
    public void ParseError(string sql, string expected)
    {
        var analysis = SelectAnalyzer.Analyze(sql);

        Assert.Equal(expected, analysis.Error);
        Assert.False(analysis.IsValid);
        Assert.Empty(analysis.Sources);
        Assert.Empty(analysis.Functions);
    }

    [Theory]
    [InlineData("SELECT sample(-.3,) FROM tbl", "function sample not found")]
    [InlineData("select timestamp() as tp from demo", "function timestamp not found")]
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 1) HAVING MyAgg(a) > 1", "function MyAgg not found")]
    public void Unknown_function_when_only_builtins_exist(string sql, string expected)
    {
        var builtinsOnly = new SqlAnalyzerOptions { ResolveExternalFunction = _ => null };

        Assert.Equal(expected, SelectAnalyzer.Analyze(sql, builtinsOnly).Error);
    }

    [Theory]
    [InlineData("SHOW STREAMSf", "found \"STREAMSF\", expected keyword streams or tables.")]
    [InlineData("SHOW STREAMS d", "found \"d\", expected semecolon or EOF.")]
    [InlineData("DESCRIBE demo", "found \"DEMO\", expected keyword stream or table.")]
    [InlineData("DROP STREAM", "found \"EOF\", expected stream name.")]
    [InlineData("explain table 'x'", "found \"x\", expected table name.")]
    public void Other_statement_errors(string sql, string expected)
    {
        var analysis = SelectAnalyzer.Analyze(sql);

        Assert.Equal(expected, analysis.Error);
        Assert.False(analysis.IsSelect);
    }

    [Theory]
    // Examples from eKuiper's docs/en_US/getting_started/debug_rules.md
    [InlineData("SELECT temperature humidity FROM neuronStream", "Parse SQL SELECT temperature humidity FROM neuronStream error: found \"humidity\", expected FROM..")]
    [InlineData("SELECT temperature, humidity FROM mockStream WHERE temprature - laig(temperature) > 1", "Parse SQL SELECT temperature, humidity FROM mockStream WHERE temprature - laig(temperature) > 1 error: function laig not found.")]
    public void RuleErrorFromEkuiperDocs(string sql, string expected)
    {
        var builtinsOnly = new SqlAnalyzerOptions { ResolveExternalFunction = _ => null };

        Assert.Equal(expected, SelectAnalyzer.Analyze(sql, builtinsOnly).RuleError);
    }

    [Fact]
    public void Rule_error_wraps_the_parser_error()
    {
        const string sql = "SELECT * FROM demo WHERE";

        Assert.Equal(
            "Parse SQL SELECT * FROM demo WHERE error: found \"EOF\", expected expression..",
            SelectAnalyzer.Analyze(sql).RuleError);
    }

    [Fact]
    public void Statement_ended_by_semicolon_skips_statement_validation()
    {
        // eKuiper validates aggregates/set-returning functions only when the statement runs to the end of input.
        Assert.Null(SelectAnalyzer.Analyze("select unnest(unnest(arr)) from demo;").Error);
        Assert.Equal(
            "select clause shouldn't has nested set-returning-functions",
            SelectAnalyzer.Analyze("select unnest(unnest(arr)) from demo").Error);
    }
}

/// <summary>Statements far deeper than any real rule must fail cleanly instead of overflowing the stack.</summary>
public class SelectAnalyzerNestingTests
{
    [Fact]
    public void Deep_but_allowed_nesting_parses()
    {
        var depth = SelectAnalyzer.MaxNestingDepth - 10;
        var sql = "SELECT " + new string('(', depth) + "a" + new string(')', depth) + " FROM demo";

        Assert.Null(SelectAnalyzer.Analyze(sql).Error);
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("abs(", ")")]
    [InlineData("CASE WHEN a > 1 THEN ", " END")]
    public void Excessive_nesting_is_an_error(string open, string close)
    {
        const int depth = 100_000;
        var sql = "SELECT " + string.Concat(Enumerable.Repeat(open, depth)) + "a"
            + string.Concat(Enumerable.Repeat(close, depth)) + " FROM demo";

        Assert.Equal(SelectAnalyzer.NestingError, SelectAnalyzer.Analyze(sql).Error);
    }

    [Fact]
    public void Deeply_nested_like_pattern_fails_like_Go_regexp()
    {
        var pattern = new string('(', 5000) + "a" + new string(')', 5000);

        var analysis = SelectAnalyzer.Analyze($"SELECT a FROM demo WHERE a LIKE '{pattern}{{2}}'");

        Assert.Equal(
            "invalid LIKE pattern: error parsing regexp: expression nests too deeply: `^" + pattern + "{2}$`",
            analysis.Error);
    }

    [Fact]
    public void Long_operator_chains_are_fine()
    {
        var sql = "SELECT a FROM demo WHERE " + string.Join(" + ", Enumerable.Repeat("a", 100_000)) + " > 1";

        var analysis = SelectAnalyzer.Analyze(sql);

        Assert.Null(analysis.Error);
        Assert.Equal(["demo"], analysis.Sources.Select(s => s.Name));
    }

    [Fact]
    public void Printing_a_huge_group_by_expression_fails_cleanly()
    {
        var sql = "SELECT a FROM demo GROUP BY count(a) + " + string.Join(" + ", Enumerable.Repeat("a", 100_000));

        Assert.Equal(SelectAnalyzer.NestingError, SelectAnalyzer.Analyze(sql).Error);
    }
}
