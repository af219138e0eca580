using Kuiper.Domain.Configs;
using Kuiper.Messages.Resources;

using Kuiper.Messages.Partitions;

namespace Kuiper.Tests.Configs;

public sealed class ConfigRulesTests
{
    private readonly ConfigRules _rules = new(ResourceKind.SourceConfig);

    [Fact]
    public void Stored_form_is_compact_with_sorted_keys_at_every_level()
    {
        var result = _rules.Validate("mqtt", """{ "td": {"server":"tcp://x", "qos": 1, "nested": {"b": 1, "a": [2, 1]}}, "a": {} }""", null, ValidationContext.None);

        Assert.Null(result.Error);
        Assert.Equal("""{"a":{},"td":{"nested":{"a":[2,1],"b":1},"qos":1,"server":"tcp://x"}}""", result.Stored);
    }

    [Fact]
    public void Partial_import_replaces_only_the_conf_keys_it_carries()
    {
        var result = _rules.Validate("mqtt", """{"td":{"qos":2}}""", """{"td":{"qos":1,"server":"a"},"test":{"qos":0}}""", ValidationContext.None);

        Assert.Equal("""{"td":{"qos":2},"test":{"qos":0}}""", result.Stored);
    }

    [Fact]
    public void Null_props_delete_a_conf_key_and_a_plugin_left_empty_is_removed()
    {
        Assert.Equal("""{"test":{"qos":0}}""",
            _rules.Validate("mqtt", """{"td":null}""", """{"td":{"qos":1},"test":{"qos":0}}""", ValidationContext.None).Stored);
        Assert.Equal(Kuiper.Domain.Resources.Validated.Remove,
            _rules.Validate("mqtt", """{"td":null}""", """{"td":{"qos":1}}""", ValidationContext.None));
    }

    [Theory]
    [InlineData("{", "unexpected end of JSON input")]
    [InlineData("[]", "json: cannot unmarshal array into Go value of type map[string]map[string]interface {}")]
    [InlineData("""{"td":1}""", "json: cannot unmarshal number into Go value of type map[string]interface {}")]
    public void Malformed_configs_are_refused_with_Go_texts(string definition, string expected) =>
        Assert.Equal(expected, _rules.Validate("mqtt", definition, null, ValidationContext.None).Error);
}
