using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>
/// <c>/config/uploads</c> on one node: eKuiper's codes and texts, names kept inside the uploads folder, the file on
/// disk when the reply arrives, uploads sent the way users send them (curl's <c>-F</c>, JSON).
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class UploadEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private HttpClient Client => fixture.Client;
    private string Uploads => Path.Combine(fixture.Node.DataDir, "uploads");

    public void Dispose() => _work.Dispose();

    internal static async Task<Reply> PostJsonAsync(HttpClient client, string json) =>
        await Reply.From(await client.PostAsync("/config/uploads", new StringContent(json, Encoding.UTF8, "application/json")));

    private Task<Reply> PostJsonAsync(string json) => PostJsonAsync(Client, json);

    private async Task<Reply> DeleteAsync(string name) => await Reply.From(await Client.DeleteAsync($"/config/uploads/{name}"));

    private async Task<IReadOnlyList<string>> ListAsync()
    {
        var reply = await Client.GetReplyAsync("/config/uploads");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith("application/json", reply.ContentType);
        return JsonSerializer.Deserialize<string[]>(reply.Body)!;
    }

    [Fact]
    public async Task A_json_upload_is_on_disk_at_the_reply_listed_exported_and_deleted()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);

        var created = await PostJsonAsync("""{"Name": "rule-input.json", "Content": "{\"temperature\":21}"}""");

        Assert.Equal((HttpStatusCode.Created, $"{Uploads}/rule-input.json", "text/plain; charset=utf-8"), (created.Status, created.Body, created.ContentType));
        Assert.Equal("""{"temperature":21}""", await File.ReadAllTextAsync(Path.Combine(Uploads, "rule-input.json")));
        Assert.Equal([$"{Uploads}/rule-input.json"], await ListAsync());
        Assert.Contains("""
            "uploads":{"rule-input.json":"{\"name\":\"rule-input.json\",\"content\":\"{\\\"temperature\\\":21}\"}"}
            """.Trim(), await Client.ExportAsync());

        // Uploaded from a file already in uploads, as eKuiper's own test does.
        var copied = await PostJsonAsync($$"""{"name":"copy.json","file":"file://{{Uploads}}/rule-input.json"}""");
        Assert.Equal((HttpStatusCode.Created, $"{Uploads}/copy.json"), (copied.Status, copied.Body));
        Assert.Equal("""{"temperature":21}""", await File.ReadAllTextAsync(Path.Combine(Uploads, "copy.json")));

        var deleted = await DeleteAsync("rule-input.json");

        Assert.Equal((HttpStatusCode.OK, "ok"), (deleted.Status, deleted.Body));
        Assert.False(File.Exists(Path.Combine(Uploads, "rule-input.json")));
        Assert.Equal([$"{Uploads}/copy.json"], await ListAsync());
        Assert.Contains("""
            "uploads":{"copy.json":
            """.Trim(), await Client.ExportAsync());
        var again = await DeleteAsync("rule-input.json");
        Assert.Equal((HttpStatusCode.BadRequest, KuiperApi.Envelope("Error deleting the file: removeat rule-input.json: no such file or directory")),
            (again.Status, again.Body));
    }

    [Theory]
    [InlineData("", "Invalid body: Error decoding file json: EOF")]
    [InlineData("""{"Name": "test.txt", "Content": test}""", "Invalid body: Error decoding file json: invalid character 'e' in literal true (expecting 'r')")]
    [InlineData("""{"name": 1}""", "Invalid body: Error decoding file json: json: cannot unmarshal number into Go struct field fileContent.name of type string")]
    [InlineData("""{"Name": "test.txt", "Contents": "test"}""", "Invalid body: missing necessary field: invalid body: content or FilePath is required")]
    [InlineData("""{"Content": "test"}""", "Invalid body: missing necessary field: invalid body: name is required")]
    [InlineData("""{"name": "../escape.txt", "content": "x"}""", "Upload error: getFile has error: openat ../escape.txt: path escapes from parent")]
    [InlineData("""{"name": "/etc/cron.d/x", "content": "x"}""", "Upload error: getFile has error: openat /etc/cron.d/x: path escapes from parent")]
    [InlineData("""{"name": "a\u0000b", "content": "x"}""", "Upload error: getFile has error: openat a\u0000b: path escapes from parent")]
    [InlineData("""{"name": "missing-source.txt", "file": "file:///nowhere/x.txt"}""", "Upload error: getFile has error: file access denied: path must be under {uploads}")]
    public async Task Json_uploads_are_refused_with_ekuipers_texts(string body, string expected)
    {
        var reply = await PostJsonAsync(body);

        Assert.Equal((HttpStatusCode.BadRequest, KuiperApi.Envelope(expected.Replace("{uploads}", Uploads))), (reply.Status, reply.Body));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(fixture.Node.DataDir)!, "escape.txt")));
    }

    [Fact]
    public async Task A_name_with_folders_stays_inside_uploads()
    {
        var reply = await PostJsonAsync("""{"name": "subdir/sub_test.txt", "content": "subdir content"}""");

        Assert.Equal((HttpStatusCode.Created, $"{Uploads}/subdir/sub_test.txt"), (reply.Status, reply.Body));
        Assert.Equal("subdir content", await File.ReadAllTextAsync(Path.Combine(Uploads, "subdir", "sub_test.txt")));
        Assert.Contains($"{Uploads}/subdir", await ListAsync());
        var backslash = await DeleteAsync("a%5Cb");
        Assert.Equal((HttpStatusCode.BadRequest, KuiperApi.Envelope("Error deleting the file: removeat a\\b: path escapes from parent")),
            (backslash.Status, backslash.Body));
    }

    [Fact]
    public async Task A_multipart_upload_from_curl_is_stored_for_file_imports_and_exported_by_its_path()
    {
        var plugin = Path.Join(_work.Path, "tdengine.so");
        await File.WriteAllTextAsync(plugin, "ELF");
        ArchiveTools.Zip(_work.Path, "-q", "tdengine.zip", "tdengine.so");
        var zip = await File.ReadAllBytesAsync(Path.Join(_work.Path, "tdengine.zip"));

        var (status, body) = await Curl.RunAsync(new Uri(fixture.Node.BaseAddress, "/config/uploads"), "-F", $"uploadFile=@{_work.Path}/tdengine.zip");

        Assert.Equal((HttpStatusCode.Created, $"{Uploads}/tdengine.zip"), (status, body));
        Assert.Equal(zip, await File.ReadAllBytesAsync(Path.Combine(Uploads, "tdengine.zip")));
        Assert.Contains($"\\\"name\\\":\\\"tdengine.zip\\\",\\\"file\\\":\\\"file://{Uploads}/tdengine.zip\\\"", await Client.ExportAsync());

        var imported = await Client.ImportAsync(JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            ["nativePlugins"] = new() { ["sinks_tdengine"] = JsonSerializer.Serialize(new { name = "tdengine", file = $"file://{Uploads}/tdengine.zip" }) },
        }), "?partial=1");
        Assert.Equal(HttpStatusCode.OK, imported.Status);
        Assert.Equal("ELF", await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDir, "plugins", "sinks", "tdengine.so")));
    }

    [Fact]
    public async Task A_full_import_installs_a_plugin_from_an_uploaded_zip_and_replaces_the_uploads()
    {
        await File.WriteAllTextAsync(Path.Join(_work.Path, "geo.so"), "ELF");
        ArchiveTools.Zip(_work.Path, "-q", "geo.zip", "geo.so");
        Assert.Equal(HttpStatusCode.Created,
            (await Curl.RunAsync(new Uri(fixture.Node.BaseAddress, "/config/uploads"), "-F", $"uploadFile=@{_work.Path}/geo.zip")).Status);

        // The bundle names no uploads: its uploads stage replaces them before the plugin stage reads the zip.
        var imported = await Client.ImportAsync(JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            ["nativePlugins"] = new() { ["functions_geo"] = JsonSerializer.Serialize(new { name = "geo", file = $"file://{Uploads}/geo.zip" }) },
        }));

        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (imported.Status, imported.Body));
        Assert.Equal("ELF", await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDir, "plugins", "functions", "geo.so")));
        Assert.False(File.Exists(Path.Combine(Uploads, "geo.zip")));
        Assert.Contains("\"uploads\":{}", await Client.ExportAsync());
    }

    [Fact]
    public async Task Multipart_requests_without_the_file_or_not_multipart_are_refused()
    {
        var other = Path.Join(_work.Path, "a.txt");
        await File.WriteAllTextAsync(other, "a");

        Assert.Equal((HttpStatusCode.BadRequest, KuiperApi.Envelope("Error Retrieving the File: http: no such file")),
            await Curl.RunAsync(new Uri(fixture.Node.BaseAddress, "/config/uploads"), "-F", $"otherFile=@{other}"));
        var plain = await Reply.From(await Client.PostAsync("/config/uploads", new StringContent("a", Encoding.UTF8, "text/plain")));
        Assert.Equal((HttpStatusCode.BadRequest, KuiperApi.Envelope("Error parse the multi part form: request Content-Type isn't multipart/form-data")),
            (plain.Status, plain.Body));
    }

    [Fact]
    public async Task A_multipart_file_name_keeps_only_its_last_element()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("x"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "uploadFile", "../../escape-form.txt");

        var reply = await Reply.From(await Client.PostAsync("/config/uploads", form));

        Assert.Equal((HttpStatusCode.Created, $"{Uploads}/escape-form.txt"), (reply.Status, reply.Body));
        Assert.True(File.Exists(Path.Combine(Uploads, "escape-form.txt")));
        var deleted = await DeleteAsync("escape-form.txt");
        Assert.Equal((HttpStatusCode.OK, "ok"), (deleted.Status, deleted.Body));
    }

    [Fact]
    public async Task A_file_put_in_uploads_by_hand_is_listed_and_deleted_on_this_node()
    {
        Directory.CreateDirectory(Uploads);
        await File.WriteAllTextAsync(Path.Combine(Uploads, "by-hand.txt"), "h");

        Assert.Contains($"{Uploads}/by-hand.txt", await ListAsync());
        var deleted = await DeleteAsync("by-hand.txt");

        Assert.Equal((HttpStatusCode.OK, "ok"), (deleted.Status, deleted.Body));
        Assert.False(File.Exists(Path.Combine(Uploads, "by-hand.txt")));
    }
}

