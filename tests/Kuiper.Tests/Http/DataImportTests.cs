using System.Net;
using Kuiper.Tests.Harness;
using Xunit;

namespace Kuiper.Tests.Http;

[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class DataImportTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string EmptyConfigResponse =
        """{"streams":{},"tables":{},"rules":{},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{},"sinkConfig":{},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""";

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Seed_bundle_imports_with_empty_error_maps()
    {
        var reply = await Client.ImportAsync(SeedBundle.Json);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal($$"""{"ErrorMsg":"","ConfigResponse":{{EmptyConfigResponse}}}""", reply.Body);
        Assert.StartsWith("application/json", reply.ContentType);
    }

    [Fact]
    public async Task Status_after_a_clean_import_is_twelve_empty_maps()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        var status = await Client.GetReplyAsync("/data/import/status");

        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal(EmptyConfigResponse, status.Body);
        Assert.StartsWith("application/json", status.ContentType);
    }

    [Fact]
    public async Task Export_round_trips_byte_for_byte()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        var exported = await Client.ExportAsync();
        Assert.Equal(SeedBundle.Exported, exported);

        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(exported)).Status);
        Assert.Equal(exported, await Client.ExportAsync());
    }

    [Fact]
    public async Task Export_is_an_attachment_in_octet_stream()
    {
        using var response = await Client.GetAsync("/data/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("Attachment", response.Content.Headers.ContentDisposition?.ToString());
    }

    [Fact]
    public async Task Full_import_replaces_everything_that_was_there()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        var reply = await Client.ImportAsync("""{"streams":{"other":"CREATE STREAM other () WITH (TYPE=\"memory\")"}}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(
            """{"streams":{"other":"CREATE STREAM other () WITH (TYPE=\"memory\")"},"tables":{},"rules":{},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{},"sinkConfig":{},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""",
            await Client.ExportAsync());
    }

    [Fact]
    public async Task Partial_import_overwrites_what_it_carries_and_keeps_the_rest()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        var reply = await Client.ImportAsync("""
            {"streams":{"extra":"CREATE STREAM extra () WITH (TYPE=\"memory\")"},
             "rules":{"rule1":"{\"id\":\"rule1\",\"sql\":\"SELECT * FROM extra\",\"actions\":[{\"log\":{}}]}"},
             "sourceConfig":{"mqtt":"{\"td\":{\"qos\":2}}"}}
            """, "?partial=1");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var exported = await Client.ExportAsync();
        Assert.Contains("\"demo\":\"CREATE STREAM demo", exported);
        Assert.Contains("\"extra\":\"CREATE STREAM extra () WITH (TYPE=\\\"memory\\\")\"", exported);
        Assert.Contains("\"T110\":", exported);
        Assert.Contains("\"rule1\":\"{\\\"id\\\":\\\"rule1\\\",\\\"sql\\\":\\\"SELECT * FROM extra\\\"", exported);
        Assert.Contains("\"rule2\":", exported);
        // confKey merge: td replaced, test kept.
        Assert.Contains(
            "\"sourceConfig\":{\"mqtt\":\"{\\\"td\\\":{\\\"qos\\\":2},\\\"test\\\":{\\\"insecureSkipVerify\\\":false", exported);
    }

    [Theory]
    [InlineData("partial=true")]
    [InlineData("partial=TRUE")]
    [InlineData("partial=1")]
    public async Task Partial_accepts_one_and_true(string query)
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        Assert.Equal(HttpStatusCode.OK,
            (await Client.ImportAsync("""{"streams":{"extra":"CREATE STREAM extra () WITH (TYPE=\"memory\")"}}""", "?" + query)).Status);

        Assert.Contains("\"demo\":", await Client.ExportAsync());
    }

    [Theory]
    [InlineData("""{"streams": {"demo": "CREATE STREAM demo () WITH (FORMAT=\"JSO""", "configuration unmarshal with error unexpected end of JSON input")]
    [InlineData("""{"streams": {"demo": 1}}""", "configuration unmarshal with error json: cannot unmarshal number into Go struct field Configuration.streams of type string")]
    [InlineData("""{"rules": []}""", "configuration unmarshal with error json: cannot unmarshal array into Go struct field Configuration.rules of type map[string]string")]
    [InlineData("""[]""", "configuration unmarshal with error json: cannot unmarshal array into Go value of type server.Configuration")]
    public async Task Malformed_full_import_is_refused_and_changes_nothing(string bundle, string message)
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        var reply = await Client.ImportAsync(bundle);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"{{\"error\":1000,\"message\":\"{message.Replace("\"", "\\\"")}\"}}\n", reply.Body);
        Assert.Equal("text/plain; charset=utf-8", reply.ContentType);
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
    }

    [Theory]
    [InlineData("""{"content":"{}","file":"file:///tmp/a.json"}""", "Invalid body: Cannot specify both content and file")]
    [InlineData("""{}""", "Invalid body: must specify content or file")]
    [InlineData("""{"content":""}""", "Invalid body: must specify content or file")]
    [InlineData("", "Invalid body: Error decoding json: EOF")]
    [InlineData("""{"content":1}""", "Invalid body: Error decoding json: json: cannot unmarshal number into Go struct field configurationInfo.content of type string")]
    public async Task Request_body_errors_use_the_reference_texts(string body, string message)
    {
        var reply = await Client.PostRawAsync("/data/import", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"{{\"error\":1000,\"message\":\"{message}\"}}\n", reply.Body);
    }

    [Fact]
    public async Task Request_keys_are_case_insensitive()
    {
        var reply = await Client.PostRawAsync("/data/import",
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Content"] = """{"STREAMS":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"}}""" }));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains("\"streams\":{\"s\":", await Client.ExportAsync());
    }

    [Fact]
    public async Task Failed_items_are_reported_per_kind_and_the_rest_is_imported()
    {
        var reply = await Client.ImportAsync("""
            {"streams":{"good":"CREATE STREAM good () WITH (TYPE=\"memory\")","bad":"CREATE STREAM notbad () WITH (TYPE=\"memory\")"},
             "rules":{"r1":"{\"id\":\"other\",\"sql\":\"SELECT * FROM good\",\"actions\":[{\"log\":{}}]}"}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(
            """{"error":1000,"message":"{\"streams\":{\"bad\":\"Replace bad fails: the sql statement must update the bad source.\"},\"tables\":{},\"rules\":{\"r1\":\"RuleId is not consistent with rule id.\"},\"nativePlugins\":{},\"portablePlugins\":{},\"sourceConfig\":{},\"sinkConfig\":{},\"connectionConfig\":{},\"Service\":{},\"Schema\":{},\"uploads\":{},\"scripts\":{}}"}""" + "\n",
            reply.Body);
        var exported = await Client.ExportAsync();
        Assert.Contains("\"good\":", exported);
        Assert.DoesNotContain("\"bad\":", exported);

        var status = await Client.GetReplyAsync("/data/import/status");
        Assert.Equal(
            """{"streams":{"bad":"Replace bad fails: the sql statement must update the bad source."},"tables":{},"rules":{"r1":"RuleId is not consistent with rule id."},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{},"sinkConfig":{},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""",
            status.Body);
    }

    [Fact]
    public async Task Bundle_file_is_read_from_the_uploads_folder()
    {
        var uploads = Path.Combine(fixture.Node.DataDir, "uploads");
        Directory.CreateDirectory(uploads);
        await File.WriteAllTextAsync(Path.Combine(uploads, "seed.json"), SeedBundle.Json);

        var reply = await Client.PostRawAsync("/data/import", $$"""{"file":"file://{{uploads}}/seed.json"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
    }

    [Fact]
    public async Task Bundle_file_outside_uploads_is_refused()
    {
        var outside = Path.Combine(fixture.Node.DataDir, "outside.json");
        await File.WriteAllTextAsync(outside, SeedBundle.Json);

        var reply = await Client.PostRawAsync("/data/import", $$"""{"file":"file://{{outside}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(
            $$"""{"error":1000,"message":"file access denied: path must be under {{Path.Combine(fixture.Node.DataDir, "uploads")}}"}""" + "\n",
            reply.Body);
    }

    [Fact]
    public async Task Missing_bundle_file_in_uploads_is_reported()
    {
        var reply = await Client.PostRawAsync("/data/import",
            $$"""{"file":"file://{{Path.Combine(fixture.Node.DataDir, "uploads")}}/../uploads/none.json"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("""{"error":1000,"message":"openat none.json: no such file or directory"}""" + "\n", reply.Body);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_answer_like_eKuiper()
    {
        var missing = await Client.GetReplyAsync("/no/such/path");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("404 page not found\n", missing.Body);

        var wrongMethod = await Client.GetReplyAsync("/data/import");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.Status);

        var info = await Client.GetReplyAsync("/");
        Assert.Equal(HttpStatusCode.OK, info.Status);
        using (var doc = System.Text.Json.JsonDocument.Parse(info.Body))
        {
            Assert.Equal(RepositoryRelease.Version, doc.RootElement.GetProperty("version").GetString());
            Assert.Equal("linux", doc.RootElement.GetProperty("os").GetString());
            Assert.True(doc.RootElement.GetProperty("upTimeSeconds").GetInt64() >= 0);
        }

        var ping = await Client.GetReplyAsync("/ping");
        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Assert.Equal("", ping.Body);
    }

    [Fact]
    public async Task The_reference_fvt_error_is_reproduced_byte_for_byte_in_both_modes()
    {
        const string body = """{"content":"{\"streams\": {\"demo\": \"CREATE STwREAM demo () WITH (DATASOURCE=\\\"users\\\", CONF_KEY=\\\"td\\\",TYPE=\\\"none\\\", FORMAT=\\\"JSON\\\")\"}}"}""";
        const string expected = """{"error":1000,"message":"{\"streams\":{\"demo\":\"found \\\"STWREAM\\\", expected keyword stream or table.\"},\"tables\":{},\"rules\":{},\"nativePlugins\":{},\"portablePlugins\":{},\"sourceConfig\":{},\"sinkConfig\":{},\"connectionConfig\":{},\"Service\":{},\"Schema\":{},\"uploads\":{},\"scripts\":{}}"}""" + "\n";

        var partial = await Client.PostRawAsync("/data/import?partial=1", body);
        var full = await Client.PostRawAsync("/data/import", body);

        Assert.Equal(HttpStatusCode.BadRequest, partial.Status);
        Assert.Equal(expected, partial.Body);
        Assert.Equal(HttpStatusCode.BadRequest, full.Status);
        Assert.Equal(expected, full.Body);
    }

    [Fact]
    public async Task Partial_import_refuses_a_rule_on_a_missing_stream_and_accepts_one_on_a_stream_it_brings()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        var reply = await Client.ImportAsync("""
            {"streams":{"fresh":"CREATE STREAM fresh () WITH (TYPE=\"memory\")"},
             "rules":{"onFresh":"{\"id\":\"onFresh\",\"sql\":\"SELECT * FROM fresh\",\"actions\":[{\"log\":{}}]}",
                      "onDemo":"{\"id\":\"onDemo\",\"sql\":\"SELECT * FROM demo\",\"actions\":[{\"log\":{}}]}",
                      "onNothing":"{\"id\":\"onNothing\",\"sql\":\"SELECT * FROM nothing\",\"actions\":[{\"log\":{}}]}"}}
            """, "?partial=1");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("\\\"rules\\\":{\\\"onNothing\\\":\\\"fail to get stream nothing, please check if stream is created\\\"}", reply.Body);
        var exported = await Client.ExportAsync();
        Assert.Contains("\"onFresh\":", exported);
        Assert.Contains("\"onDemo\":", exported);
        Assert.DoesNotContain("\"onNothing\":", exported);
    }
}
