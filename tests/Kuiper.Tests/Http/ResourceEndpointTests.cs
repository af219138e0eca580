using System.Net;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class ResourceEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task Reset() => Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

    private Task<Reply> Send(HttpMethod method, string path, string? body = null) => Client.SendAsync(method, path, body);

    [Fact]
    public async Task Streams_and_tables_are_listed_described_and_detailed()
    {
        await Reset();

        Assert.Equal("""["demo"]""", (await Client.GetReplyAsync("/streams")).Body);
        Assert.Equal("""["T110"]""", (await Client.GetReplyAsync("/tables")).Body);
        Assert.Equal("""["T110"]""", (await Client.GetReplyAsync("/tables?kind=scan")).Body);
        Assert.Equal("[]", (await Client.GetReplyAsync("/tables?kind=lookup")).Body);
        Assert.Equal("""[{"name":"demo","type":"mqtt","format":"json"}]""", (await Client.GetReplyAsync("/streamdetails")).Body);
        Assert.Equal("""[{"name":"T110","type":"file","format":"json"}]""", (await Client.GetReplyAsync("/tabledetails")).Body);

        var described = await Client.GetReplyAsync("/tables/T110");
        Assert.Equal(HttpStatusCode.OK, described.Status);
        Assert.Equal(
            """{"Name":"T110","StreamFields":[{"FieldType":"string","Name":"S1"}],"Options":{"datasource":"test.json","format":"json","type":"file","kind":"scan"},"StreamType":1,"Statement":null}""",
            described.Body);
    }

    [Fact]
    public async Task A_stream_is_created_replaced_and_dropped()
    {
        await Reset();

        var created = await Send(HttpMethod.Post, "/streams", """{"sql":"CREATE STREAM s2 (a BIGINT) WITH (TYPE=\"memory\", VERSION=\"1\")"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Stream s2 is created.", created.Body);

        var again = await Send(HttpMethod.Post, "/streams", """{"sql":"CREATE STREAM s2 () WITH (TYPE=\"memory\")"}""");
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("""{"error":3000,"message":"Stream command error: Create stream fails: Item s2 already exists."}""" + "\n", again.Body);

        var older = await Send(HttpMethod.Put, "/streams/s2", """{"sql":"CREATE STREAM s2 () WITH (TYPE=\"memory\", VERSION=\"0\")"}""");
        Assert.Equal("""{"error":3000,"message":"Stream command error: source s2 already exists with version (1), new version (0) is lower"}""" + "\n", older.Body);

        var replaced = await Send(HttpMethod.Put, "/streams/s2", """{"sql":"CREATE STREAM s2 () WITH (TYPE=\"memory\", VERSION=\"2\")"}""");
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal("Stream s2 is replaced.", replaced.Body);
        Assert.Contains("VERSION=\\\"2\\\"", await Client.ExportAsync());

        var dropped = await Send(HttpMethod.Delete, "/streams/s2");
        Assert.Equal("Stream s2 is dropped.", dropped.Body);
        var missing = await Send(HttpMethod.Delete, "/streams/s2");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("""{"error":1002,"message":"delete stream error: stream s2 is not found"}""" + "\n", missing.Body);
    }

    [Fact]
    public async Task A_stream_a_rule_reads_is_dropped_only_with_force()
    {
        await Reset();

        var refused = await Send(HttpMethod.Delete, "/streams/demo");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("""{"error":1000,"message":"stream demo has been referenced by other rules"}""" + "\n", refused.Body);

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, "/streams/demo?force=true")).Status);
        Assert.Equal("[]", (await Client.GetReplyAsync("/streams")).Body);
    }

    [Theory]
    [InlineData("/streams/bad%20name", """{"error":1000,"message":"id 'bad name' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"}""")]
    [InlineData("/streams/nope", """{"error":3000,"message":"describe stream error: Describe stream fails, stream nope is not found."}""")]
    [InlineData("/rules/nope", """{"error":1002,"message":"Describe rule error: Rule nope is not found."}""")]
    public async Task Missing_or_invalid_names_answer_with_the_reference_texts(string path, string body)
    {
        await Reset();

        Assert.Equal(body + "\n", (await Client.GetReplyAsync(path)).Body);
    }

    [Fact]
    public async Task Rules_are_created_described_updated_toggled_and_dropped()
    {
        await Reset();

        var created = await Send(HttpMethod.Post, "/rules", """{"id":"r9","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Rule r9 was created successfully.", created.Body);
        Assert.Equal("""{"error":1000,"message":"rule r9 already exists"}""" + "\n",
            (await Send(HttpMethod.Post, "/rules", """{"id":"r9","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""")).Body);
        Assert.Equal("""{"error":1000,"message":"fail to get stream nowhere, please check if stream is created"}""" + "\n",
            (await Send(HttpMethod.Post, "/rules", """{"id":"r10","sql":"SELECT * FROM nowhere","actions":[{"log":{}}]}""")).Body);

        var described = await Client.GetReplyAsync("/rules/r9");
        Assert.Equal("""{"id":"r9","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""", described.Body);
        Assert.StartsWith("application/json", described.ContentType);

        Assert.Equal("Rule r9 was updated successfully.",
            (await Send(HttpMethod.Put, "/rules/r9", """{"id":"r9","sql":"SELECT a FROM demo","actions":[{"log":{}}]}""")).Body);
        Assert.Equal("""{"error":1000,"message":"Update rule error: Invalid rule json: Parse rule selectabc error : invalid character 's' looking for beginning of value."}""" + "\n",
            (await Send(HttpMethod.Put, "/rules/r9", "selectabc")).Body);

        Assert.Equal("Rule r9 was stopped.", (await Send(HttpMethod.Post, "/rules/r9/stop")).Body);
        Assert.Equal("""{"actions":[{"log":{}}],"id":"r9","sql":"SELECT a FROM demo","triggered":false}""", (await Client.GetReplyAsync("/rules/r9")).Body);
        Assert.Equal("""{"status":"stopped","triggered":false}""", (await Client.GetReplyAsync("/rules/r9/status")).Body);
        Assert.Equal("Rule r9 was started", (await Send(HttpMethod.Post, "/rules/r9/start")).Body);
        Assert.Equal("""{"status":"stopped","triggered":true}""", (await Client.GetReplyAsync("/rules/r9/status")).Body);

        Assert.Equal("""[{"id":"r9","name":"r9","status":"stopped","version":"","trace":false,"tags":null},{"id":"rule1","name":"rule1","status":"stopped","version":"","trace":false,"tags":null},{"id":"rule2","name":"rule2","status":"stopped","version":"","trace":false,"tags":null}]""",
            (await Client.GetReplyAsync("/rules")).Body);

        Assert.Equal("Rule r9 is dropped.", (await Send(HttpMethod.Delete, "/rules/r9")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, "/rules/r9/start")).Status);
    }

    [Fact]
    public async Task A_versioned_rule_is_upserted_only_to_a_higher_version_and_can_still_be_stopped()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created,
            (await Send(HttpMethod.Post, "/rules", """{"id":"v1","version":"2","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""")).Status);

        var lower = await Send(HttpMethod.Put, "/rules/v1", """{"id":"v1","version":"10","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""");
        Assert.Equal("""{"error":1000,"message":"Update rule error: rule v1 already exists with version (2), new version (10) is lower"}""" + "\n", lower.Body);

        Assert.Equal("Rule v1 was stopped.", (await Send(HttpMethod.Post, "/rules/v1/stop")).Body);
        Assert.Equal("""{"actions":[{"log":{}}],"id":"v1","sql":"SELECT * FROM demo","triggered":false,"version":"2"}""", (await Client.GetReplyAsync("/rules/v1")).Body);
    }

    [Fact]
    public async Task Conf_keys_are_read_written_and_deleted_one_at_a_time()
    {
        await Reset();

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/metadata/sources/mqtt/confKeys/added", """{"qos":2,"server":"tcp://x"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, "/metadata/sources/mqtt/confKeys/td")).Status);

        var yaml = await Client.GetReplyAsync("/metadata/sources/yaml/mqtt");
        Assert.StartsWith("""{"added":{"qos":2,"server":"tcp://x"},"test":{""", yaml.Body);
        Assert.DoesNotContain("\"td\"", yaml.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, "/metadata/sources/mqtt/confKeys/td")).Status);

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, "/metadata/sinks/edgex/confKeys/test")).Status);
        Assert.Contains("\"sinkConfig\":{}", await Client.ExportAsync());
    }
}
