using System.Net;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>
/// eKuiper's JavaScript function API (<c>internal/server/script_init.go</c>, <c>docs/en_US/api/restapi/udf.md</c>):
/// texts and statuses as eKuiper's handlers and its SQLite store give them.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class ScriptEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Area = """{"id":"area","description":"calculate area","script":"function area(x, y) { return x * y; }","isAgg":false}""";

    private HttpClient Client => fixture.Client;

    private async Task Reset() => Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

    private Task<Reply> Send(HttpMethod method, string path, string? body = null) => Client.SendAsync(method, path, body);

    [Fact]
    public async Task A_function_is_created_listed_described_updated_and_deleted()
    {
        await Reset();
        Assert.Equal("[]", (await Client.GetReplyAsync("/udf/javascript")).Body);

        var created = await Send(HttpMethod.Post, "/udf/javascript", Area);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("javascript function area is created", created.Body);

        var listed = await Client.GetReplyAsync("/udf/javascript");
        Assert.Equal("""["area"]""", listed.Body);
        Assert.StartsWith("application/json", listed.ContentType);
        var described = await Client.GetReplyAsync("/udf/javascript/area");
        Assert.Equal(HttpStatusCode.OK, described.Status);
        Assert.Equal(Area, described.Body);
        Assert.Equal($"{{\"area\":{GoJsonEncoder.Marshal(Area)}}}", await Client.ExportSectionAsync("scripts"));

        const string updatedArea = """{"id":"area","description":"sum of areas","script":"var area = function (x, y) { return x * y; }","isAgg":true}""";
        var updated = await Send(HttpMethod.Put, "/udf/javascript/area", updatedArea);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("javascript function area is updated", updated.Body);
        Assert.Equal(updatedArea, (await Client.GetReplyAsync("/udf/javascript/area")).Body);
        Assert.Contains("sum of areas", await Client.ExportSectionAsync("scripts"));

        var deleted = await Send(HttpMethod.Delete, "/udf/javascript/area");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("javascript function area is deleted", deleted.Body);
        Assert.Equal("{}", await Client.ExportSectionAsync("scripts"));
        Assert.Equal("[]", (await Client.GetReplyAsync("/udf/javascript")).Body);
    }

    [Fact]
    public async Task A_duplicate_a_missing_function_and_an_update_of_a_new_one_answer_as_eKuiper()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/udf/javascript", Area)).Status);

        var duplicate = await Send(HttpMethod.Post, "/udf/javascript", Area);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal(KuiperApi.Envelope("javascript function create command error: Item area already exists"), duplicate.Body);

        var missing = await Client.GetReplyAsync("/udf/javascript/nope");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(KuiperApi.Envelope("describe javascript function nope error: not found"), missing.Body);

        var deleteMissing = await Send(HttpMethod.Delete, "/udf/javascript/nope");
        Assert.Equal(HttpStatusCode.NotFound, deleteMissing.Status);
        Assert.Equal(KuiperApi.Envelope("delete javascript function nope error: nope is not found", 1002), deleteMissing.Body);

        // PUT creates a function that does not exist, under the body's id (the path's is only validated).
        var put = await Send(HttpMethod.Put, "/udf/javascript/other", """{"id":"twice","script":"function twice(x) { return 2 * x; }"}""");
        Assert.Equal("javascript function twice is updated", put.Body);
        Assert.Equal("""["area","twice"]""", (await Client.GetReplyAsync("/udf/javascript")).Body);
        Assert.Equal("""{"id":"twice","description":"","script":"function twice(x) { return 2 * x; }","isAgg":false}""",
            (await Client.GetReplyAsync("/udf/javascript/twice")).Body);
    }

    [Theory]
    [InlineData("GET", "/udf/javascript/bad%20name", null)]
    [InlineData("DELETE", "/udf/javascript/bad%20name", null)]
    [InlineData("PUT", "/udf/javascript/bad%20name", Area)]
    [InlineData("POST", "/udf/javascript", """{"id":"bad name","script":"function f() {}"}""")]
    [InlineData("PUT", "/udf/javascript/area", """{"id":"bad name","script":"function f() {}"}""")]
    public async Task An_invalid_id_is_refused_before_anything_else(string method, string path, string? body)
    {
        await Reset();

        var reply = await Send(new HttpMethod(method), path, body);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(KuiperApi.Envelope("id 'bad name' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"), reply.Body);
        Assert.Equal("{}", await Client.ExportSectionAsync("scripts"));
    }

    [Theory]
    [InlineData("POST", "", "Invalid body: Error decoding the new javascript function json: EOF")]
    [InlineData("POST", """{"id":""", "Invalid body: Error decoding the new javascript function json: unexpected EOF")]
    [InlineData("POST", """{"id":1}""", "Invalid body: Error decoding the new javascript function json: json: cannot unmarshal number into Go struct field Script.id of type string")]
    [InlineData("POST", "[]", "Invalid body: Error decoding the new javascript function json: json: cannot unmarshal array into Go value of type js.Script")]
    [InlineData("POST", """{"script":"function f() {}"}""", "id cannot be empty")]
    [InlineData("PUT", "{x", "Invalid body: Error decoding the javascript function json: invalid character 'x' looking for beginning of object key string")]
    [InlineData("PUT", """{"id":"area","isAgg":"yes"}""", "Invalid body: Error decoding the javascript function json: json: cannot unmarshal string into Go struct field Script.isAgg of type bool")]
    public async Task A_bad_body_is_answered_with_the_decoders_text(string method, string body, string message)
    {
        await Reset();

        var reply = await Send(new HttpMethod(method), method == "POST" ? "/udf/javascript" : "/udf/javascript/area", body);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(KuiperApi.Envelope(message), reply.Body);
        Assert.Equal("{}", await Client.ExportSectionAsync("scripts"));
    }

    [Fact]
    public async Task An_invalid_script_is_refused_with_the_text_an_import_gives()
    {
        await Reset();
        const string script = "function broken() { return 'Hello, World!';";
        var item = JsonSerializer.Serialize(new { id = "broken", description = "", script, isAgg = false });

        var imported = await Client.ImportAsync(JsonSerializer.Serialize(new { scripts = new Dictionary<string, string> { ["broken"] = item } }), "?partial=1");
        Assert.Equal(HttpStatusCode.BadRequest, imported.Status);
        using var envelope = JsonDocument.Parse(imported.Body);
        using var errors = JsonDocument.Parse(envelope.RootElement.GetProperty("message").GetString()!);
        var importText = errors.RootElement.GetProperty("scripts").GetProperty("broken").GetString()!;
        Assert.StartsWith("failed to interprete script: SyntaxError", importText);

        var created = await Send(HttpMethod.Post, "/udf/javascript", item);
        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Equal(KuiperApi.Envelope($"javascript function create command error: {importText}"), created.Body);
        var updated = await Send(HttpMethod.Put, "/udf/javascript/broken", item);
        Assert.Equal(KuiperApi.Envelope($"javascript function update command error: {importText}"), updated.Body);

        var noFunction = await Send(HttpMethod.Post, "/udf/javascript", """{"id":"area","script":"function other() {}"}""");
        Assert.Equal(KuiperApi.Envelope("javascript function create command error: cannot find function \"area\" in script"), noFunction.Body);
        Assert.Equal("{}", await Client.ExportSectionAsync("scripts"));
    }

    [Fact]
    public async Task A_bad_script_is_reported_before_a_duplicate_as_eKuiper_checks_it_first()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/udf/javascript", Area)).Status);

        var reply = await Send(HttpMethod.Post, "/udf/javascript", """{"id":"area","script":"var x = 1;"}""");
        Assert.Equal(KuiperApi.Envelope("javascript function create command error: cannot find function \"area\" in script"), reply.Body);
        Assert.Equal(Area, (await Client.GetReplyAsync("/udf/javascript/area")).Body);
    }

    [Fact]
    public async Task An_imported_function_is_served_too()
    {
        await Reset();
        var bundle = JsonSerializer.Serialize(new { scripts = new Dictionary<string, string> { ["area"] = Area } });
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(bundle, "?partial=1")).Status);

        Assert.Equal("""["area"]""", (await Client.GetReplyAsync("/udf/javascript")).Body);
        Assert.Equal(Area, (await Client.GetReplyAsync("/udf/javascript/area")).Body);
    }
}
