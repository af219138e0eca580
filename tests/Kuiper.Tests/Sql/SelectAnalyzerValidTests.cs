using Kuiper.Domain.Sql;
using Kuiper.Domain.Streams;
using Xunit;

namespace Kuiper.Tests.Sql;

/// <summary>
/// Valid statements, mostly harvested from eKuiper's parser tests (internal/xsql/parser*_test.go).
/// Sources are written "name", "name AS alias" or "JoinType name [AS alias]", separated by "; ".
/// Functions are comma-separated, in order of first appearance.
/// </summary>
public class SelectAnalyzerValidTests
{
    [Theory]
    // Required by the brief
    [InlineData("SELECT * FROM demo", "demo", "")]
    [InlineData("SELECT revert(name) FROM demo", "demo", "revert")]
    [InlineData("SELECT a FROM simup", "simup", "")]
    [InlineData("SELECT count(*) FROM demo GROUP BY TUMBLINGWINDOW(ss, 10)", "demo", "count,tumblingwindow")]
    // Field forms
    [InlineData("SELECT arr[x:4] FROM tbl", "tbl", "")]
    [InlineData("SELECT arr[1:x] FROM tbl", "tbl", "")]
    [InlineData("SELECT arr[x+1:y] FROM tbl", "tbl", "")]
    [InlineData("SELECT `select` FROM tbl", "tbl", "")]
    [InlineData("SELECT `space var` FROM tbl", "tbl", "")]
    [InlineData("SELECT `中文 Chinese` FROM tbl", "tbl", "")]
    [InlineData("SELECT * EXCEPT(a, b, c) FROM tbl", "tbl", "")]
    [InlineData("SELECT * REPLACE(a * 2 AS a, b / 2 AS b) FROM tbl", "tbl", "")]
    [InlineData("SELECT * REPLACE(upper(a) AS a) FROM tbl", "tbl", "upper")]
    [InlineData("SELECT a AS alias1, b as Alias2 FROM tbl", "tbl", "")]
    [InlineData("SELECT *, name, lower(name) as ln FROM tbl", "tbl", "lower")]
    [InlineData("SELECT field0,   'abc' AS field1, field2 FROM tbl", "tbl", "")]
    [InlineData("SELECT true AS f1, FALSE as f2 FROM tbl", "tbl", "")]
    [InlineData("SELECT -3 AS t1 FROM tbl", "tbl", "")]
    [InlineData("SELECT - 3 AS t1 FROM tbl", "tbl", "")]
    [InlineData("SELECT -. 3 AS t1 FROM tbl", "tbl", "")]
    [InlineData("SELECT -3.3 AS t1 FROM tbl", "tbl", "")]
    [InlineData("SELECT .2 FROM tbl", "tbl", "")]
    [InlineData("SELECT 'a\"b\\'c' FROM tbl", "tbl", "")]
    [InlineData("SELECT \"a\\\"b'c\" FROM tbl", "tbl", "")]
    [InlineData("SELECT a INVISIBLE, b FROM tbl", "tbl", "")]
    // Function calls: built-ins are lower-cased, others keep their case
    [InlineData("SELECT LenGth(\"test\") FROM tbl", "tbl", "length")]
    [InlineData("SELECT lpad(lower(test),1) AS field1 FROM tbl", "tbl", "lpad,lower")]
    [InlineData("SELECT length(lower('test')) FROM tbl", "tbl", "length,lower")]
    [InlineData("SELECT newuuid() FROM tbl", "tbl", "newuuid")]
    [InlineData("SELECT count(* EXCEPT(a, b, c)) FROM tbl", "tbl", "count")]
    [InlineData("SELECT count(* REPLACE(a * 2 AS a, b / 2 AS b)) FROM tbl", "tbl", "count")]
    [InlineData("SELECT lag(a, 2, 20) FROM tbl", "tbl", "lag")]
    [InlineData("SELECT deduplicate(temperature, false) FROM tbl", "tbl", "deduplicate")]
    [InlineData("SELECT ln(t1.abc*2 + 3) FROM tbl AS t1", "tbl AS t1", "ln")]
    [InlineData("SELECT lpad('param2', abc*2 + 3) FROM tbl", "tbl", "lpad")]
    [InlineData("SELECT count(*)-10 FROM demo", "demo", "count")]
    [InlineData("SELECT meta(*) FROM tbl", "tbl", "meta")]
    [InlineData("SELECT meta(device->reading->topic) FROM tbl", "tbl", "meta")]
    [InlineData("SELECT changed_cols(\"\",true,a,* EXCEPT(a, b, c),c) FROM tbl", "tbl", "changed_cols")]
    [InlineData("select tstamp() as tp from demo", "demo", "tstamp")]
    [InlineData("select rule_id() as rule_id from demo", "demo", "rule_id")]
    [InlineData("SELECT COUNT(*), Avg(temp), myFunc(a) FROM demo GROUP BY CountWindow(5)", "demo", "count,avg,myFunc,countwindow")]
    [InlineData("SELECT abs(round(sin(a), 2)), abs(b) FROM demo", "demo", "abs,round,sin")]
    [InlineData("SELECT CASE WHEN temperature > 30 THEN upper('high') ELSE lower(\"low\") END as label FROM tbl", "tbl", "upper,lower")]
    [InlineData("SELECT CASE temperature WHEN 25 THEN \"bingo\" WHEN 30 THEN \"high\" ELSE \"low\" END as label, humidity FROM tbl", "tbl", "")]
    [InlineData("SELECT CASE abs(t) WHEN floor(x) THEN ceiling(y) END FROM tbl", "tbl", "abs,floor,ceiling")]
    [InlineData("select unnest(arr), a from demo", "demo", "unnest")]
    [InlineData("select row_number() from demo ", "demo", "row_number")]
    [InlineData("SELECT row_number() OVER (PARTITION BY a ORDER BY lower(b) DESC) FROM demo", "demo", "row_number,lower")]
    [InlineData("SELECT lag(name) OVER (PARTITION BY device) FROM tbl", "tbl", "lag")]
    [InlineData("SELECT lag(name) OVER (PARTITION BY device WHEN had_changed(true, StatusCode)) as ll FROM tbl", "tbl", "lag,had_changed")]
    [InlineData("SELECT lag(name) OVER (WHEN had_changed(true, StatusCode)) as ll FROM tbl", "tbl", "lag,had_changed")]
    [InlineData("SELECT acc_sum(a) OVER (WHEN a > 1) FROM demo", "demo", "acc_sum")]
    // Sources: MQTT-topic-like names, aliases
    [InlineData("SELECT name FROM topic/sensor1", "topic/sensor1", "")]
    [InlineData("SELECT t1.name FROM topic/sensor1 AS t1", "topic/sensor1 AS t1", "")]
    [InlineData("SELECT t1.name FROM topic/sensor1 AS `join`", "topic/sensor1 AS join", "")]
    [InlineData("SELECT name FROM topic/sensor1/# AS t2 ", "topic/sensor1/# AS t2", "")]
    [InlineData("SELECT name FROM /topic/sensor1/#/", "/topic/sensor1/#/", "")]
    [InlineData("SELECT name FROM /topic/sensor1/+/temp1/", "/topic/sensor1/+/temp1/", "")]
    [InlineData("SELECT name FROM `my stream`", "my stream", "")]
    // WHERE, GROUP BY, HAVING, ORDER BY, LIMIT
    [InlineData("SELECT field2 FROM tbl WHERE field2 !   = 5 ", "tbl", "")]
    [InlineData("SELECT power(.2, 4) AS f1 FROM tbl WHERE f1 BETWEEN 1 AND 2", "tbl", "power")]
    [InlineData("SELECT a FROM tbl WHERE f1 NOT BETWEEN b AND c AND f2 BETWEEN 1 AND 2 AND f3 > 4", "tbl", "")]
    [InlineData("SELECT a FROM tbl WHERE a NOT LIKE \"fo_o%\"", "tbl", "")]
    [InlineData("SELECT a FROM tbl WHERE a LIKE 'foo\\\\%'", "tbl", "")]
    [InlineData("SELECT temp AS t, name FROM topic/sensor1 WHERE t> = 20.5 OR name = 'dname'", "topic/sensor1", "")]
    [InlineData("SELECT temp AS t, name FROM topic/sensor1 WHERE t NOT IN arraySet OR name NOT IN arraySet", "topic/sensor1", "")]
    [InlineData("SELECT temp AS t, name FROM topic/sensor1 WHERE t NOT IN (20.5, 20.4) OR name IN (\"dname\", \"ename\")", "topic/sensor1", "")]
    [InlineData("SELECT temp AS t, name FROM topic/sensor1 WHERE name = \"dname\" GROUP BY name HAVING count(name) > 3", "topic/sensor1", "count")]
    [InlineData("SELECT temp AS t, name FROM topic/sensor1 AS s1 WHERE s1.name = \"dname\" GROUP BY lpad(s1.name,1) ORDER BY s1.name", "topic/sensor1 AS s1", "lpad")]
    [InlineData("SELECT * FROM topic/sensor1 GROUP BY name, name2,power(name3,1.8) ORDER BY name DESC, name2 ASC", "topic/sensor1", "power")]
    [InlineData("SELECT name FROM tbl WHERE name IN ('A', 'B','C')", "tbl", "")]
    [InlineData("SELECT name FROM tbl WHERE lag(name) OVER (PARTITION BY device, groupName) > 3", "tbl", "lag")]
    [InlineData("SELECT name FROM tbl where true LIMIT 1;", "tbl", "")]
    [InlineData("SELECT * FROM demo WHERE meta(topic) = \"a\" AND mqtt(topic) = \"b\"", "demo", "meta,mqtt")]
    [InlineData("SELECT * FROM demo ORDER BY max(temp) DESC, lower(a)", "demo", "max,lower")]
    // Comments and multiple statements (only the first counts)
    [InlineData("SELECT name FROM tbl/*SELECT comment FROM testComments*/", "tbl", "")]
    [InlineData("/*SELECT comment FROM testComments*/SELECT name FROM tbl", "tbl", "")]
    [InlineData("SELECT name /*SELECT comment FROM testComments*/ FROM tbl", "tbl", "")]
    [InlineData("SELECT name -- a comment\nFROM tbl", "tbl", "")]
    [InlineData("SELECT name FROM tbl;\nSELECT name FROM topic/sensor1\n", "tbl", "")]
    // Windows
    [InlineData("SELECT f1 FROM tbl GROUP BY SLIDINGWINDOW(ms, 5) OVER (WHEN a > 5)", "tbl", "slidingwindow")]
    [InlineData("SELECT f1 FROM tbl GROUP BY SLIDINGWINDOW(ms, 5) FILTER (WHERE a > 4) OVER (WHEN a > 5)", "tbl", "slidingwindow")]
    [InlineData("SELECT f1 FROM tbl GROUP BY SLIDINGWINDOW(ss, 5, 1)", "tbl", "slidingwindow")]
    [InlineData("SELECT f1 FROM tbl GROUP BY HOPPINGWINDOW(mi, 5, 1)", "tbl", "hoppingwindow")]
    [InlineData("SELECT f1 FROM tbl GROUP BY SESSIONWINDOW(hh, 5, 1)", "tbl", "sessionwindow")]
    [InlineData("SELECT f1 FROM tbl GROUP BY TUMBLINGWINDOW(dd, 1)", "tbl", "tumblingwindow")]
    [InlineData("SELECT f1 FROM tbl GROUP BY COUNTWINDOW(10, 5)", "tbl", "countwindow")]
    [InlineData("SELECT * FROM demo GROUP BY department, COUNTWINDOW(3,1) FILTER( where revenue IN (100, 200)), year", "demo", "countwindow")]
    [InlineData("SELECT * FROM demo GROUP BY STATEWINDOW(a > 1, b < 2)", "demo", "statewindow")]
    [InlineData("SELECT * FROM demo GROUP BY STATEWINDOW(abs(a) > 1)", "demo", "statewindow,abs")]
    [InlineData("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 10) OVER (WHEN a > 1 PARTITION BY lower(b))", "demo", "tumblingwindow,lower")]
    [InlineData("SELECT avg(a) FROM demo GROUP BY TUMBLINGWINDOW(ss, 10) FILTER (WHERE abs(a) > 1)", "demo", "avg,tumblingwindow,abs")]
    // JSON paths and slices
    [InlineData("SELECT children[0]->first FROM demo", "demo", "")]
    [InlineData("SELECT children->first[2]->test FROM demo", "demo", "")]
    [InlineData("SELECT demo.children.first->test FROM demo", "demo", "")]
    [InlineData("SELECT children[:] FROM demo", "demo", "")]
    [InlineData("SELECT children[-1] FROM demo", "demo", "")]
    [InlineData("SELECT children[-2:-1] FROM demo", "demo", "")]
    [InlineData("SELECT demo.* FROM demo", "demo", "")]
    [InlineData("SELECT lower(demo.children[2:]->first) AS c FROM demo", "demo", "lower")]
    [InlineData("SELECT children[:1] FROM demo WHERE abc[0] IN demo.children[2:]->first", "demo", "")]
    [InlineData("SELECT collect(*)[0]->name FROM demo GROUP BY COUNTWINDOW(2)", "demo", "collect,countwindow")]
    // Joins
    [InlineData("SELECT * FROM topic/sensor1 LEFT JOIN topic1 ON f=k", "topic/sensor1; Left topic1", "")]
    [InlineData("SELECT * FROM topic/sensor1 AS t1 INNER JOIN topic1 AS t2 ON f=k", "topic/sensor1 AS t1; Inner topic1 AS t2", "")]
    [InlineData("SELECT t1.name FROM topic/sensor1 AS t1 RIGHT JOIN topic1/sensor2 AS t2 ON t1.f=t2.k", "topic/sensor1 AS t1; Right topic1/sensor2 AS t2", "")]
    [InlineData("SELECT t1.name FROM topic/sensor1 AS t1 FULL JOIN topic1/sensor2 AS t2 ON t1.f=t2.k", "topic/sensor1 AS t1; Full topic1/sensor2 AS t2", "")]
    [InlineData("SELECT t1.name FROM topic/sensor1 AS t1 CROSS JOIN topic1/sensor2 AS t2", "topic/sensor1 AS t1; Cross topic1/sensor2 AS t2", "")]
    [InlineData("SELECT demo.*, demo2.* FROM demo LEFT JOIN demo2 on demo.f1 = demo2.f2", "demo; Left demo2", "")]
    [InlineData("SELECT * FROM demo AS d LEFT JOIN table1 AS t ON d.id = lower(t.id) INNER JOIN table2 ON d.id = table2.id", "demo AS d; Left table1 AS t; Inner table2", "lower")]
    [InlineData("SELECT id1, count(*) FROM src1 INNER JOIN src2 ON src1.id1 = src2.id2 GROUP BY src1.id1, TUMBLINGWINDOW(ss, 10) HAVING avg(temp) > 20 ORDER BY max(temp) DESC LIMIT 10", "src1; Inner src2", "count,tumblingwindow,avg,max")]
    public void ValidStatement(string sql, string sources, string functions)
    {
        var analysis = SelectAnalyzer.Analyze(sql);

        Assert.Null(analysis.Error);
        Assert.True(analysis.IsSelect);
        Assert.Null(analysis.RuleError);
        Assert.Equal(sources, string.Join("; ", analysis.Sources.Select(Describe)));
        Assert.Equal(functions, string.Join(",", analysis.Functions));
    }

