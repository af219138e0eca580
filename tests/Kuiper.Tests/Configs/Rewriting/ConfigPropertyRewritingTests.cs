using System.Text.Json;
using Kuiper.Domain.Configs.Rewriting;

namespace Kuiper.Tests.Configs.Rewriting;

public class ConfigPropertyRewritingTests
{
    public static TheoryData<string, string, bool, string> GoCases => ConfigPropertyGoCases.Cases;

    [Theory]
    [MemberData(nameof(GoCases))]
    public void Rewrites_what_eKuiper_rewrites(string plugin, string props, bool replaced, string expected)
    {
        using var document = JsonDocument.Parse(props);
        Assert.Equal(replaced, ConfigPropertyRewriting.TryRewrite(plugin, document.RootElement, out var rewritten));
        Assert.Equal(expected, rewritten.GetRawText());
        Assert.Equal(expected, ConfigPropertyRewriting.Rewrite(plugin, document.RootElement).GetRawText());
        Assert.Equal(expected, ConfigPropertyRewriting.Rewrite(plugin, props));
    }

    // eKuiper's internal/meta TestReplaceConfigurations.
    [Theory]
    [InlineData("sql", "{\"url\":\"123\"}", "{\"dburl\":\"123\"}")]
    [InlineData("kafka", "{\"saslPassword\":\"123\"}", "{\"password\":\"123\"}")]
    [InlineData("mqtt", "{\"url\":\"123\"}", "{\"url\":\"123\"}")]
    public void Replaces_configurations_as_eKuiper_TestReplaceConfigurations(string plugin, string props, string expected) =>
        Assert.Equal(expected, ConfigPropertyRewriting.Rewrite(plugin, props));

    [Theory]
    [InlineData("1000", "\"1s\"")]
    [InlineData("1500", "\"1.5s\"")]
    [InlineData("0", "\"0s\"")]
    [InlineData("90000", "\"1m30s\"")]
    [InlineData("\"1500\"", "\"1.5s\"")]
    [InlineData("1", "\"1ms\"")]
    [InlineData("3600000", "\"1h0m0s\"")]
    [InlineData("5400000", "\"1h30m0s\"")]
    [InlineData("100", "\"100ms\"")]
    [InlineData("\"10s\"", "\"10s\"")]
    public void Milliseconds_become_Go_durations(string value, string expected)
    {
        foreach (var key in new[] { "cacheTtl", "timeout", "expiration", "interval" })
            Assert.Equal("{\"" + key + "\":" + expected + "}", ConfigPropertyRewriting.Rewrite("memory", "{\"" + key + "\":" + value + "}"));
    }

    [Fact]
    public void Other_keys_are_left_alone() =>
        Assert.Equal("{\"bufferLength\":1000,\"retryInterval\":1000}",
            ConfigPropertyRewriting.Rewrite("mqtt", "{\"retryInterval\":1000,\"bufferLength\":1000}"));

    [Fact]
    public void Non_objects_come_back_unchanged()
    {
        using var document = JsonDocument.Parse("[1]");
        Assert.False(ConfigPropertyRewriting.TryRewrite("sql", document.RootElement, out var same));
        Assert.Equal("[1]", same.GetRawText());
        Assert.Equal("not json", ConfigPropertyRewriting.Rewrite("sql", "not json"));
    }
}
