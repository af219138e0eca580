using Kuiper.Domain.Configs;

namespace Kuiper.Tests.Configs;

public sealed class ConfigResourcesTests
{
    private static readonly Dictionary<string, string> Sources = new()
    {
        ["mqtt"] = """{"a":{"qos":1},"b":{"sourceType":"stream"}}""",
        ["httppull"] = """{"w":{"sourceType":"stream","url":"u"}}""",
    };

    [Fact]
    public void Resource_lists_every_source_confKey_by_plugin_in_order() =>
        Assert.Equal("""{"httppull":{"w":{"sourceType":"stream","url":"u"}},"mqtt":{"a":{"qos":1},"b":{"sourceType":"stream"}}}""",
            ConfigResources.SourceResources(Sources, ""));

    [Fact]
    public void Resource_with_a_sourceType_keeps_the_confKeys_that_say_it() =>
        Assert.Equal("""{"httppull":{"w":{"sourceType":"stream","url":"u"}},"mqtt":{"b":{"sourceType":"stream"}}}""",
            ConfigResources.SourceResources(Sources, "stream"));

    [Fact]
    public void Resources_map_each_confKey_to_its_plugin_and_nothing_to_null()
    {
        Assert.Equal("""{"sinks":[{"r":"kafka"}],"sources":[{"w":"httppull"},{"a":"mqtt","b":"mqtt"}]}""",
            ConfigResources.Resources(Sources, new Dictionary<string, string> { ["kafka"] = """{"r":{}}""" }));
        Assert.Equal("""{"sinks":null,"sources":null}""", ConfigResources.Resources(new Dictionary<string, string>(), new Dictionary<string, string>()));
    }
}
