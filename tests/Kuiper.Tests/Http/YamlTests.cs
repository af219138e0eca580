using System.Net;
using System.Text;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>Two independent nodes (their own SQLite files): one exports, the other imports.</summary>
public sealed class TwoNodesFixture : IAsyncLifetime
{
    public NodeProcess Source { get; private set; } = null!;

    public NodeProcess Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Source = await NodeProcess.StartAsync();
        Target = await NodeProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Source.DisposeAsync();
        await Target.DisposeAsync();
    }
}

/// <summary><c>/v2/data/export</c> and <c>/v2/data/import</c> against real node processes, with eKuiper's texts.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts two node processes")]
public sealed class YamlTests(TwoNodesFixture nodes) : IClassFixture<TwoNodesFixture>
{
    private HttpClient Source => nodes.Source.Client;

    private HttpClient Target => nodes.Target.Client;

    private static async Task ResetAsync(HttpClient client) => Assert.Equal(HttpStatusCode.OK, (await client.ImportAsync("{}")).Status);

    private static Task<Reply> ImportYamlAsync(HttpClient client, string yaml) =>
        client.PostRawAsync("/v2/data/import", KuiperApi.ContentBody(yaml));

    [Theory]
    [InlineData("seed")]
    [InlineData("awkward")]
    public async Task A_yaml_export_imported_into_another_node_gives_a_json_export_identical_to_the_original(string which)
    {
        await ResetAsync(Target);
        var bundle = which == "seed" ? SeedBundle.Json : AwkwardBundle.Json;
        var imported = await Source.ImportAsync(bundle);
        Assert.Equal(HttpStatusCode.OK, imported.Status);
        var original = await Source.ExportAsync();
        if (which == "awkward") Assert.Equal(AwkwardBundle.Json, original);

        using var yamlResponse = await Source.GetAsync("/v2/data/export");
        Assert.Equal(HttpStatusCode.OK, yamlResponse.StatusCode);
        Assert.Equal("application/octet-stream", yamlResponse.Content.Headers.ContentType?.ToString());
        Assert.Equal("Attachment", yamlResponse.Content.Headers.ContentDisposition?.ToString());
        var yaml = await yamlResponse.Content.ReadAsStringAsync();
        Assert.StartsWith("sourceConfig:\n    sources.mqtt.", yaml);

        var reply = await ImportYamlAsync(Target, yaml);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("success", reply.Body);
        Assert.Equal("text/plain; charset=utf-8", reply.ContentType);
        Assert.Equal(original, await Target.ExportAsync());
        // And the other way: the target's YAML is the source's.
        Assert.Equal(yaml, await Target.GetStringAsync("/v2/data/export"));
    }

