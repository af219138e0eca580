using System.Net;
using System.Text.Json.Nodes;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary><c>?atomic=1</c> (docs/decisions.md#atomic-and-dry-run): all or nothing on request; without it, eKuiper's keep-what-validates stays.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class AtomicImportTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string EmptyExport =
        """{"streams":{},"tables":{},"rules":{},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{},"sinkConfig":{},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""";

    private HttpClient Client => fixture.Client;

    /// <summary>The seed bundle with one more item of the given kind.</summary>
    private static string SeedWith(string kind, string name, string definition)
    {
        var bundle = JsonNode.Parse(SeedBundle.Json)!.AsObject();
        (bundle[kind] ??= new JsonObject()).AsObject()[name] = definition;
        return bundle.ToJsonString();
    }

    private static string Rule(string id, string source) =>
        "{\"id\":\"" + id + "\",\"sql\":\"SELECT * FROM " + source + "\",\"actions\":[{\"log\":{}}]}";

    /// <summary>A bundle of one stream and one rule (the rule's JSON as a string value, as bundles carry it).</summary>
    private static string StreamAndRule(string stream, string statement, string rule, string ruleJson) =>
        new JsonObject
        {
            ["streams"] = new JsonObject { [stream] = statement },
            ["rules"] = new JsonObject { [rule] = ruleJson },
        }.ToJsonString();

    /// <summary>The per-kind error map that a partial failure carries as the envelope's message.</summary>
    private static JsonObject ErrorsOf(Reply reply) =>
        JsonNode.Parse(JsonNode.Parse(reply.Body)!["message"]!.GetValue<string>())!.AsObject();

    private async Task ResetToSeedAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
    }

    [Fact]
    public async Task An_atomic_full_import_with_one_bad_item_changes_nothing_and_answers_what_the_plain_import_answers()
    {
        await ResetToSeedAsync();
        var bundle = JsonNode.Parse(SeedWith("rules", "bad", Rule("other", "demo")))!.AsObject();
        bundle["streams"]!["extra"] = "CREATE STREAM extra () WITH (TYPE=\"memory\")";
        var bundleJson = bundle.ToJsonString();

        var atomic = await Client.ImportAsync(bundleJson, "?atomic=1");

        Assert.Equal(HttpStatusCode.BadRequest, atomic.Status);
        Assert.Equal("RuleId is not consistent with rule id.", ErrorsOf(atomic)["rules"]!["bad"]!.GetValue<string>());
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
        Assert.Contains("\"bad\":\"RuleId is not consistent with rule id.\"",
            (await Client.GetReplyAsync("/data/import/status")).Body);

        // The same bundle without atomic: eKuiper's semantics, the same errors, the valid items applied.
        var plain = await Client.ImportAsync(bundleJson);
        Assert.Equal(atomic.Body, plain.Body);
        Assert.Contains("\"extra\":", await Client.ExportAsync());
    }

    [Fact]
    public async Task An_atomic_partial_import_whose_rule_reads_a_stream_of_the_same_bundle_is_applied()
    {
        await ResetToSeedAsync();
        var bundle = StreamAndRule("fresh", "CREATE STREAM fresh () WITH (TYPE=\"memory\", FORMAT=\"json\")", "r_fresh", Rule("r_fresh", "fresh"));

        var reply = await Client.ImportAsync(bundle, "?partial=1&atomic=1");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var export = await Client.ExportAsync();
        Assert.Contains("\"fresh\":\"CREATE STREAM fresh", export);
        Assert.Contains("\"r_fresh\":", export);
        Assert.Contains("\"demo\":", export);
    }

    [Fact]
    public async Task An_atomic_partial_import_with_a_rule_reading_a_missing_stream_stores_nothing()
    {
        await ResetToSeedAsync();
        var bundle = StreamAndRule("kept_out", "CREATE STREAM kept_out () WITH (TYPE=\"memory\")", "r_missing", Rule("r_missing", "nowhere"));

        var atomic = await Client.ImportAsync(bundle, "?partial=1&atomic=1");

        Assert.Equal(HttpStatusCode.BadRequest, atomic.Status);
        var errors = ErrorsOf(atomic);
        Assert.NotNull(errors["rules"]!["r_missing"]);
        Assert.Empty(errors["streams"]!.AsObject());
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());

        var plain = await Client.ImportAsync(bundle, "?partial=1");
        Assert.Equal(atomic.Body, plain.Body);
        Assert.Contains("\"kept_out\":", await Client.ExportAsync());
    }

    [Fact]
    public async Task Without_atomic_a_full_import_of_only_invalid_items_leaves_an_empty_configuration()
    {
        await ResetToSeedAsync();

        var reply = await Client.ImportAsync("""{"streams":{"broken":"CREATE STREAM broken ("},"rules":{"r":"{\"id\":\"x\"}"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(EmptyExport, await Client.ExportAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?atomic=1")]
    public async Task A_malformed_envelope_changes_nothing_with_or_without_atomic(string query)
    {
        await ResetToSeedAsync();

        var reply = await Client.ImportAsync("""{"streams":["not","a","map"]}""", query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith("{\"error\":1000,\"message\":\"configuration unmarshal with error ", reply.Body);
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
    }
}