    private static string Describe(SqlSource s) =>
        (s.JoinType is { } j ? j + " " : "") + s.Name + (s.Alias is { } a ? " AS " + a : "");

    [Fact]
    public void Source_record_carries_alias_and_join_type()
    {
        var analysis = SelectAnalyzer.Analyze("SELECT * FROM demo AS d LEFT JOIN tbl ON d.a = tbl.a");

        Assert.Equal(
            [new SqlSource("demo", "d", null), new SqlSource("tbl", null, SqlJoinType.Left)],
            analysis.Sources);
    }

    [Fact]
    public void Lone_surrogate_in_a_source_name_reads_as_the_DDL_parser_reads_it()
    {
        // Both read it as U+FFFD, as Go would, so a rule names the stream the DDL created.
        var name = "`s" + (char)0xD800 + "`";
        var stream = StreamStatementParser.Parse($"CREATE STREAM {name} () WITH (DATASOURCE=\"t\")");
        var analysis = SelectAnalyzer.Analyze($"SELECT * FROM {name}");

        Assert.Equal("s\ufffd", stream.Definition?.Name);
        Assert.Equal([new SqlSource("s\ufffd", null, null)], analysis.Sources);
    }

    [Fact]
    public void Missing_source_name_is_accepted_as_empty()
    {
        // eKuiper's parser does not require a name after FROM; the source is then "".
        var analysis = SelectAnalyzer.Analyze("SELECT * FROM");

        Assert.Null(analysis.Error);
        Assert.Equal([new SqlSource("", null, null)], analysis.Sources);
    }