/// <summary>The size limit (<c>Kuiper:Import:MaxUploadBytes</c>), enforced while the request is read.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class UploadLimitTests
{
    [Fact]
    public async Task Uploads_larger_than_the_limit_are_refused_and_nothing_is_written()
    {
        await using var node = await NodeProcess.StartAsync(null, "--Kuiper:Import:MaxUploadBytes=1024");
        var uploads = Path.Combine(node.DataDir, "uploads");
        // Large bodies go as curl sends them: it waits for 100-continue, so a refused body is never sent.
        async Task<Reply> Send(HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/config/uploads") { Content = content };
            request.Headers.ExpectContinue = true;
            return await Reply.From(await node.Client.SendAsync(request));
        }
        Task<Reply> Multipart(string name, int size) =>
            Send(new MultipartFormDataContent { { new ByteArrayContent(new byte[size]), "uploadFile", name } });

        Assert.Equal(HttpStatusCode.Created, (await Multipart("fits.bin", 1024)).Status);
        var tooLarge = await Multipart("large.bin", 1025);
        var farTooLarge = await Multipart("huge.bin", 3 * 1024 * 1024);
        var content = await UploadEndpointTests.PostJsonAsync(node.Client, JsonSerializer.Serialize(new { name = "large.json", content = new string('x', 1025) }));
        var body = await Send(new StringContent(JsonSerializer.Serialize(new { name = "body.json", content = new string('x', 3 * 1024 * 1024) }),
            Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, KuiperApi.Envelope("Error parse the multi part form: http: request body too large")),
            (tooLarge.Status, tooLarge.Body));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, KuiperApi.Envelope("Error parse the multi part form: http: request body too large")),
            (farTooLarge.Status, farTooLarge.Body));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, KuiperApi.Envelope("Upload error: getFile has error: content is larger than 1024 bytes")),
            (content.Status, content.Body));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, KuiperApi.Envelope("Invalid body: Error decoding file json: http: request body too large")),
            (body.Status, body.Body));
        Assert.Equal(["fits.bin"], Directory.EnumerateFileSystemEntries(uploads).Select(Path.GetFileName));
    }
}
