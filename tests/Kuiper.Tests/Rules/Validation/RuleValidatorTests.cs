using Kuiper.Domain.Resources;
using Kuiper.Domain.Rules.Validation;

namespace Kuiper.Tests.Rules.Validation;

public class RuleValidatorTests
{
    // Stand-ins for the SELECT parser: "SELEC ..." does not parse, "CREATE ..." parses but is no SELECT.
    private static string? SqlError(string sql) =>
        sql.StartsWith("SELEC ", StringComparison.Ordinal) ? "found \"SELEC\", expected SELECT" : null;

    private static bool IsSelect(string sql) => sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly RuleValidationSettings Utc = new() { TimeZone = TimeZoneInfo.Utc, Clock = () => Now };

    private static (RuleDefinition? Rule, string? Error) Validate(string key, string json, RuleValidationSettings? settings = null) =>
        RuleValidator.Validate(key, json, SqlError, IsSelect, settings ?? Utc);

    public static TheoryData<string, string, string?> GoCases => RuleValidatorGoCases.Cases;

    [Theory]
    [MemberData(nameof(GoCases))]
    public void Answers_what_eKuiper_answers(string key, string json, string? expected)
    {
        var (rule, error) = Validate(key, json);
        Assert.Equal(expected, error);
        Assert.Equal(expected is null, rule is not null);
    }

