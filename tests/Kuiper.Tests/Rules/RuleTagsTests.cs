using System.Text;
using Kuiper.Domain.Rules;
using Xunit;

namespace Kuiper.Tests.Rules;

/// <summary>eKuiper's rule_tag.go: the request body, the stored rule's rewrite, and IsTagsMatch.</summary>
public sealed class RuleTagsTests
{
    private static (RuleTagRequest? Request, string? Error) Decode(string body) => RuleTags.Decode(Encoding.UTF8.GetBytes(body));

    [Theory]
    [InlineData("", "EOF")]
    [InlineData("{\"tags\":", "unexpected EOF")]
    [InlineData("[]", "json: cannot unmarshal array into Go value of type server.RuleTagRequest")]
    [InlineData("{\"tags\":\"a\"}", "json: cannot unmarshal string into Go struct field RuleTagRequest.tags of type []string")]
    [InlineData("{\"tags\":[\"a\",1]}", "json: cannot unmarshal number into Go struct field RuleTagRequest.tags of type string")]
    public void A_bad_body_gets_Go_s_decoder_text(string body, string error) => Assert.Equal(error, Decode(body).Error);

    [Fact]
    public void The_body_is_read_as_Go_reads_it()
    {
        Assert.Equal(["a", ""], Decode("{\"TAGS\":[\"a\",null]} trailing").Request!.Tags!);
        Assert.Null(Decode("{\"tags\":null}").Request!.Tags);
        Assert.Empty(Decode("{}").Request!.Tags!);
        Assert.True(Decode("null").Request!.IsNull);
    }

    [Fact]
    public void Put_replaces_the_tags_and_rewrites_the_rule_as_a_Go_map()
    {
        var (json, error) = RuleTags.Replace("""{"id":"r","sql":"SELECT * FROM demo","options":{"qos":1,"bufferLength":1E3},"actions":[{"log":{}}],"tags":["x"]}""", ["a", "b"]);
        Assert.Null(error);
        Assert.Equal("""{"actions":[{"log":{}}],"id":"r","options":{"bufferLength":1000,"qos":1},"sql":"SELECT * FROM demo","tags":["a","b"]}""", json);
        Assert.Equal("""{"id":"r","tags":null}""", RuleTags.Replace("""{"id":"r"}""", null).Json);
    }

    [Fact]
    public void Patch_appends_the_missing_tags_and_delete_removes_them()
    {
        Assert.Equal("""{"id":"r","tags":["a","b","c","c"]}""", RuleTags.Update("""{"id":"r","tags":["a","b"]}""", ["b", "c", "c"], add: true).Json);
        Assert.Equal("""{"id":"r","tags":["b"]}""", RuleTags.Update("""{"id":"r","tags":["a","b","a"]}""", ["a"], add: false).Json);
        Assert.Equal("""{"id":"r","tags":[]}""", RuleTags.Update("""{"id":"r"}""", ["a"], add: false).Json);
        Assert.Equal("""{"id":"r","tags":["a"]}""", RuleTags.Update("""{"id":"r"}""", ["a"], add: true).Json);
        // Stored tags that are not an array are left alone, the rule is still rewritten.
        Assert.Equal("""{"id":"r","tags":null}""", RuleTags.Update("""{"tags":null, "id":"r"}""", ["a"], add: true).Json);
    }

    [Fact]
    public void A_rule_matches_when_it_carries_every_requested_tag()
    {
        Assert.True(RuleTags.Matches(["a", "b"], ["b", "a"]));
        Assert.True(RuleTags.Matches([], []));
        Assert.True(RuleTags.Matches(["a"], null));
        Assert.False(RuleTags.Matches(["a"], ["a", "b"]));
        Assert.False(RuleTags.Matches(["a", "c"], ["b"]));
    }

    [Fact]
    public void Triggered_is_set_through_the_same_map_rewrite()
    {
        Assert.Equal("""{"a":{"y":2,"z":1},"id":"r","triggered":false}""", RuleJsonMap.SetTriggered("""{"id":"r","triggered":true,"a":{"z":1,"y":2}}""", false).Json);
        Assert.Equal("json: cannot unmarshal number 1e400 into Go value of type float64", RuleJsonMap.SetTriggered("""{"n":1e400}""", true).Error);
    }
}

/// <summary>eKuiper's <c>RuleRegistry.ValidateRule</c> behind <c>POST /rules/validate</c>.</summary>
public sealed class RuleCheckTests
{
    private static readonly HashSet<string> Stored = ["demo", "T110"];

    [Fact]
    public void A_valid_rule_lists_its_sources_in_order_repeats_kept()
    {
        var outcome = RuleCheck.Validate("""{"id":"r","sql":"SELECT * FROM demo INNER JOIN T110 ON demo.a = T110.a","actions":[{"log":{}}]}""", Stored.Contains);
        Assert.Null(outcome.Error);
        Assert.Equal("""{"sources":["demo","T110"],"valid":true}""", outcome.ToJson());
    }

    [Theory]
    [InlineData("""{"sql":"SELECT * FROM demo","actions":[{"log":{}}]}""", "invalid rule json: Missing rule id.")]
    [InlineData("""{"id":"a b","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""", "invalid rule json: id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    [InlineData("""{"id":"r","sql":"SELECT * FROM demo"}""", "invalid rule json: Missing rule actions.")]
    [InlineData("""{"id":"r","sql":"SELECT * FROM nope","actions":[{"log":{}}]}""", "nope is not found")]
    [InlineData("""{"id":"r","sql":"SELECT * FROM demo LEFT JOIN other ON demo.a = other.a","actions":[{"log":{}}]}""", "other is not found")]
    public void An_invalid_rule_gets_eKuiper_s_text(string rule, string error) => Assert.Equal(error, RuleCheck.Validate(rule, Stored.Contains).Error);

    [Fact]
    public void A_graph_rule_names_its_source_nodes()
    {
        const string graph = """{"id":"g","graph":{"nodes":{"abc":{"type":"source","nodeType":"mqtt","props":{"datasource":"x"}},"log":{"type":"sink","nodeType":"log","props":{}}},"topo":{"sources":["abc"],"edges":{"abc":["log"]}}}}""";
        Assert.Equal("""{"sources":["source_abc"],"valid":true}""", RuleCheck.Validate(graph, Stored.Contains).ToJson());
    }
}
