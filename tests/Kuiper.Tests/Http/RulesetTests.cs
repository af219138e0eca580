using System.Net;
using System.Text;
using System.Text.Json;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary><c>POST /ruleset/import</c> and <c>POST /ruleset/export</c> against a real node, with eKuiper's texts.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class RulesetTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    /// <summary>eKuiper's <c>internal/server/rpc_test_data/import.json</c> (<c>TestImportAndExport</c>).</summary>
    private const string RpcTestRuleset =
        """{"streams":{"test":"CREATE STREAM test () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")"},"tables":{},"rules":{"myRule":"{\"id\": \"myRule\",\"sql\": \"SELECT * FROM test\",\"actions\": [{\"log\": {}}]}"}}""";

    private HttpClient Client => fixture.Client;

    private async Task ResetAsync() => Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);

    private Task<HttpResponseMessage> ImportRulesetAsync(string ruleset) =>
        Client.PostAsync("/ruleset/import", new StringContent(KuiperApi.ContentBody(ruleset), Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Ruleset_import_answers_eKuipers_count_and_export_gives_the_three_kinds_back()
    {
        await ResetAsync();

        using var response = await ImportRulesetAsync(RpcTestRuleset);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("imported 1 streams, 0 tables and 1 rules", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.False(response.Headers.Contains("Kuiper-Import-Errors"));

        using var export = await Client.PostAsync("/ruleset/export", null);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/octet-stream", export.Content.Headers.ContentType?.ToString());
        Assert.Equal("Attachment", export.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal(RpcTestRuleset, await export.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ruleset_import_never_resets_and_export_leaves_other_kinds_out()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        using var response = await ImportRulesetAsync(RpcTestRuleset);

        Assert.Equal("imported 1 streams, 0 tables and 1 rules", await response.Content.ReadAsStringAsync());
        var exported = await Client.ExportAsync();
        Assert.Contains("\"demo\":\"CREATE STREAM demo", exported);
        Assert.Contains("\"test\":\"CREATE STREAM test", exported);
        Assert.Contains("\"rule1\":", exported);
        Assert.Contains("\"myRule\":", exported);
        Assert.Contains("\"sourceConfig\":{\"mqtt\":", exported);

        using var export = await Client.PostAsync("/ruleset/export", null);
        var ruleset = await export.Content.ReadAsStringAsync();
        Assert.StartsWith("""{"streams":{"demo":"CREATE STREAM demo () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")","test":""", ruleset);
        Assert.Contains("""},"tables":{"T110":"\n CREATE TABLE T110""", ruleset);
        Assert.EndsWith(""""myRule":"{\"id\": \"myRule\",\"sql\": \"SELECT * FROM test\",\"actions\": [{\"log\": {}}]}","rule1":"{\"id\": \"rule1\",\"sql\": \"SELECT * FROM demo\",\"actions\": [{\"log\": {}}]}","rule2":"{\"id\": \"rule2\",\"sql\": \"SELECT * FROM demo\",\"actions\": [{  \"log\": {}}]}"}}"""", ruleset);
        Assert.DoesNotContain("sourceConfig", ruleset);
    }

    [Fact]
    public async Task Stream_statement_of_eKuipers_rest_test_is_imported()
    {
        await ResetAsync();
        // rest_test.go Test_ruleSetImport: a leading newline, a trailing comma and a semicolon.
        const string ruleset = """{"streams":{"plugin":"\n              CREATE STREAM plugin\n              ()\n              WITH (FORMAT=\"json\", CONF_KEY=\"default\", TYPE=\"mqtt\", SHARED=\"false\", );\n          "},"tables":{},"rules":{"rule1":"{\"id\":\"rule1\",\"sql\":\"select name from plugin\",\"actions\":[{\"log\":{}}]}"}}""";

        using var response = await ImportRulesetAsync(ruleset);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("imported 1 streams, 0 tables and 1 rules", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Failed_items_are_not_counted_and_are_returned_in_a_header_and_the_status()
    {
        await ResetAsync();
        Assert.Equal(HttpStatusCode.OK, (await ImportRulesetAsync("""
            {"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"},
             "rules":{"r":"{\"id\":\"r\",\"version\":\"2\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}"}}
            """)).StatusCode);

        using var response = await ImportRulesetAsync("""
            {"streams":{"bad":"CREATE STREAM notbad () WITH (TYPE=\"memory\")","s2":"CREATE STREAM s2 () WITH (TYPE=\"memory\")"},
             "tables":{"t":"CREATE TABLE t () WITH (DATASOURCE=\"t.json\", FORMAT=\"json\", TYPE=\"file\")"},
             "rules":{"r":"{\"id\":\"r\",\"version\":\"1\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}",
                      "r3":"{\"id\":\"r3\",\"sql\":\"SELECT * FROM s2\",\"actions\":[{\"log\":{}}]}"}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("imported 1 streams, 1 tables and 1 rules", await response.Content.ReadAsStringAsync());
        const string failures =
            """{"streams":{"bad":"Replace bad fails: the sql statement must update the bad source."},"tables":{},"rules":{"r":"rule r already exists with version (2), new version (1) is lower"}}""";
        Assert.Equal(failures, Assert.Single(response.Headers.GetValues("Kuiper-Import-Errors")));
        Assert.False(response.Headers.Contains("Kuiper-Import-Errors-Omitted"));

        // Recorded like any import: the status has the same failures.
        var status = await Client.GetReplyAsync("/data/import/status");
        Assert.StartsWith(failures[..^1] + ",\"nativePlugins\":{}", status.Body);
        Assert.Contains("\"version\\\":\\\"2\\\"", await Client.ExportAsync());
    }

    [Fact]
    public async Task A_newer_rule_version_replaces_the_stored_rule()
    {
        await ResetAsync();
        Assert.Equal(HttpStatusCode.OK, (await ImportRulesetAsync("""
            {"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"},
             "rules":{"r":"{\"id\":\"r\",\"version\":\"1\",\"sql\":\"SELECT a FROM s\",\"actions\":[{\"log\":{}}]}"}}
            """)).StatusCode);

        using var response = await ImportRulesetAsync(
            """{"rules":{"r":"{\"id\":\"r\",\"version\":\"2\",\"sql\":\"SELECT b FROM s\",\"actions\":[{\"log\":{}}]}"}}""");

        Assert.Equal("imported 0 streams, 0 tables and 1 rules", await response.Content.ReadAsStringAsync());
        Assert.Contains("SELECT b FROM s", await Client.ExportAsync());
    }

    [Fact]
    public async Task Many_failures_fill_the_header_up_to_its_bound_and_count_the_rest()
    {
        await ResetAsync();
        var rules = Enumerable.Range(0, 2000).ToDictionary(i => $"rule{i:D4}", i => "not json");

        using var response = await ImportRulesetAsync(JsonSerializer.Serialize(new { rules }));

        Assert.Equal("imported 0 streams, 0 tables and 0 rules", await response.Content.ReadAsStringAsync());
        var header = Assert.Single(response.Headers.GetValues("Kuiper-Import-Errors"));
        Assert.True(header.Length <= 16 * 1024, $"{header.Length} bytes");
        using var json = JsonDocument.Parse(header);
        var listed = json.RootElement.GetProperty("rules").EnumerateObject().Count();
        Assert.InRange(listed, 1, 1999);
        Assert.Equal((2000 - listed).ToString(), Assert.Single(response.Headers.GetValues("Kuiper-Import-Errors-Omitted")));
    }

    [Theory]
    [InlineData("""{"content":"{}","file":"file:///tmp/a.json"}""", "Invalid body: Cannot specify both content and file: bad request")]
    [InlineData("""{}""", "Invalid body: must specify content or file: bad request")]
    [InlineData("""{"content":""}""", "Invalid body: must specify content or file: bad request")]
    [InlineData("", "Invalid body: Error decoding json: EOF")]
    [InlineData("""{"file":1}""", "Invalid body: Error decoding json: json: cannot unmarshal number into Go struct field rulesetInfo.file of type string")]
    [InlineData("""[]""", "Invalid body: Error decoding json: json: cannot unmarshal array into Go value of type server.rulesetInfo")]
    [InlineData("""{"content":"notjson"}""", "Import ruleset error: invalid import file: invalid character 'o' in literal null (expecting 'u')")]
    [InlineData("""{"content":"{INvalid\"streams\":{}}"}""", "Import ruleset error: invalid import file: invalid character 'I' looking for beginning of object key string")]
    [InlineData("""{"content":"{\"rules\":[]}"}""", "Import ruleset error: invalid import file: json: cannot unmarshal array into Go struct field Ruleset.rules of type map[string]string")]
    [InlineData("""{"content":"[1]"}""", "Import ruleset error: invalid import file: json: cannot unmarshal array into Go value of type processor.Ruleset")]
    public async Task Refused_requests_get_the_envelope_with_eKuipers_texts(string body, string message)
    {
        var reply = await Client.PostRawAsync("/ruleset/import", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"{{\"error\":1000,\"message\":{Kuiper.Domain.GoCompat.GoQuote.Quote(message)}}}\n", reply.Body);
        Assert.Equal("text/plain; charset=utf-8", reply.ContentType);
    }

    [Fact]
    public async Task Ruleset_file_is_read_from_the_uploads_folder_and_other_kinds_in_it_are_ignored()
    {
        await ResetAsync();
        var uploads = Path.Combine(fixture.Node.DataDir, "uploads");
        Directory.CreateDirectory(uploads);
        await File.WriteAllTextAsync(Path.Combine(uploads, "ruleset.json"), SeedBundle.Json);

        var reply = await Client.PostRawAsync("/ruleset/import", $$"""{"file":"file://{{uploads}}/ruleset.json"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("imported 1 streams, 1 tables and 2 rules", reply.Body);
        Assert.Contains("\"sourceConfig\":{},", await Client.ExportAsync());
    }

    [Fact]
    public async Task Ruleset_file_outside_uploads_is_refused_with_eKuipers_prefix()
    {
        var outside = Path.Combine(fixture.Node.DataDir, "outside.json");
        await File.WriteAllTextAsync(outside, RpcTestRuleset);

        var reply = await Client.PostRawAsync("/ruleset/import", $$"""{"file":"file://{{outside}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(
            $$"""{"error":1000,"message":"Fail to read file: file access denied: path must be under {{Path.Combine(fixture.Node.DataDir, "uploads")}}"}""" + "\n",
            reply.Body);
    }

    [Fact]
    public async Task Ruleset_export_answers_only_POST()
    {
        using var response = await Client.GetAsync("/ruleset/export");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
