using Kuiper.Domain.Rules.Validation;

namespace Kuiper.Tests.Rules.Validation;

public class RuleJsonRewritingTests
{
    public static TheoryData<string, string> GoCases => RuleJsonRewritingGoCases.Cases;

    [Theory]
    [MemberData(nameof(GoCases))]
    public void Rewrites_what_eKuiper_rewrites(string rule, string expected) =>
        Assert.Equal(expected, RuleJsonRewriting.Rewrite(rule));

    // eKuiper's TestReplace (pkg/replace/replace_test.go), first case.
    [Fact]
    public void Sql_action_url_becomes_dburl()
    {
        const string rule = """
            {
              "id": "sql",
              "sql": "SELECT * FROM simulator",
              "actions": [{ "sql": { "fields": ["msgid", "topic"], "url": "mysql://emqx:changeme@mysql:3306/emqx_data", "sendSingle": true } }],
              "options": { "lateTolerance": "1s", "restartStrategy": { "delay": "1s", "jitterFactor": 0.1 } }
            }
            """;
        var got = RuleJsonRewriting.Rewrite(rule);
        Assert.DoesNotContain("\"url\"", got);
        Assert.Contains("\"dburl\"", got);
        Assert.Equal(
            "{\"actions\":[{\"sql\":{\"dburl\":\"mysql://emqx:changeme@mysql:3306/emqx_data\",\"fields\":[\"msgid\",\"topic\"],\"sendSingle\":true}}],\"id\":\"sql\",\"options\":{\"lateTolerance\":\"1s\",\"restartStrategy\":{\"delay\":\"1s\",\"jitterFactor\":0.1}},\"sql\":\"SELECT * FROM simulator\"}",
            got);
    }

    // TestReplace, second and third cases.
    [Fact]
    public void Kafka_saslPassword_becomes_password_and_an_untouched_rule_keeps_its_bytes()
    {
        var got = RuleJsonRewriting.Rewrite("{\n    \"id\": \"sql\",\n    \"actions\": [ { \"kafka\": { \"saslPassword\": \"123\" } } ]\n}");
        Assert.Equal("{\"actions\":[{\"kafka\":{\"password\":\"123\"}}],\"id\":\"sql\"}", got);
        const string untouched = "{\n    \"triggered\": true,\n    \"id\": \"sql\",\n    \"actions\": [ { \"kafka\": { } } ]\n}";
        Assert.Same(untouched, RuleJsonRewriting.Rewrite(untouched));
    }

    [Fact]
    public void Only_the_first_key_of_an_action_is_looked_at()
    {
        const string rule = "{\"actions\":[{\"log\":{},\"kafka\":{\"saslPassword\":\"p\"}}]}";
        Assert.Same(rule, RuleJsonRewriting.Rewrite(rule));
        Assert.Equal("{\"actions\":[{\"kafka\":{\"password\":\"p\"},\"log\":{}}]}",
            RuleJsonRewriting.Rewrite("{\"actions\":[{\"kafka\":{\"saslPassword\":\"p\"},\"log\":{}}]}"));
    }

    [Fact]
    public void Deep_rules_are_rewritten_without_recursion_trouble()
    {
        var deep = new string('[', 9000) + new string(']', 9000);
        var got = RuleJsonRewriting.Rewrite("{\"x\":" + deep + ",\"actions\":[{\"kafka\":{\"timeout\":1}}]}");
        Assert.Equal("{\"actions\":[{\"kafka\":{\"timeout\":\"1ms\"}}],\"x\":" + deep + "}", got);
    }
}
