using System.Net;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>
/// eKuiper's named connection API (<c>internal/server/connection.go</c>, <c>pkg/connection/pool.go</c>,
/// <c>docs/en_US/api/restapi/connection.md</c>): a connection is a confKey of its type's <c>connectionConfig</c>, as
/// eKuiper stores and exports it.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class ConnectionEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Conn1 = """{"id":"conn1","typ":"mqtt","props":{"server":"tcp://127.0.0.1:1883"}}""";

    private HttpClient Client => fixture.Client;

    private async Task Reset() => Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

    private Task<Reply> Send(HttpMethod method, string path, string? body = null) => Client.SendAsync(method, path, body);

    [Fact]
    public async Task A_connection_is_created_listed_described_updated_and_dropped()
    {
        await Reset();
        Assert.Equal("[]", (await Client.GetReplyAsync("/connections")).Body);

        var created = await Send(HttpMethod.Post, "/connections", Conn1);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("success", created.Body);

        const string described = """{"id":"conn1","typ":"mqtt","props":{"server":"tcp://127.0.0.1:1883"},"isNamed":true}""";
        var listed = await Client.GetReplyAsync("/connections");
        Assert.Equal($"[{described}]", listed.Body);
        Assert.StartsWith("application/json", listed.ContentType);
        Assert.Equal(described, (await Client.GetReplyAsync("/connections/conn1")).Body);
        // Stored as eKuiper stores it: a confKey of the type's connection config.
        Assert.Equal("""{"mqtt":"{\"conn1\":{\"server\":\"tcp://127.0.0.1:1883\"}}"}""", await Client.ExportSectionAsync("connectionConfig"));
        Assert.Equal("""{"conn1":{"server":"tcp://127.0.0.1:1883"}}""", (await Client.GetReplyAsync("/metadata/connections/yaml/mqtt")).Body);

        var updated = await Send(HttpMethod.Put, "/connections/conn1", """{"id":"ignored","typ":"mqtt","props":{"server":"tcp://10.0.0.1:1883","qos":1}}""");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("success", updated.Body);
        Assert.Equal("""{"id":"conn1","typ":"mqtt","props":{"qos":1,"server":"tcp://10.0.0.1:1883"},"isNamed":true}""",
            (await Client.GetReplyAsync("/connections/conn1")).Body);

        // A new type moves it to that type's config.
        Assert.Equal("success", (await Send(HttpMethod.Put, "/connections/conn1", """{"typ":"nng","props":{"url":"tcp://127.0.0.1:4000"}}""")).Body);
        Assert.Equal("""{"nng":"{\"conn1\":{\"url\":\"tcp://127.0.0.1:4000\"}}"}""", await Client.ExportSectionAsync("connectionConfig"));

        var dropped = await Send(HttpMethod.Delete, "/connections/conn1");
        Assert.Equal(HttpStatusCode.OK, dropped.Status);
        Assert.Equal("success", dropped.Body);
        Assert.Equal("{}", await Client.ExportSectionAsync("connectionConfig"));
        Assert.Equal("[]", (await Client.GetReplyAsync("/connections")).Body);
    }

    [Fact]
    public async Task Duplicates_and_missing_connections_answer_as_eKuiper()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/connections", Conn1)).Status);

        // The pool is keyed by id alone: another type does not make it another connection.
        var duplicate = await Send(HttpMethod.Post, "/connections", """{"id":"conn1","typ":"nng","props":{}}""");
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal(KuiperApi.Envelope("create connection failed: connection conn1 already been created"), duplicate.Body);

        var missing = await Client.GetReplyAsync("/connections/nope");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(KuiperApi.Envelope("connection nope not existed"), missing.Body);
        Assert.Equal(KuiperApi.Envelope("update connection failed: connection nope not existed"),
            (await Send(HttpMethod.Put, "/connections/nope", """{"typ":"mqtt","props":{}}""")).Body);

        // eKuiper drops an id it does not have without complaint.
        var dropMissing = await Send(HttpMethod.Delete, "/connections/nope");
        Assert.Equal(HttpStatusCode.OK, dropMissing.Status);
        Assert.Equal("success", dropMissing.Body);

        Assert.Equal("""{"mqtt":"{\"conn1\":{\"server\":\"tcp://127.0.0.1:1883\"}}"}""", await Client.ExportSectionAsync("connectionConfig"));
    }

    [Fact]
    public async Task A_connection_without_props_is_stored_with_empty_props()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/connections", """{"id":"bare","typ":"websocket"}""")).Status);

        Assert.Equal("""{"id":"bare","typ":"websocket","props":{},"isNamed":true}""", (await Client.GetReplyAsync("/connections/bare")).Body);
        Assert.Equal("""{"websocket":"{\"bare\":{}}"}""", await Client.ExportSectionAsync("connectionConfig"));
    }

    [Theory]
    [InlineData("GET", "/connections/bad%20name", null)]
    [InlineData("DELETE", "/connections/bad%20name", null)]
    [InlineData("PUT", "/connections/bad%20name", Conn1)]
    [InlineData("POST", "/connections", """{"id":"bad name","typ":"mqtt","props":{}}""")]
    public async Task An_invalid_id_is_refused_before_anything_else(string method, string path, string? body)
    {
        await Reset();

        var reply = await Send(new HttpMethod(method), path, body);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(KuiperApi.Envelope("id 'bad name' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"), reply.Body);
        Assert.Equal("{}", await Client.ExportSectionAsync("connectionConfig"));
    }

    [Theory]
    [InlineData("POST", "", "Invalid body: unexpected end of JSON input")]
    [InlineData("POST", "{\"id\":\"c\"} x", "Invalid body: invalid character 'x' after top-level value")]
    [InlineData("POST", """{"id":"c","typ":1}""", "Invalid body: json: cannot unmarshal number into Go struct field ConnectionRequest.typ of type string")]
    [InlineData("POST", """{"id":"c","typ":"mqtt","props":[]}""", "Invalid body: json: cannot unmarshal array into Go struct field ConnectionRequest.props of type map[string]interface {}")]
    [InlineData("POST", """{"typ":"mqtt"}""", "id cannot be empty")]
    [InlineData("POST", """{"id":"c","props":{}}""", "create connection failed: connection id and type should be defined")]
    [InlineData("PUT", "{", "Invalid body: unexpected end of JSON input")]
    [InlineData("PUT", """{"props":{}}""", "update connection failed: connection id and type should be defined")]
    public async Task A_bad_body_is_answered_with_the_decoders_text(string method, string body, string message)
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/connections", Conn1)).Status);

        var reply = await Send(new HttpMethod(method), method == "POST" ? "/connections" : "/connections/conn1", body);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(KuiperApi.Envelope(message), reply.Body);
        Assert.Equal("""{"mqtt":"{\"conn1\":{\"server\":\"tcp://127.0.0.1:1883\"}}"}""", await Client.ExportSectionAsync("connectionConfig"));
    }

    [Fact]
    public async Task A_connection_rules_would_use_is_counted_and_kept_until_they_stop()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/connections", Conn1)).Status);
        // A source config, a stream reading it, and three rules: by stream, by action props, by sink config.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/metadata/sources/mqtt/confKeys/shared", """{"connectionSelector":"conn1"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/metadata/sinks/mqtt/confKeys/viaconn", """{"connectionSelector":"conn1","topic":"out"}""")).Status);
        Assert.Equal(HttpStatusCode.Created,
            (await Send(HttpMethod.Post, "/streams", """{"sql":"CREATE STREAM s1 () WITH (DATASOURCE=\"t\", CONF_KEY=\"shared\")"}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/rules", """{"id":"bySource","sql":"SELECT * FROM s1","actions":[{"log":{}}]}""")).Status);
        Assert.Equal(HttpStatusCode.Created,
            (await Send(HttpMethod.Post, "/rules", """{"id":"bySink","sql":"SELECT * FROM demo","actions":[{"mqtt":{"connectionSelector":"conn1","topic":"x"}}]}""")).Status);
        Assert.Equal(HttpStatusCode.Created,
            (await Send(HttpMethod.Post, "/rules", """{"id":"byResource","sql":"SELECT * FROM demo","actions":[{"mqtt":{"resourceId":"viaconn"}}]}""")).Status);

        Assert.Equal("""{"id":"conn1","typ":"mqtt","props":{"server":"tcp://127.0.0.1:1883"},"isNamed":true,"refCount":3}""",
            (await Client.GetReplyAsync("/connections/conn1")).Body);
        var refused = await Send(HttpMethod.Delete, "/connections/conn1");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(KuiperApi.Envelope("drop connection failed: connection conn1 can't be dropped due to rule references [byResource bySink bySource]"), refused.Body);
        Assert.Equal(KuiperApi.Envelope("update connection failed: connection conn1 can't be dropped due to rule references [byResource bySink bySource]"),
            (await Send(HttpMethod.Put, "/connections/conn1", Conn1)).Body);

        // A stopped rule holds no connection in eKuiper.
        foreach (var rule in new[] { "bySource", "bySink" })
            Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/rules/{rule}/stop")).Status);
        Assert.Contains("\"refCount\":1}", (await Client.GetReplyAsync("/connections")).Body);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, "/rules/byResource/stop")).Status);
        Assert.DoesNotContain("refCount", (await Client.GetReplyAsync("/connections/conn1")).Body);

        Assert.Equal("success", (await Send(HttpMethod.Delete, "/connections/conn1")).Body);
        Assert.Equal("{}", await Client.ExportSectionAsync("connectionConfig"));
    }

    [Fact]
    public async Task An_imported_connection_is_a_named_connection()
    {
        await Reset();
        var bundle = """{"connectionConfig":{"mqtt":"{\"imported\":{\"server\":\"tcp://127.0.0.1:1883\"}}"}}""";
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(bundle, "?partial=1")).Status);

        Assert.Equal("""[{"id":"imported","typ":"mqtt","props":{"server":"tcp://127.0.0.1:1883"},"isNamed":true}]""",
            (await Client.GetReplyAsync("/connections")).Body);
    }
}