    [Theory]
    [InlineData(" r", "id ' r' contains leading or trailing whitespace")]
    [InlineData("r\t", "id 'r\t' contains leading or trailing whitespace")]
    [InlineData("r\u00a0", "id 'r\u00a0' contains leading or trailing whitespace")]
    [InlineData("\u3000r", "id '\u3000r' contains leading or trailing whitespace")]
    [InlineData("a.b", "id 'a.b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    [InlineData("a b", "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    [InlineData("é", "id 'é' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    [InlineData("\u0663", "id '\u0663' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    [InlineData("r\u200b", "id 'r\u200b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    public void Ids_must_pass_ValidateID(string id, string expected)
    {
        Assert.Equal(expected, Validate(id, "{\"graph\":{}}").Error);
        Assert.Equal(expected, ResourceId.Check(id));
    }

    [Theory]
    [InlineData("r")]
    [InlineData("Rule_1-a")]
    [InlineData("0")]
    public void Valid_ids(string id)
    {
        Assert.Null(ResourceId.Check(id));
        Assert.Equal(id, Validate(id, "{\"graph\":{}}").Rule!.Id);
    }

    [Fact]
    public void Empty_id_text() => Assert.Equal("id cannot be empty", ResourceId.Check(""));

    [Fact]
    public void Sql_that_does_not_parse()
    {
        var result = RuleValidator.ValidateDetailed("r", "{\"sql\":\"SELEC * FROM demo\",\"actions\":[{\"log\":{}}]}", SqlError, IsSelect, Utc);
        Assert.Equal("Parse SQL SELEC * FROM demo error: found \"SELEC\", expected SELECT.", result.Error);
        Assert.Equal(2001, result.ErrorCode);
    }

    [Fact]
    public void Sql_that_is_not_a_select()
    {
        var result = RuleValidator.ValidateDetailed("r", "{\"sql\":\"CREATE STREAM s () WITH ()\",\"actions\":[{\"log\":{}}]}", SqlError, IsSelect, Utc);
        Assert.Equal("SQL CREATE STREAM s () WITH () is not a select statement.", result.Error);
        Assert.Equal(2001, result.ErrorCode);
    }

    [Fact]
    public void Sql_is_checked_before_actions_and_after_the_graph()
    {
        Assert.Equal("Rule r has both sql and graph.", Validate("r", "{\"sql\":\"SELEC x\",\"graph\":{}}").Error);
        Assert.Equal("Parse SQL SELEC x error: found \"SELEC\", expected SELECT.", Validate("r", "{\"sql\":\"SELEC x\"}").Error);
    }

    [Fact]
    public void Other_errors_carry_no_code() =>
        Assert.Equal(1000, RuleValidator.ValidateDetailed("r", "{}", SqlError, IsSelect, Utc).ErrorCode);

    [Theory]
    [InlineData("null")]
    [InlineData(" null\n")]
    public void Json_null_is_the_panic_eKuiper_would_hit(string json) =>
        Assert.Equal(RuleValidator.NilRulePanic, Validate("r", json).Error);

    [Fact]
    public void Defaults_apply_when_absent()
    {
        var rule = Validate("rule1", "{\"sql\":\"SELECT * FROM demo\",\"actions\":[{\"log\":{}}]}").Rule!;
        Assert.Equal("rule1", rule.Id);
        Assert.True(rule.Triggered);
        Assert.False(rule.Temp);
        Assert.Equal("", rule.Name);
        Assert.Equal("", rule.Version);
        Assert.Null(rule.Graph);
        Assert.Empty(rule.Tags);
        Assert.Equal(RuleOptions.Defaults, rule.Options with { CronDatetimeRange = RuleOptions.Defaults.CronDatetimeRange });
        Assert.Equal(1_000_000_000, rule.Options.LateToleranceNanos);
        Assert.Equal(1, rule.Options.Concurrency);
        Assert.Equal(1024, rule.Options.BufferLength);
        Assert.Equal(300_000_000_000, rule.Options.CheckpointIntervalNanos);
        Assert.Equal(0, rule.Options.RestartAttempts);
    }

    [Fact]
    public void Options_decode_like_the_eKuiper_test_ruleTest2()
    {
        const string json = """
            {
                "id": "ruleTest2",
                "sql": "SELECT * from demo",
                "actions": [
                    { "log": "" },
                    { "sap": { "funcName": "RFC_READ_TABLE", "ashost": "192.168.100.10" } }
                ],
                "options": {
                    "isEventTime": true,
                    "lateTolerance": 1000,
                    "bufferLength": 10240,
                    "qos": 2,
                    "checkpointInterval": "60s"
                }
            }
            """;
        var rule = Validate("ruleTest2", json).Rule!;
        Assert.True(rule.Options.IsEventTime);
        Assert.Equal(1_000_000_000, rule.Options.LateToleranceNanos);
        Assert.Equal(10240, rule.Options.BufferLength);
        Assert.Equal(2, rule.Options.Qos);
        Assert.Equal(60_000_000_000, rule.Options.CheckpointIntervalNanos);
        Assert.Equal(1, rule.Options.Concurrency);
        Assert.Equal(2, rule.ActionCount);
        Assert.Equal(
            [new RuleAction("log", "\"\""), new RuleAction("sap", "{ \"funcName\": \"RFC_READ_TABLE\", \"ashost\": \"192.168.100.10\" }")],
            rule.Actions);
    }

    [Fact]
    public void Restart_attempts_and_triggered_false_like_eKuiper_ruleTest()
    {
        var rule = Validate("ruleTest",
            "{\"id\":\"ruleTest\",\"sql\":\"SELECT * from demo\",\"actions\":[{\"log\":{}}],\"triggered\":false,\"options\":{\"restartStrategy\":{\"attempts\":20}}}").Rule!;
        Assert.False(rule.Triggered);
        Assert.Equal(20, rule.Options.RestartAttempts);
    }

    [Fact]
    public void Missing_id_in_eKuiper_TestRuleValidation() =>
        Assert.Equal("Missing rule id.",
            Validate("", "{\n  \"sql\": \"SELECT * FROM my_stream\",\n  \"actions\": [\n    {\n      \"log\": {\n      }\n    }\n  ]\n}").Error);

    [Fact]
    public void Options_null_takes_the_configured_defaults_whole()
    {
        var configured = RuleOptions.Defaults with { Cron = "0 * * * *", Duration = "10s", SendNilField = true };
        var settings = Utc with { DefaultOptions = configured };
        // "options": null keeps every configured field; an options object starts from a partial clone.
        Assert.Equal("0 * * * *", RuleValidator.Validate("r", "{\"graph\":{},\"options\":null}", SqlError, IsSelect, settings).Rule!.Options.Cron);
        var cloned = RuleValidator.Validate("r", "{\"graph\":{},\"options\":{}}", SqlError, IsSelect, settings).Rule!.Options;
        Assert.Equal("", cloned.Cron);
        Assert.False(cloned.SendNilField);
    }

    [Fact]
    public void Graph_is_kept_as_written()
    {
        const string graph = "{\"nodes\":{\"a\":{\"type\":\"source\",\"nodeType\":\"mqtt\",\"props\":{\"x\":1}}},\"topo\":{\"sources\":[\"a\"],\"edges\":{\"a\":[]}}}";
        var rule = Validate("r", "{\"graph\": " + graph + " }").Rule!;
        Assert.Equal(graph, rule.Graph);
        Assert.Empty(rule.Actions);
    }

    [Fact]
    public void Duplicate_actions_merge_element_by_element_as_Go_slices_do()
    {
        var rule = Validate("r", "{\"sql\":\"SELECT * FROM demo\",\"actions\":[{\"log\":{}}],\"actions\":[{\"mqtt\":{\"a\":1}}],\"tags\":[\"a\",\"b\"],\"tags\":[null]}").Rule!;
        Assert.Equal([new RuleAction("log", "{}"), new RuleAction("mqtt", "{\"a\":1}")], rule.Actions);
        Assert.Equal(1, rule.ActionCount);
        Assert.Equal(["a"], rule.Tags);
    }

    [Fact]
    public void Null_action_counts_as_an_action()
    {
        var rule = Validate("r", "{\"sql\":\"SELECT * FROM demo\",\"actions\":[null]}").Rule!;
        Assert.Equal(1, rule.ActionCount);
        Assert.Empty(rule.Actions);
    }

    [Fact]
    public void Keys_match_case_insensitively_and_the_last_match_wins()
    {
        var rule = Validate("r", "{\"ID\":\"x\",\"Id\":\"r\",\"SQL\":\"SELECT 1\",\"Actions\":[{\"log\":{}}],\"NAME\":\"n\",\"Tags\":[\"t\"]}").Rule!;
        Assert.Equal("SELECT 1", rule.Sql);
        Assert.Equal("n", rule.Name);
        Assert.Equal(["t"], rule.Tags);
    }

    [Fact]
    public void Long_s_and_Kelvin_sign_fold_to_ASCII_like_Go()
    {
        Assert.Equal("SELECT 1", Validate("r", "{\"\u017Fql\":\"SELECT 1\",\"actions\":[{}]}").Rule!.Sql);
        Assert.Equal(7_000_000, Validate("r", "{\"graph\":{},\"options\":{\"chec\u212ApointInterval\":7}}").Rule!.Options.CheckpointIntervalNanos);
    }

    [Fact]
    public void Durations_wrap_like_Go_int64()
    {
        // 9223372036854775 ms is 9.2e18 + 192000 ns past int64: Go wraps to 192µs.
        Assert.Equal(192_000, Validate("r", "{\"graph\":{},\"options\":{\"lateTolerance\":9223372036854775}}").Rule!.Options.LateToleranceNanos);
    }

    [Fact]
    public void Cron_ranges_depend_on_the_configured_zone()
    {
        const string json = "{\"graph\":{},\"options\":{\"cronDatetimeRange\":[{\"begin\":\"2024-01-01 10:00:00\",\"end\":\"2024-01-01T03:00:00Z\"}]}}";
        Assert.Equal("Rule r has invalid options: validate cronDatetimeRange failed, err:begin time shouldn't after end time.", Validate("r", json).Error);
        var shanghai = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");
        var rule = Validate("r", json, Utc with { TimeZone = shanghai }).Rule!;
        Assert.Equal([new RuleDatetimeRange("2024-01-01 10:00:00", "2024-01-01T03:00:00Z", 0, 0)], rule.Options.CronDatetimeRange);
    }

    [Fact]
    public void Cron_ranges_without_a_date_are_today()
    {
        Assert.Null(Validate("r", "{\"graph\":{},\"options\":{\"cronDatetimeRange\":[{\"begin\":\"09:00\",\"end\":\"23:59:59\"}]}}").Error);
        // Only a time: today. Only month and day: this year. 2026-11-25 is before 2026-12-01.
        Assert.Null(Validate("r", "{\"graph\":{},\"options\":{\"cronDatetimeRange\":[{\"begin\":\"10:00\",\"end\":\"12-1\"}]}}").Error);
        Assert.Equal("Rule r has invalid options: validate cronDatetimeRange failed, err:begin time shouldn't after end time.",
            Validate("r", "{\"graph\":{},\"options\":{\"cronDatetimeRange\":[{\"begin\":\"10:00\",\"end\":\"11-1\"}]}}").Error);
    }

    [Fact]
    public void Stored_rules_parse_without_validation()
    {
        var rule = RuleValidator.ParseStored("r", "{\"version\":\"2\",\"options\":{\"concurrency\":-1}}");
        Assert.Equal("2", rule!.Version);
        Assert.Null(RuleValidator.ParseStored("r", "{\"version\":2}"));
    }

    [Fact]
    public void Deep_nesting_inside_props_is_no_problem()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var rule = Validate("r", "{\"sql\":\"SELECT 1\",\"actions\":[{\"log\":{\"x\":" + deep + "}}]}").Rule!;
        Assert.Equal("{\"x\":" + deep + "}", rule.Actions[0].Props);
        Assert.StartsWith("Parse rule", Validate("r", "{\"graph\":{},\"options\":{\"lateTolerance\":" + deep + "}}").Error);
    }
}
