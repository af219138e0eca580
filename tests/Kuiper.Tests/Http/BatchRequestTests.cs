using System.Net;
using System.Text;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Security;

namespace Kuiper.Tests.Http;

/// <summary>
/// eKuiper's <c>POST /batch/req</c> against a node process: every inner request runs through the node's own routing,
/// middleware and endpoints, in order, answered as <c>[{"code":..,"response":..}]</c>.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class BatchRequestTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task Reset() => Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

    private Task<Reply> Batch(string body) => Client.PostRawAsync("/batch/req", body);

    private static string Item(string method, string path, string? body = null) =>
        body is null
            ? System.Text.Json.JsonSerializer.Serialize(new { method, path })
            : System.Text.Json.JsonSerializer.Serialize(new { method, path, body });

    [Fact]
    public async Task Inner_requests_run_in_order_through_the_node_s_endpoints()
    {
        await Reset();
        var reply = await Batch("[" + string.Join(",",
            Item("POST", "/streams", """{"sql":"CREATE STREAM s9 (a BIGINT) WITH (DATASOURCE=\"t\")"}"""),
            Item("GET", "/streams/s9/schema"),
            Item("PUT", "/rules/rule1/tags", """{"tags":["x"]}"""),
            Item("GET", "/rules/tags/match", """{"tags":["x"]}"""),
            Item("", "/tables?kind=lookup"),
            Item("DELETE", "/streams/s9")) + "]");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith("application/json", reply.ContentType);
        Assert.Equal(
            """[{"code":201,"response":"Stream s9 is created."},{"code":200,"response":"{\"a\":{\"type\":\"bigint\",\"index\":0}}"},{"code":200},""" +
            """{"code":200,"response":"{\"rules\":[\"rule1\"]}"},{"code":200,"response":"[]"},{"code":200,"response":"Stream s9 is dropped."}]""",
            reply.Body);
        Assert.Equal("""["demo"]""", (await Client.GetReplyAsync("/streams")).Body);
        Assert.Contains("\\\"tags\\\":[\\\"x\\\"]", await Client.ExportAsync());
    }

    [Fact]
    public async Task Inner_errors_come_back_as_the_endpoints_answer_them()
    {
        await Reset();
        var reply = await Batch("[" + string.Join(",",
            Item("GET", "/rules/a%20b"),
            Item("GET", "/rules/nope"),
            Item("GET", "/no/such/path"),
            Item("G T", "/rules"),
            Item("GET", "/rules/%zz"),
            Item("GET", "rules"),
            Item("POST", "/batch/req", "[]"),
            Item("POST", "%2FBATCH%2Freq", "[]"),
            "null") + "]");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(
            """[{"code":400,"response":"{\"error\":1000,\"message\":\"id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed\"}\n"},""" +
            """{"code":404,"response":"{\"error\":1002,\"message\":\"Describe rule error: Rule nope is not found.\"}\n"},""" +
            """{"code":404,"response":"404 page not found\n"},""" +
            """{"code":0,"error":"net/http: invalid method \"G T\""},""" +
            """{"code":0,"error":"parse \"/rules/%zz\": invalid URL escape \"%zz\""},""" +
            """{"code":301},""" +
            """{"code":400,"response":"{\"error\":1000,\"message\":\"a batch request cannot hold another batch request\"}\n"},""" +
            """{"code":400,"response":"{\"error\":1000,\"message\":\"a batch request cannot hold another batch request\"}\n"},""" +
            """{"code":0,"error":"the request is null"}]""",
            reply.Body);
    }

    [Fact]
    public async Task Inner_requests_carry_the_outer_request_s_headers()
    {
        // The upload endpoint reads JSON only with the JSON content type, which the inner request takes from the outer one.
        var reply = await Batch("[" + Item("POST", "/config/uploads", """{"name":"batch.txt","content":"hi"}""") + "]");
        Assert.StartsWith("""[{"code":201,"response":""", reply.Body);
        Assert.Contains("batch.txt", (await Client.GetReplyAsync("/config/uploads")).Body);
    }

    [Fact]
    public async Task A_bad_or_oversized_batch_runs_nothing()
    {
        await Reset();
        var before = await Client.ExportAsync();

        var empty = await Batch("");
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal("""{"error":1000,"message":"EOF"}""" + "\n", empty.Body);
        Assert.Equal("""{"error":1000,"message":"json: cannot unmarshal object into Go value of type []*server.EachRequest"}""" + "\n", (await Batch("{}")).Body);
        Assert.Equal("""{"error":1000,"message":"json: cannot unmarshal object into Go struct field EachRequest.body of type string"}""" + "\n",
            (await Batch("""[{"method":"DELETE","path":"/streams/demo?force=true"},{"method":"POST","path":"/rules","body":{}}]""")).Body);
        Assert.Equal("[]", (await Batch("[]")).Body);

        var tooMany = await Batch("[" + string.Join(",", Enumerable.Range(0, 101).Select(i =>
            Item("POST", "/streams", $$"""{"sql":"CREATE STREAM many{{i}} () WITH (DATASOURCE=\"t\")"}"""))) + "]");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Equal("""{"error":1000,"message":"a batch holds at most 100 requests, this one holds 101"}""" + "\n", tooMany.Body);

        Assert.Equal(before, await Client.ExportAsync());
    }
}

/// <summary><c>POST /batch/req</c> with authentication on: the batch needs a token, and each inner request is checked with it.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class BatchRequestAuthenticationTests(AuthenticatedNodeFixture fixture) : IClassFixture<AuthenticatedNodeFixture>
{
    /// <summary>A partial import of one stream, then the stream list, as one batch.</summary>
    private static string Body(string stream) => System.Text.Json.JsonSerializer.Serialize(new object[]
    {
        new
        {
            method = "POST",
            path = "/data/import?partial=1",
            body = KuiperApi.ContentBody($$$"""{"streams":{"{{{stream}}}":"CREATE STREAM {{{stream}}} () WITH (DATASOURCE=\"t\")"}}"""),
        },
        new { method = "GET", path = $"/streams/{stream}/schema" },
    });

    [Fact]
    public async Task Without_a_token_the_batch_is_refused_and_nothing_runs()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Node.BaseAddress };
        var reply = await Reply.From(await anonymous.PostAsync("/batch/req", new StringContent(Body("anonymousBatch"), Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("missing_token\n", reply.Body);
        Assert.DoesNotContain("anonymousBatch", (await fixture.Node.Client.GetReplyAsync("/streams")).Body);
    }

    [Fact]
    public async Task With_a_token_each_inner_request_is_authenticated_with_it()
    {
        var reply = await fixture.Node.Client.PostRawAsync("/batch/req", Body("byBatch"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith("""[{"code":200,"response":"{\"ErrorMsg\":\"\",""", reply.Body);
        Assert.EndsWith("""{"code":200,"response":"null"}]""", reply.Body);
        // The inner import knows who asked: the token's issuer, which only the inner request's own token check can tell.
        Assert.Contains($"\"requestedBy\":\"{AuthenticatedNodeFixture.Issuer}\"", (await fixture.Node.Client.GetReplyAsync("/data/imports?limit=1")).Body);
    }
}
