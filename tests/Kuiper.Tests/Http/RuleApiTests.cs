using System.Net;
using System.Text;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>
/// eKuiper's remaining rule endpoints (tags, validate, bulk start/stop, status/all, v2 status), the stream and table
/// schemas, the ids eKuiper checks, and <c>cpuUsage</c> in <c>GET /</c>, against a node process.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class RuleApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string InvalidId = """{"error":1000,"message":"id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"}""" + "\n";

    private HttpClient Client => fixture.Client;

    private async Task Reset() => Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

    private Task<Reply> Send(HttpMethod method, string path, string? body = null) => Client.SendAsync(method, path, body);

    private async Task<string> Rule(string id) => (await Client.GetReplyAsync($"/rules/{id}")).Body;

    private static void AssertEnvelope(Reply reply, HttpStatusCode status, int code, string message)
    {
        Assert.Equal(status, reply.Status);
        Assert.Equal($"{{\"error\":{code},\"message\":\"{message}\"}}\n", reply.Body);
    }

    [Fact]
    public async Task Tags_are_replaced_added_and_removed_in_the_stored_rule()
    {
        await Reset();

        var put = await Send(HttpMethod.Put, "/rules/rule1/tags", """{"tags":["a","b"]}""");
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("", put.Body);
        // Rewritten as eKuiper rewrites it: through a Go map, keys sorted.
        Assert.Equal("""{"actions":[{"log":{}}],"id":"rule1","sql":"SELECT * FROM demo","tags":["a","b"]}""", await Rule("rule1"));

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Patch, "/rules/rule1/tags", """{"tags":["b","c"]}""")).Status);
        Assert.Equal("""{"actions":[{"log":{}}],"id":"rule1","sql":"SELECT * FROM demo","tags":["a","b","c"]}""", await Rule("rule1"));

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, "/rules/rule1/tags", """{"tags":["a","z"]}""")).Status);
        Assert.Equal("""{"actions":[{"log":{}}],"id":"rule1","sql":"SELECT * FROM demo","tags":["b","c"]}""", await Rule("rule1"));

        Assert.Contains("""{\"actions\":[{\"log\":{}}],\"id\":\"rule1\",\"sql\":\"SELECT * FROM demo\",\"tags\":[\"b\",\"c\"]}""", await Client.ExportAsync());
        Assert.Contains("\"tags\":[\"b\",\"c\"]", (await Client.GetReplyAsync("/rules")).Body);
    }

    [Fact]
    public async Task A_tag_change_on_an_unknown_rule_or_with_a_bad_body_changes_nothing()
    {
        await Reset();
        var before = await Client.ExportAsync();

        AssertEnvelope(await Send(HttpMethod.Put, "/rules/nope/tags", """{"tags":["a"]}"""), HttpStatusCode.NotFound, 1002, "Get rule error: Rule nope is not found.");
        // eKuiper checks no id here: an invalid one is just not found.
        AssertEnvelope(await Send(HttpMethod.Patch, "/rules/a%20b/tags", """{"tags":["a"]}"""), HttpStatusCode.NotFound, 1002, "Get rule error: Rule a b is not found.");
        AssertEnvelope(await Send(HttpMethod.Put, "/rules/rule1/tags"), HttpStatusCode.BadRequest, 1000, "decode body error: EOF");
        AssertEnvelope(await Send(HttpMethod.Put, "/rules/rule1/tags", """{"tags":"a"}"""), HttpStatusCode.BadRequest, 1000,
            "decode body error: json: cannot unmarshal string into Go struct field RuleTagRequest.tags of type []string");
        AssertEnvelope(await Send(HttpMethod.Delete, "/rules/rule1/tags", "[1]"), HttpStatusCode.BadRequest, 1000,
            "decode body error: json: cannot unmarshal array into Go value of type server.RuleTagRequest");

        Assert.Equal(before, await Client.ExportAsync());
    }

    [Fact]
    public async Task Rules_are_matched_by_tags_and_started_or_stopped_in_bulk()
    {
        await Reset();
        await Send(HttpMethod.Put, "/rules/rule1/tags", """{"tags":["edge","prod"]}""");
        await Send(HttpMethod.Put, "/rules/rule2/tags", """{"tags":["edge"]}""");

        var both = await Send(HttpMethod.Get, "/rules/tags/match", """{"tags":["edge"]}""");
        Assert.Equal(HttpStatusCode.OK, both.Status);
        Assert.StartsWith("application/json", both.ContentType);
        Assert.Equal("""{"rules":["rule1","rule2"]}""", both.Body);
        Assert.Equal("""{"rules":["rule1"]}""", (await Send(HttpMethod.Get, "/rules/tags/match", """{"tags":["prod","edge"]}""")).Body);
        Assert.Equal("{}", (await Send(HttpMethod.Get, "/rules/tags/match", """{"tags":["none"]}""")).Body);
        AssertEnvelope(await Send(HttpMethod.Get, "/rules/tags/match"), HttpStatusCode.BadRequest, 1000, "decode body error: EOF");

        var stopped = await Send(HttpMethod.Post, "/rules/bulkstop", """{"tags":["edge"]}""");
        Assert.Equal(HttpStatusCode.OK, stopped.Status);
        Assert.Equal("""[{"ruleId":"rule1","success":true},{"ruleId":"rule2","success":true}]""", stopped.Body);
        Assert.Equal("""{"status":"stopped","triggered":false}""", (await Client.GetReplyAsync("/rules/rule2/status")).Body);
        Assert.Equal("""{"actions":[{"log":{}}],"id":"rule2","sql":"SELECT * FROM demo","tags":["edge"],"triggered":false}""", await Rule("rule2"));

        Assert.Equal("""[{"ruleId":"rule1","success":true}]""", (await Send(HttpMethod.Post, "/rules/bulkstart", """{"tags":["prod"]}""")).Body);
        Assert.Equal("""{"status":"stopped","triggered":true}""", (await Client.GetReplyAsync("/rules/rule1/status")).Body);
        Assert.Equal("""{"status":"stopped","triggered":false}""", (await Client.GetReplyAsync("/rules/rule2/status")).Body);

        AssertEnvelope(await Send(HttpMethod.Post, "/rules/bulkstart", """{"tags":["none"]}"""), HttpStatusCode.BadRequest, 1000, "bulk start failed: no matching rules");
        AssertEnvelope(await Send(HttpMethod.Post, "/rules/bulkstop", "{"), HttpStatusCode.BadRequest, 1000, "decode body error: unexpected EOF");
    }

    [Fact]
    public async Task A_rule_is_validated_without_being_stored()
    {
        await Reset();
        var before = await Client.ExportAsync();

        var valid = await Send(HttpMethod.Post, "/rules/validate", """{"id":"new1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""");
        Assert.Equal(HttpStatusCode.OK, valid.Status);
        Assert.Equal("""{"sources":["demo"],"valid":true}""", valid.Body);

        var unknown = await Send(HttpMethod.Post, "/rules/validate", """{"id":"new1","sql":"SELECT * FROM nope","actions":[{"log":{}}]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.Status);
        Assert.Equal("nope is not found", unknown.Body);

        var invalid = await Send(HttpMethod.Post, "/rules/validate", """{"id":"new1","sql":"SELECT * FROM demo"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        Assert.Equal("invalid rule json: Missing rule actions.", invalid.Body);
        Assert.Equal("text/plain; charset=utf-8", invalid.ContentType);

        Assert.Equal(before, await Client.ExportAsync());
    }

    [Fact]
    public async Task Statuses_answer_what_the_node_records()
    {
        await Reset();
        await Send(HttpMethod.Post, "/rules/rule2/stop");

        var all = await Client.GetReplyAsync("/rules/status/all");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.StartsWith("application/json", all.ContentType);
        Assert.Equal("""{"rule1":{"status":"stopped","last_exception":"","exceptions_total":0},"rule2":{"status":"stopped","last_exception":"","exceptions_total":0}}""", all.Body);

        Assert.Equal("""{"lastStartTimestamp":0,"lastStopTimestamp":0,"message":"","nextStartTimestamp":0,"status":"stopped","triggered":false}""",
            (await Client.GetReplyAsync("/v2/rules/rule2/status")).Body);
        Assert.Equal("""{"lastStartTimestamp":0,"lastStopTimestamp":0,"message":"","nextStartTimestamp":0,"status":"stopped","triggered":true}""",
            (await Client.GetReplyAsync("/v2/rules/rule1/status")).Body);
        AssertEnvelope(await Client.GetReplyAsync("/v2/rules/nope/status"), HttpStatusCode.NotFound, 1002, "get rule status error: Rule nope is not found");
    }

    [Fact]
    public async Task Stream_and_table_schemas_are_derived_from_the_stored_statement()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/streams",
            """{"sql":"CREATE STREAM typed (id BIGINT, name STRING DEFAULT \"x\", hobbies STRUCT(indoor ARRAY(STRING))) WITH (DATASOURCE=\"t\")"}""")).Status);

        var schema = await Client.GetReplyAsync("/streams/typed/schema");
        Assert.Equal(HttpStatusCode.OK, schema.Status);
        Assert.StartsWith("application/json", schema.ContentType);
        Assert.Equal("""{"hobbies":{"type":"struct","properties":{"indoor":{"type":"array","items":{"type":"string","index":0},"index":0}},"index":0},"id":{"type":"bigint","index":0},"name":{"type":"string","default":"x","index":0}}""", schema.Body);
        Assert.Equal("""{"S1":{"type":"string","index":0}}""", (await Client.GetReplyAsync("/tables/T110/schema")).Body);
        // Schemaless: eKuiper answers what running rules inferred, and none runs here.
        Assert.Equal("null", (await Client.GetReplyAsync("/streams/demo/schema")).Body);

        AssertEnvelope(await Client.GetReplyAsync("/streams/nope/schema"), HttpStatusCode.BadRequest, 3000, "get schema of stream error: Describe stream fails, nope is not found.");
        AssertEnvelope(await Client.GetReplyAsync("/streams/T110/schema"), HttpStatusCode.BadRequest, 3000, "get schema of stream error: Describe stream fails, stream T110 is not found.");
        AssertEnvelope(await Client.GetReplyAsync("/tables/demo/schema"), HttpStatusCode.BadRequest, 3000, "get schema of table error: Describe table fails, table demo is not found.");
    }

    [Theory]
    [InlineData("GET", "/rules/a%20b")]
    [InlineData("PUT", "/rules/a%20b")]
    [InlineData("DELETE", "/rules/a%20b")]
    [InlineData("GET", "/streams/a%20b")]
    [InlineData("PUT", "/streams/a%20b")]
    [InlineData("DELETE", "/tables/a%20b")]
    public async Task Ids_are_checked_where_eKuiper_checks_them(string method, string path)
    {
        var reply = await Send(new HttpMethod(method), path, method == "PUT" ? "{}" : null);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(InvalidId, reply.Body);
    }

    [Theory]
    [InlineData("POST", "/rules/a%20b/start", 404, """{"error":1002,"message":"start rule error: Rule a b is not found in registry, please check if it is created"}""")]
    [InlineData("GET", "/v2/rules/a%20b/status", 404, """{"error":1002,"message":"get rule status error: Rule a b is not found"}""")]
    [InlineData("GET", "/streams/a%20b/schema", 400, """{"error":3000,"message":"get schema of stream error: Describe stream fails, a b is not found."}""")]
    public async Task Where_eKuiper_checks_no_id_an_invalid_one_is_not_found(string method, string path, int status, string body)
    {
        var reply = await Send(new HttpMethod(method), path);
        Assert.Equal((HttpStatusCode)status, reply.Status);
        Assert.Equal(body + "\n", reply.Body);
    }

    [Fact]
    public async Task The_root_gives_the_process_cpu_usage_beside_its_memory()
    {
        var info = (await Client.GetReplyAsync("/")).Body;
        Assert.Matches("""^\{"version":"[^"]+","os":"linux","arch":"[a-z0-9]+","upTimeSeconds":\d+,"cpuUsage":"\d+\.\d\d%","memoryUsed":"\d+","memoryTotal":"\d+"\}$""", info);
    }
}