    [Fact]
    public void Source_segments_after_an_alias_are_concatenated()
    {
        // eKuiper keeps reading name segments after "AS alias".
        var analysis = SelectAnalyzer.Analyze("SELECT * FROM demo AS d e");

        Assert.Equal([new SqlSource("demoe", "d", null)], analysis.Sources);
    }

    [Theory]
    [InlineData("SHOW STREAMS")]
    [InlineData("show tables;")]
    [InlineData("DESCRIBE STREAM demo")]
    [InlineData("EXPLAIN TABLE demo1")]
    [InlineData("DROP STREAM demo1")]
    [InlineData("CREATE STREAM demo () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("UPDATE demo SET a = 1")]
    [InlineData("(SELECT a FROM demo)")]
    [InlineData("SELECTname FROM tbl")]
    public void Not_a_select_statement(string sql)
    {
        var analysis = SelectAnalyzer.Analyze(sql);

        Assert.Null(analysis.Error);
        Assert.False(analysis.IsSelect);
        Assert.Empty(analysis.Sources);
        Assert.Empty(analysis.Functions);
        Assert.Equal($"SQL {sql} is not a select statement.", analysis.RuleError);
    }

    [Theory]
    [InlineData("*abc")]
    [InlineData("a{2}%")]
    [InlineData("a{,3}")]
    [InlineData("%(x|y)%")]
    [InlineData("[a-z]%")]
    [InlineData("[]a]")]
    [InlineData("[^[:alpha:]]_")]
    [InlineData("(?i)abc")]
    [InlineData("(?P<n>a)(?<m>b)(?:c)")]
    [InlineData("a\\\\%b\\\\_")]
    [InlineData("%?")]
    public void LikePatternGoAccepts(string pattern)
    {
        var analysis = SelectAnalyzer.Analyze($"SELECT a FROM demo WHERE a LIKE \"{pattern}\"");

        Assert.Null(analysis.Error);
    }

    [Fact]
    public void External_functions_are_resolved_case_sensitively()
    {
        var options = new SqlAnalyzerOptions
        {
            ResolveExternalFunction = name => name == "labelImage" ? SqlFunctionType.Scalar : null,
        };

        var ok = SelectAnalyzer.Analyze("SELECT labelImage(self) FROM tbl", options);
        var missing = SelectAnalyzer.Analyze("SELECT LabelImage(self) FROM tbl", options);

        Assert.Equal(["labelImage"], ok.Functions);
        Assert.Equal("function LabelImage not found", missing.Error);
    }

    [Fact]
    public void External_aggregate_is_rejected_in_group_by()
    {
        var options = new SqlAnalyzerOptions { ResolveExternalFunction = _ => SqlFunctionType.Aggregate };

        var analysis = SelectAnalyzer.Analyze("SELECT a FROM demo GROUP BY myAgg(a)", options);

        Assert.Equal("Not allowed to call aggregate functions in GROUP BY clause: Call:{ name:myAgg, args:[$$default.a] }.", analysis.Error);
    }
}
