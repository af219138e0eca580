using System.Text;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Bundles;

public sealed class BundleCodecTests
{
    [Fact]
    public void Top_level_keys_match_case_insensitively_and_unknown_keys_are_ignored()
    {
        var (bundle, error) = BundleCodec.Parse("""{"Streams":{"a":"x"},"SERVICE":{"s":"y"},"schema":{"k":"z"},"whatever":1}""");

        Assert.Null(error);
        Assert.NotNull(bundle);
        Assert.Equal("x", bundle.Streams()["a"]);
        Assert.Equal("y", bundle[ResourceKind.Service]["s"]);
        Assert.Equal("z", bundle[ResourceKind.Schema]["k"]);
    }

    [Fact]
    public void Map_keys_are_exact_null_values_become_empty_and_repeated_sections_merge()
    {
        var (bundle, error) = BundleCodec.Parse("""{"rules":{"R":"1","r":null},"RULES":{"x":"2"}}""");

        Assert.Null(error);
        Assert.Equal(new Dictionary<string, string> { ["R"] = "1", ["r"] = "", ["x"] = "2" }, bundle![ResourceKind.Rules]);
    }

    [Theory]
    [InlineData("", "unexpected end of JSON input")]
    [InlineData("{\"streams\":", "unexpected end of JSON input")]
    [InlineData("{INvalid\"streams\"}", "invalid character 'I' looking for beginning of object key string")]
    [InlineData("notjson", "invalid character 'o' in literal null (expecting 'u')")]
    [InlineData("{\"streams\":{\"a\":true}}", "json: cannot unmarshal bool into Go struct field Configuration.streams of type string")]
    [InlineData("{\"Service\":\"x\"}", "json: cannot unmarshal string into Go struct field Configuration.Service of type map[string]string")]
    [InlineData("{\"streams\":{\"a\":1},\"rules\":[]}", "json: cannot unmarshal number into Go struct field Configuration.streams of type string")]
    [InlineData("\"bundle\"", "json: cannot unmarshal string into Go value of type server.Configuration")]
    public void Malformed_bundles_give_Go_texts(string json, string expected)
    {
        var (bundle, error) = BundleCodec.Parse(json);

        Assert.Null(bundle);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Null_bundle_and_null_sections_are_empty()
    {
        Assert.Equal(0, BundleCodec.Parse("null").Bundle!.Count);
        Assert.Equal(0, BundleCodec.Parse("""{"streams":null}""").Bundle!.Count);
    }

    [Fact]
    public void Written_bundle_has_all_twelve_keys_in_export_order_sorted_compact_and_html_safe()
    {
        var bundle = new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Scripts] = new Dictionary<string, string> { ["b"] = "x<y>&z", ["a"] = "é\n" },
            [ResourceKind.Streams] = new Dictionary<string, string> { ["Z"] = "1", ["A"] = "2", ["a"] = "3" },
        });

        Assert.Equal(
            """{"streams":{"A":"2","Z":"1","a":"3"},"tables":{},"rules":{},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{},"sinkConfig":{},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{"a":"é\n","b":"x\u003cy\u003e\u0026z"}}""",
            Encoding.UTF8.GetString(BundleCodec.Write(bundle)));
    }

    [Fact]
    public void Ruleset_reads_only_streams_tables_and_rules_and_names_processor_Ruleset_in_errors()
    {
        var (bundle, error) = BundleCodec.Parse("""{"Streams":{"a":"x"},"sourceConfig":{"mqtt":"{}"},"RULES":{"r":"y"}}"""u8.ToArray(), BundleShape.Ruleset);

        Assert.Null(error);
        Assert.Equal(2, bundle!.Count);
        Assert.Empty(bundle[ResourceKind.SourceConfig]);
        Assert.Equal("json: cannot unmarshal number into Go struct field Ruleset.tables of type string",
            BundleCodec.Parse("""{"tables":{"t":1}}"""u8.ToArray(), BundleShape.Ruleset).Error);
        Assert.Equal("json: cannot unmarshal bool into Go value of type processor.Ruleset",
            BundleCodec.Parse("true"u8.ToArray(), BundleShape.Ruleset).Error);
        // eKuiper's Ruleset has no other field: a wrong type elsewhere is no error.
        Assert.Null(BundleCodec.Parse("""{"Service":1}"""u8.ToArray(), BundleShape.Ruleset).Error);
    }

    [Fact]
    public void Written_ruleset_has_the_three_keys_in_order()
    {
        var bundle = new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Rules] = new Dictionary<string, string> { ["r"] = "{}" },
            [ResourceKind.SinkConfig] = new Dictionary<string, string> { ["mqtt"] = "{}" },
        });

        Assert.Equal("""{"streams":{},"tables":{},"rules":{"r":"{}"}}""", Encoding.UTF8.GetString(BundleCodec.Write(bundle, BundleShape.Ruleset)));
    }
}

internal static class BundleAccess
{
    public static IReadOnlyDictionary<string, string> Streams(this Bundle bundle) => bundle[ResourceKind.Streams];
}
