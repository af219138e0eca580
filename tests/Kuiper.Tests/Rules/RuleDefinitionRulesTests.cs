using Kuiper.Domain.Rules;

using Kuiper.Messages.Partitions;

namespace Kuiper.Tests.Rules;

public sealed class RuleDefinitionRulesTests
{
    private readonly RuleDefinitionRules _rules = new();

    [Theory]
    [InlineData("r1", "selectabc", "Parse rule selectabc error : invalid character 's' looking for beginning of value.")]
    [InlineData("r1", """{"id":"r2","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""", "RuleId is not consistent with rule id.")]
    [InlineData("", """{"sql":"SELECT * FROM demo","actions":[{"log":{}}]}""", "Missing rule id.")]
    [InlineData("r1", """{"id":"r1","actions":[{"log":{}}]}""", "Rule r1 has neither sql nor graph.")]
    [InlineData("r1", """{"id":"r1","sql":"SELECT 1","graph":{},"actions":[{"log":{}}]}""", "Rule r1 has both sql and graph.")]
    [InlineData("r1", """{"id":"r1","sql":"SELECT * FROM demo","actions":[]}""", "Missing rule actions.")]
    [InlineData("r1", """{"id":"r1","sql":"SELECT * FROM demo"}""", "Missing rule actions.")]
    public void Invalid_rules_are_refused_with_the_reference_texts(string key, string json, string expected) =>
        Assert.Equal(expected, _rules.Validate(key, json, null, ValidationContext.None).Error);

    [Fact]
    public void Valid_rule_is_stored_verbatim_and_id_defaults_to_the_key()
    {
        const string json = """{"SQL": "SELECT * FROM demo",  "actions": [{  "log": {}}]}""";

        Assert.Equal(json, _rules.Validate("rule1", json, null, ValidationContext.None).Stored);
    }
}

public sealed class RuleUpsertSourceTests
{
    private readonly RuleDefinitionRules _rules = new();

    [Theory]
    [InlineData("""{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""", null)]
    [InlineData("""{"id":"r1","sql":"SELECT * FROM demo INNER JOIN t1 ON demo.id = t1.id","actions":[{"log":{}}]}""", null)]
    [InlineData("""{"id":"r1","sql":"SELECT * FROM nope","actions":[{"log":{}}]}""", "fail to get stream nope, please check if stream is created")]
    [InlineData("""{"id":"r1","sql":"SELECT * FROM demo LEFT JOIN missing ON demo.id = missing.id","actions":[{"log":{}}]}""", "fail to get stream missing, please check if stream is created")]
    public void An_upserted_rule_must_read_known_streams_and_tables(string json, string? expected) =>
        Assert.Equal(expected, _rules.Validate("r1", json, null, new ValidationContext(["demo", "t1"])).Error);

    [Fact]
    public void A_full_import_does_not_check_the_streams() =>
        Assert.Null(_rules.Validate("r1", """{"id":"r1","sql":"SELECT * FROM nope","actions":[{"log":{}}]}""", null, ValidationContext.None).Error);

    [Theory]
    [InlineData("SELEC * FROM demo", "SQL SELEC * FROM demo is not a select statement.")]
    [InlineData("SELECT * FROM demo WHERE", "Parse SQL SELECT * FROM demo WHERE error: found \"EOF\", expected expression..")]
    public void Rule_sql_is_parsed_like_eKuiper(string sql, string expected) =>
        Assert.Equal(expected, _rules.Validate("r1", $$$"""{"id":"r1","sql":"{{{sql.Replace("\"", "\\\"")}}}","actions":[{"log":{}}]}""", null, ValidationContext.None).Error);
}