    [Fact]
    public async Task Yaml_import_is_additive_and_reads_eKuipers_documented_export()
    {
        await ResetAsync(Target);
        Assert.Equal(HttpStatusCode.OK, (await Target.ImportAsync(SeedBundle.Json)).Status);

        // docs/en_US/api/restapi/data.md, "GET /v2/data/export".
        var reply = await ImportYamlAsync(Target, """
            sourceConfig:
                sources.mqtt.mqttconf1:
                    connectionSelector: mqttcon
                    qos: 1
                    sourceType: stream
            connectionConfig:
                connections.mqtt.mqttcon:
                    insecureSkipVerify: false
                    protocolVersion: 3.1.1
                    server: tcp://127.0.0.1:1883
            streams:
                mqttstream1:
                    sql: ' CREATE STREAM mqttstream1 ()       WITH (DATASOURCE="topic1", FORMAT="json", CONF_KEY="mqttconf1", TYPE="mqtt", SHARED="false", );'
            rules:
                rule1:
                    triggered: false
                    id: rule1
                    sql: select * from mqttstream1
                    actions:
                        - log: {}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("success", reply.Body);
        var exported = await Target.ExportAsync();
        Assert.Contains("\"demo\":\"CREATE STREAM demo", exported);
        Assert.Contains("\"mqttstream1\":\" CREATE STREAM mqttstream1 ()       WITH (", exported);
        Assert.Contains("\"rule1\":\"{\\\"triggered\\\":false,\\\"id\\\":\\\"rule1\\\",\\\"sql\\\":\\\"select * from mqttstream1\\\",\\\"actions\\\":[{\\\"log\\\":{}}]}\"", exported);
        Assert.Contains("\"rule2\":", exported);
        Assert.Contains("\"mqttconf1\\\":{\\\"connectionSelector\\\":\\\"mqttcon\\\",\\\"qos\\\":1,\\\"sourceType\\\":\\\"stream\\\"}", exported);
        Assert.Contains("\"td\\\":{", exported);
        Assert.Contains("\"connectionConfig\":{\"mqtt\":\"{\\\"mqttcon\\\":{\\\"insecureSkipVerify\\\":false,", exported);
    }

    [Fact]
    public async Task Failed_items_are_answered_with_eKuipers_texts_and_the_rest_is_imported()
    {
        await ResetAsync(Target);

        var reply = await ImportYamlAsync(Target, """
            streams:
                good:
                    sql: CREATE STREAM good () WITH (TYPE="memory")
                bad:
                    sql: CREATE STREAM notbad () WITH (TYPE="memory")
            tables:
                t:
                    sql: CREATE TABLE x () WITH (TYPE="file")
            rules:
                r1:
                    id: other
                    sql: SELECT * FROM good
                    actions:
                        - log: {}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(
            "{\"error\":1000,\"message\":\"import failed: replace stream bad failed, err:Replace bad fails: the sql statement must update the bad source.\\n" +
            "replace stream t failed, err:Replace t fails: the sql statement must update the t source.\\n" +
            "replace rule r1 failed, err:Invalid rule json: RuleId is not consistent with rule id.\"}\n",
            reply.Body);
        Assert.Contains("\"good\":", await Target.ExportAsync());
    }

    [Theory]
    [InlineData("""{"content":"a: 1","file":"file:///tmp/a.yaml"}""", "Invalid body: Cannot specify both content and file: bad request")]
    [InlineData("""{"partial":true}""", "Invalid body: must specify content or file: bad request")]
    [InlineData("{", "Invalid body: Error decoding json: unexpected EOF")]
    [InlineData("""{"content":"x","reboot":"no"}""", "Invalid body: Error decoding json: json: cannot unmarshal string into Go struct field importConfiguration.reboot of type bool")]
    [InlineData("""{"content":"streams: [a]"}""", "import failed: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into map[string]*server.DatasourceExport")]
    [InlineData("""{"content":"rules: *nothing"}""", "import failed: yaml: line 1: unknown anchor 'nothing' referenced")]
    public async Task Refused_requests_get_the_envelope_with_eKuipers_texts(string body, string message)
    {
        var reply = await Target.PostRawAsync("/v2/data/import", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"{{\"error\":1000,\"message\":{Kuiper.Domain.GoCompat.GoQuote.Quote(message)}}}\n", reply.Body);
    }

    [Fact]
    public async Task Yaml_file_is_read_from_the_uploads_folder()
    {
        await ResetAsync(Target);
        var uploads = Path.Combine(nodes.Target.DataDir, "uploads");
        Directory.CreateDirectory(uploads);
        await File.WriteAllTextAsync(Path.Combine(uploads, "conf.yaml"), "streams:\n    s:\n        sql: CREATE STREAM s () WITH (TYPE=\"memory\")\n");

        var reply = await Target.PostRawAsync("/v2/data/import", $$"""{"file":"file://{{uploads}}/conf.yaml"}""");

        Assert.Equal("success", reply.Body);
        Assert.Contains("\"streams\":{\"s\":", await Target.ExportAsync());

        var outside = await Target.PostRawAsync("/v2/data/import", """{"file":"file:///etc/hostname"}""");
        Assert.Equal(HttpStatusCode.BadRequest, outside.Status);
        Assert.StartsWith("{\"error\":1000,\"message\":\"Fail to read file: file access denied", outside.Body);
    }

    [Fact]
    public async Task Yaml_export_of_some_rules_takes_their_dependencies_and_unknown_ids_are_404()
    {
        Assert.Equal(HttpStatusCode.OK, (await Source.ImportAsync(SeedBundle.Json)).Status);

        var reply = await Reply.From(await Source.PostAsync("/v2/data/export", new StringContent("[\"rule1\"]", Encoding.UTF8, "application/json")));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/octet-stream", reply.ContentType);
        Assert.Contains("\n    rule1: '{\"id\": \"rule1\"", reply.Body);
        Assert.DoesNotContain("rule2", reply.Body);
        Assert.StartsWith("streams:\n    demo:\n", reply.Body);

        var unknown = await Source.PostRawAsync("/v2/data/export", "[\"nope\"]");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("{\"error\":1002,\"message\":\"Rule nope is not found.\"}\n", unknown.Body);
    }
}
