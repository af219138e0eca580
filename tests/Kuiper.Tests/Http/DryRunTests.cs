using System.Net;
using System.Text.Json.Nodes;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Rules.Validation;
using Kuiper.Tests.Streams;

namespace Kuiper.Tests.Http;

/// <summary><c>?dryRun=1</c> (ours): every check the import would make, nothing changed, and a plan of what would change.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class DryRunTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<string> ResetToSeedAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        return (await Client.GetReplyAsync("/data/import/status")).Body;
    }

    /// <summary>The reply without what only a dry run adds: the body the real import must give.</summary>
    private static string WithoutPlan(Reply reply)
    {
        var body = JsonNode.Parse(reply.Body)!.AsObject();
        body.Remove("plan");
        body.Remove("Plan");
        body.Remove("DryRun");
        return body.ToJsonString();
    }

    [Fact]
    public async Task A_dry_run_changes_nothing_and_says_what_would_change()
    {
        var status = await ResetToSeedAsync();
        var bundle = JsonNode.Parse(SeedBundle.Json)!.AsObject();
        bundle["streams"]!["fresh"] = "CREATE STREAM fresh () WITH (TYPE=\"memory\")";
        bundle["rules"]!["rule1"] = """{"id":"rule1","sql":"SELECT a FROM demo","actions":[{"log":{}}]}""";
        bundle["rules"]!.AsObject().Remove("rule2");

        var reply = await Client.ImportAsync(bundle.ToJsonString(), "?dryRun=1");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var plan = JsonNode.Parse(reply.Body)!["Plan"]!;
        Assert.Equal("""{"added":["fresh"],"changed":[],"removed":[],"unchanged":["demo"]}""", plan["streams"]!.ToJsonString());
        Assert.Equal("""{"added":[],"changed":["rule1"],"removed":["rule2"],"unchanged":[]}""", plan["rules"]!.ToJsonString());
        Assert.Equal("""{"added":[],"changed":[],"removed":[],"unchanged":["T110"]}""", plan["tables"]!.ToJsonString());
        Assert.StartsWith("""{"ErrorMsg":"","ConfigResponse":{"streams":{},""", reply.Body);
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
        Assert.Equal(status, (await Client.GetReplyAsync("/data/import/status")).Body);
    }

    [Fact]
    public async Task A_failing_dry_run_answers_the_envelope_with_the_plan_and_changes_nothing()
    {
        await ResetToSeedAsync();

        var reply = await Client.ImportAsync("""{"streams":{"broken":"CREATE STREAM broken ("}}""", "?partial=1&dryRun=1");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var body = JsonNode.Parse(reply.Body)!;
        Assert.Equal(1000, body["error"]!.GetValue<int>());
        Assert.NotNull(JsonNode.Parse(body["message"]!.GetValue<string>())!["streams"]!["broken"]);
        Assert.Equal("""{"added":[],"changed":[],"removed":[],"unchanged":[]}""", body["plan"]!["streams"]!.ToJsonString());
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
    }

    /// <summary>
    /// The conformance corpus (every DDL statement and rule text whose eKuiper answer is recorded in the tests) as one
    /// bundle, with names made unique: for both import modes the dry run's reply is the real import's reply.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("?partial=1")]
    public async Task Over_the_conformance_corpus_a_dry_run_answers_exactly_what_the_import_answers(string mode)
    {
        var streams = new JsonObject();
        var i = 0;
        foreach (var row in ReferenceParserCorpus.Cases) streams[$"demo{i++}"] = (string)row[0];
        var rules = new JsonObject();
        i = 0;
        foreach (var row in RuleValidatorGoCases.Cases)
        {
            var (name, text) = ((string)row[0], (string)row[1]);
            var unique = $"{name}{i++}";
            rules[unique] = text.Replace($"\"id\":\"{name}\"", $"\"id\":\"{unique}\"");
        }
        var seed = JsonNode.Parse(SeedBundle.Json)!.AsObject();
        var bundle = new JsonObject { ["streams"] = streams, ["rules"] = rules, ["sourceConfig"] = seed["sourceConfig"]!.DeepClone() }.ToJsonString();

        await ResetToSeedAsync();
        var dry = await Client.ImportAsync(bundle, mode + (mode.Length == 0 ? "?" : "&") + "dryRun=1");
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
        var real = await Client.ImportAsync(bundle, mode);

        Assert.Equal(real.Status, dry.Status);
        Assert.Equal(WithoutPlan(real), WithoutPlan(dry));
        Assert.Equal(HttpStatusCode.BadRequest, real.Status);
    }
}
