using System.Net;
using System.Text;
using System.Text.Json;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>
/// eKuiper's plugin, service and schema endpoints written to one node: created, described, listed, updated and
/// deleted, with eKuiper's status codes and texts, and the written artefact in <c>GET /data/export</c>.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class ArtefactEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.Client;
    private string Uploads => Path.Combine(fixture.Node.DataDir, "uploads");

    private string PutInUploads(string name, byte[] content)
    {
        Directory.CreateDirectory(Uploads);
        var path = Path.Combine(Uploads, name);
        File.WriteAllBytes(path, content);
        return $"file://{path}";
    }

    private Task<Reply> Send(HttpMethod method, string path, string? body = null) => Client.SendAsync(method, path, body);

    /// <summary>Escapes as Go does for these texts: <c>"</c> as <c>\"</c>, <c>'</c> kept.</summary>
    private static readonly JsonSerializerOptions GoLike = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(object value) => JsonSerializer.Serialize(value, GoLike);

    private static string Envelope(int code, string message) => $"{{\"error\":{code},\"message\":{JsonSerializer.Serialize(message, GoLike)}}}\n";

    private static void Expect(HttpStatusCode status, string body, Reply reply)
    {
        Assert.Equal(body, reply.Body);
        Assert.Equal(status, reply.Status);
    }

    /// <summary>The export's section of one kind, as a map of key to item JSON.</summary>
    private async Task<Dictionary<string, string>> ExportedAsync(string kind) =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(await Client.ExportAsync())![kind];

    [Fact]
    public async Task A_native_sink_plugin_is_created_described_listed_updated_and_deleted()
    {
        var first = PutInUploads("tdw.zip", new ZipBuilder().File("tdw.so", "ELF").Build());
        var second = PutInUploads("tdw2.zip", new ZipBuilder().File("tdw@v2.0.0.so", "ELF2").Build());

        Expect(HttpStatusCode.Created, "sinks plugin tdw is created", await Send(HttpMethod.Post, "/plugins/sinks", Json(new { name = "tdw", file = first })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "sinks plugins create command error: invalid name tdw: duplicate"),
            await Send(HttpMethod.Post, "/plugins/sinks", Json(new { name = "tdw", file = first })));
        Assert.Contains("\"tdw\"", (await Client.GetReplyAsync("/plugins/sinks")).Body);
        Assert.DoesNotContain("\"tdw\"", (await Client.GetReplyAsync("/plugins/sources")).Body);
        var described = await Client.GetReplyAsync("/plugins/sinks/tdw");
        Assert.Equal(HttpStatusCode.OK, described.Status);
        Assert.StartsWith("""{"name":"tdw","version":"",""", described.Body);
        Assert.Contains("\"installed\":true", described.Body);
        Assert.True(File.Exists(Path.Combine(fixture.Node.DataDir, "plugins", "sinks", "tdw.so")));
        Assert.Equal(Json(new { name = "tdw", file = first }), (await ExportedAsync("nativePlugins"))["sinks_tdw"]);

        Expect(HttpStatusCode.OK, "plugin tdw is updated", await Send(HttpMethod.Put, "/plugins/sinks/tdw", Json(new { name = "tdw", file = second })));
        Assert.Contains("\"version\":\"v2.0.0\"", (await Client.GetReplyAsync("/plugins/sinks/tdw")).Body);
        Assert.Equal(Json(new { name = "tdw", file = second }), (await ExportedAsync("nativePlugins"))["sinks_tdw"]);
        Expect(HttpStatusCode.NotFound, Envelope(1002, "update sinks plugin nope error, cannot delete old version: invalid name nope: not exist"),
            await Send(HttpMethod.Put, "/plugins/sinks/nope", Json(new { name = "nope", file = second })));

        Expect(HttpStatusCode.OK, "sinks plugin tdw is deleted", await Send(HttpMethod.Delete, "/plugins/sinks/tdw"));
        Assert.False(File.Exists(Path.Combine(fixture.Node.DataDir, "plugins", "sinks", "tdw@v2.0.0.so")));
        Assert.False((await ExportedAsync("nativePlugins")).ContainsKey("sinks_tdw"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "delete sinks plugin tdw error: invalid name tdw: not exist"), await Send(HttpMethod.Delete, "/plugins/sinks/tdw"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "describe sinks plugin tdw error: not found"), await Client.GetReplyAsync("/plugins/sinks/tdw"));
    }

    [Fact]
    public async Task Native_plugin_requests_that_eKuiper_refuses_are_refused_with_its_texts_and_change_nothing()
    {
        var zip = PutInUploads("src1.zip", new ZipBuilder().File("src1.so", "ELF").Build());
        var before = await Client.ExportAsync();

        Expect(HttpStatusCode.NotFound, Envelope(1002, "invalid plugin type widgets"), await Client.GetReplyAsync("/plugins/widgets"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "invalid plugin type widgets"), await Send(HttpMethod.Post, "/plugins/widgets", "{}"));
        Expect(HttpStatusCode.BadRequest,
            Envelope(1000, "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"),
            await Client.GetReplyAsync("/plugins/sinks/a%20b"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: Error decoding the sources plugin json: EOF"), await Send(HttpMethod.Post, "/plugins/sources", ""));
        Expect(HttpStatusCode.BadRequest,
            Envelope(1000, "Invalid body: Error decoding the sources plugin json: json: cannot unmarshal number into Go struct field IOPlugin.name of type string"),
            await Send(HttpMethod.Post, "/plugins/sources", """{"name":1}"""));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "id cannot be empty"), await Send(HttpMethod.Post, "/plugins/sources", Json(new { file = zip })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "sources plugins create command error: invalid uri src1.zip"),
            await Send(HttpMethod.Post, "/plugins/sources", Json(new { name = "src1", file = "src1.zip" })));
        // A source plugin needs its yaml too: the import's archive check, eKuiper's text.
        var refused = await Send(HttpMethod.Post, "/plugins/sources", Json(new { name = "src1", file = zip }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.StartsWith("""{"error":1000,"message":"sources plugins create command error: fail to install plugin: invalid zip file: expectFiles: 3""", refused.Body);

        Assert.Equal(before, await Client.ExportAsync());
    }

    [Fact]
    public async Task Delete_with_stop_says_the_node_keeps_running()
    {
        var zip = PutInUploads("stopper.zip", new ZipBuilder().File("stopper.so", "ELF").Build());
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/plugins/sinks", Json(new { name = "stopper", file = zip }))).Status);

        Expect(HttpStatusCode.OK,
            "sinks plugin stopper is deleted and removed from every node; the node was not stopped: it runs no plugins, so nothing needs a restart",
            await Send(HttpMethod.Delete, "/plugins/sinks/stopper?stop=1"));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/ping")).StatusCode);
    }

    [Fact]
    public async Task A_function_plugin_s_functions_are_listed_described_and_registered_again()
    {
        var zip = PutInUploads("mathx.zip", new ZipBuilder().File("mathx.so", "ELF").Build());

        Expect(HttpStatusCode.Created, "functions plugin mathx is created",
            await Send(HttpMethod.Post, "/plugins/functions", Json(new { name = "mathx", file = zip, functions = new[] { "fone", "ftwo" } })));
        var udfs = await Client.GetReplyAsync("/plugins/udfs");
        Assert.Contains("\"fone\",\"ftwo\"", udfs.Body);
        Expect(HttpStatusCode.OK, """{"name":"ftwo","plugin":"mathx"}""", await Client.GetReplyAsync("/plugins/udfs/ftwo"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "describe function nope error: not found"), await Client.GetReplyAsync("/plugins/udfs/nope"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "functions plugins create command error: function name fone already exists"),
            await Send(HttpMethod.Post, "/plugins/functions", Json(new { name = "other", file = zip, functions = new[] { "fone" } })));

        Expect(HttpStatusCode.OK, "function plugin mathx function list is registered",
            await Send(HttpMethod.Post, "/plugins/functions/mathx/register", """{"functions":["gone"]}"""));
        Expect(HttpStatusCode.OK, """{"name":"gone","plugin":"mathx"}""", await Client.GetReplyAsync("/plugins/udfs/gone"));
        Assert.DoesNotContain("\"fone\"", (await Client.GetReplyAsync("/plugins/udfs")).Body);
        Assert.Equal(Json(new { name = "mathx", file = zip, functions = new[] { "gone" } }), (await ExportedAsync("nativePlugins"))["functions_mathx"]);

        Expect(HttpStatusCode.BadRequest, Envelope(1000, "function plugins mathx regiser functions error: property 'functions' must not be empty"),
            await Send(HttpMethod.Post, "/plugins/functions/mathx/register", """{"functions":[]}"""));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: Error decoding the function list json: EOF"),
            await Send(HttpMethod.Post, "/plugins/functions/mathx/register", ""));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "register functions plugin nope error: not found"),
            await Send(HttpMethod.Post, "/plugins/functions/nope/register", """{"functions":["x"]}"""));
        Expect(HttpStatusCode.OK, "functions plugin mathx is deleted", await Send(HttpMethod.Delete, "/plugins/functions/mathx"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "describe function gone error: not found"), await Client.GetReplyAsync("/plugins/udfs/gone"));
    }

    [Fact]
    public async Task A_portable_plugin_made_with_python_s_zipfile_is_created_described_updated_and_deleted()
    {
        using var work = new TempDir();
        static string Manifest(string version) =>
            Json(new { name = "pyrev", version, language = "python", executable = "pyrev.py", functions = new[] { "revert" } });
        var first = PutInUploads("pyrev.zip", ArchiveTools.PythonWritestr(work.Path, ("pyrev.json", Manifest("v1.0.0")), ("pyrev.py", "print(1)")));
        var second = PutInUploads("pyrev2.zip", ArchiveTools.PythonWritestr(work.Path, ("pyrev.json", Manifest("v1.1.0")), ("pyrev.py", "print(2)")));

        Expect(HttpStatusCode.Created, "portable plugin pyrev is created", await Send(HttpMethod.Post, "/plugins/portables", Json(new { name = "pyrev", file = first })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "portable plugin create command error: invalid name pyrev: duplicate"),
            await Send(HttpMethod.Post, "/plugins/portables", Json(new { name = "pyrev", file = first })));
        Assert.Contains("\"name\":\"pyrev\",\"version\":\"v1.0.0\"", (await Client.GetReplyAsync("/plugins/portables")).Body);
        Assert.Contains("\"functions\":[\"revert\"]", (await Client.GetReplyAsync("/plugins/portables/pyrev")).Body);
        var status = await Client.GetReplyAsync("/plugins/portables/pyrev/status");
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.StartsWith("""{"refCount":{},"status":"stop","errMsg":"","nodes":[{""", status.Body);
        Assert.Equal(Json(new { name = "pyrev", file = first }), (await ExportedAsync("portablePlugins"))["pyrev"]);

        Expect(HttpStatusCode.OK, "portable plugin pyrev is updated", await Send(HttpMethod.Put, "/plugins/portables/pyrev", Json(new { name = "pyrev", file = second })));
        Assert.Contains("\"version\":\"v1.1.0\"", (await Client.GetReplyAsync("/plugins/portables/pyrev")).Body);
        Assert.Equal("print(2)", await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDir, "plugins", "portable", "pyrev", "pyrev.py")));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: Error decoding the portable plugin json: EOF"), await Send(HttpMethod.Put, "/plugins/portables/pyrev", ""));

        Expect(HttpStatusCode.OK, "portable plugin pyrev is deleted", await Send(HttpMethod.Delete, "/plugins/portables/pyrev"));
        Assert.False((await ExportedAsync("portablePlugins")).ContainsKey("pyrev"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "delete portable plugin pyrev error: portable plugin pyrev is not found"),
            await Send(HttpMethod.Delete, "/plugins/portables/pyrev"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "describe portable plugin pyrev error: not found"), await Client.GetReplyAsync("/plugins/portables/pyrev"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "portable plugin pyrev not found: not found"), await Client.GetReplyAsync("/plugins/portables/pyrev/status"));
    }

    [Fact]
    public async Task A_service_is_created_described_listed_updated_and_deleted()
    {
        static byte[] Service(string address) => new ZipBuilder().File("tsvc.json", Json(new
        {
            about = new { author = new { name = "test" } },
            interfaces = new Dictionary<string, object> { ["tsrest"] = new { address, protocol = "rest", schemaless = true } },
        })).Build();
        var first = PutInUploads("tsvc.zip", Service("http://localhost:8090"));
        var second = PutInUploads("tsvc2.zip", Service("http://localhost:8091"));

        Expect(HttpStatusCode.Created, "service tsvc is created", await Send(HttpMethod.Post, "/services", Json(new { name = "tsvc", file = first })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "service create command error: service tsvc exist"),
            await Send(HttpMethod.Post, "/services", Json(new { name = "tsvc", file = first })));
        Assert.Contains("\"tsvc\"", (await Client.GetReplyAsync("/services")).Body);
        Assert.Contains("\"installed\":true", (await Client.GetReplyAsync("/services/tsvc")).Body);
        Assert.Contains("""{"FuncName":"tsrest","ServiceName":"tsvc"}""", (await Client.GetReplyAsync("/services/functions")).Body);
        Expect(HttpStatusCode.OK, """{"FuncName":"tsrest","ServiceName":"tsvc"}""", await Client.GetReplyAsync("/services/functions/tsrest"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "describe function nope error: not found"), await Client.GetReplyAsync("/services/functions/nope"));
        Assert.Equal(Json(new { name = "tsvc", file = first }), (await ExportedAsync("Service"))["tsvc"]);

        // The path names the service, whatever the body says.
        Expect(HttpStatusCode.OK, "service tsvc is updated", await Send(HttpMethod.Put, "/services/tsvc", Json(new { name = "ignored", file = second })));
        Assert.Equal(Json(new { name = "tsvc", file = second }), (await ExportedAsync("Service"))["tsvc"]);
        Assert.Contains("8091", await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDir, "services", "tsvc.json")));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "service update command error: nope is not found"),
            await Send(HttpMethod.Put, "/services/nope", Json(new { name = "nope", file = second })));

        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: Error decoding the %s service request payload: EOF"), await Send(HttpMethod.Post, "/services", ""));
        Expect(HttpStatusCode.BadRequest,
            Envelope(1000, "id 'a.b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"),
            await Send(HttpMethod.Post, "/services", Json(new { name = "a.b", file = first })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "service create command error: cannot find the json descriptor file other.json for service"),
            await Send(HttpMethod.Post, "/services", Json(new { name = "other", file = first })));

        Expect(HttpStatusCode.OK, "service tsvc is deleted", await Send(HttpMethod.Delete, "/services/tsvc"));
        Assert.False((await ExportedAsync("Service")).ContainsKey("tsvc"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "delete service tsvc error: tsvc is not found"), await Send(HttpMethod.Delete, "/services/tsvc"));
        Expect(HttpStatusCode.NotFound, Envelope(1002, "describe service tsvc error: not found"), await Client.GetReplyAsync("/services/tsvc"));
    }

    [Fact]
    public async Task A_schema_is_created_described_listed_updated_and_deleted()
    {
        const string proto = "syntax = \"proto3\";message Book {string name = 1;}";

        Expect(HttpStatusCode.Created, "protobuf schema book is created", await Send(HttpMethod.Post, "/schemas/protobuf", Json(new { name = "book", content = proto })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "schema create command error: schema protobuf.book already registered"),
            await Send(HttpMethod.Post, "/schemas/protobuf", Json(new { name = "book", content = proto })));
        Assert.Contains("\"book\"", (await Client.GetReplyAsync("/schemas/protobuf")).Body);
        Assert.DoesNotContain("\"book\"", (await Client.GetReplyAsync("/schemas/custom")).Body);
        Assert.Contains("\"installed\":true", (await Client.GetReplyAsync("/schemas/protobuf/book")).Body);
        Assert.Equal(proto, await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDir, "schemas", "protobuf", "book.proto")));
        Assert.Equal(Json(new { type = "protobuf", name = "book", content = proto }), (await ExportedAsync("Schema"))["protobuf_book"]);

        Expect(HttpStatusCode.OK, "protobuf schema book is updated",
            await Send(HttpMethod.Put, "/schemas/protobuf/book", Json(new { content = proto + "//2", version = "2" })));
        Assert.Contains("\"version\":\"2\"", (await Client.GetReplyAsync("/schemas/protobuf/book")).Body);
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "schema update command error: schema protobuf.book already registered with a newer version 2"),
            await Send(HttpMethod.Put, "/schemas/protobuf/book", Json(new { content = proto, version = "1" })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: Type or name does not match"),
            await Send(HttpMethod.Put, "/schemas/protobuf/book", Json(new { name = "other", content = proto })));
        Assert.Equal(Json(new { type = "protobuf", name = "book", content = proto + "//2", version = "2" }), (await ExportedAsync("Schema"))["protobuf_book"]);

        Expect(HttpStatusCode.OK, "protobuf schema book is deleted", await Send(HttpMethod.Delete, "/schemas/protobuf/book"));
        Assert.False((await ExportedAsync("Schema")).ContainsKey("protobuf_book"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "delete protobuf schema book error: schema protobuf.book not found"),
            await Send(HttpMethod.Delete, "/schemas/protobuf/book"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "schema type protobuf id book not found in registry"), await Client.GetReplyAsync("/schemas/protobuf/book"));
    }

    [Fact]
    public async Task Schema_requests_that_eKuiper_refuses_are_refused_with_its_texts_and_change_nothing()
    {
        var before = await Client.ExportAsync();

        Expect(HttpStatusCode.BadRequest, Envelope(1000, "schema type avro not found"), await Client.GetReplyAsync("/schemas/avro"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "schema type avro not found in registry"), await Client.GetReplyAsync("/schemas/avro/x"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: Error decoding schema json: EOF"), await Send(HttpMethod.Post, "/schemas/protobuf", ""));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: must specify content or file"), await Send(HttpMethod.Post, "/schemas/protobuf", Json(new { name = "x" })));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "Invalid body: unsupported schema type avro"), await Send(HttpMethod.Post, "/schemas/avro", Json(new { name = "x", content = "c" })));
        Expect(HttpStatusCode.BadRequest,
            Envelope(1000, "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"),
            await Send(HttpMethod.Post, "/schemas/protobuf", Json(new { name = "a b", content = "c" })));
        Expect(HttpStatusCode.BadRequest,
            Envelope(1000, "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"),
            await Send(HttpMethod.Delete, "/schemas/protobuf/a%20b"));
        Expect(HttpStatusCode.BadRequest, Envelope(1000, "delete avro schema x error: schema type avro not found"), await Send(HttpMethod.Delete, "/schemas/avro/x"));

        Assert.Equal(before, await Client.ExportAsync());
    }

    private async Task<HttpResponseMessage> UploadAsync(string path, byte[] file, string fileName, string? version = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file), "file", fileName);
        if (version is not null) form.Add(new StringContent(version), "version");
        return await Client.PutAsync(path, form);
    }

    [Fact]
    public async Task A_schema_file_is_uploaded_as_multipart_then_replaced_by_a_newer_version()
    {
        const string proto = "syntax = \"proto3\";message Up {string a = 1;}";

        using (var created = await UploadAsync("/schemas/protobuf/up/upload", Encoding.UTF8.GetBytes(proto), "up.proto"))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/schemas/protobuf/up", created.Headers.Location?.OriginalString);
            Assert.Equal("application/json", created.Content.Headers.ContentType?.MediaType);
            Assert.Equal("""{"type":"protobuf","name":"up"}""", await created.Content.ReadAsStringAsync());
        }
        Assert.Equal(proto, await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDir, "schemas", "protobuf", "up.proto")));

        var zip = new ZipBuilder().File("up.proto", proto + "//3").File("up/dep.proto", "syntax = \"proto3\";").Build();
        using (var replaced = await UploadAsync("/schemas/protobuf/up/upload", zip, "up.zip", version: "3"))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.Equal("""{"type":"protobuf","name":"up"}""", await replaced.Content.ReadAsStringAsync());
        }
        Assert.True(File.Exists(Path.Combine(fixture.Node.DataDir, "schemas", "protobuf", "up@3.proto")));
        Assert.True(File.Exists(Path.Combine(fixture.Node.DataDir, "schemas", "protobuf", "up", "dep.proto")));
        Assert.Contains("\"version\":\"3\"", (await Client.GetReplyAsync("/schemas/protobuf/up")).Body);
        Assert.Contains("\"version\":\"3\"", (await ExportedAsync("Schema"))["protobuf_up"]);

        using (var older = await UploadAsync("/schemas/protobuf/up/upload", Encoding.UTF8.GetBytes(proto), "up.proto", version: "1"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, older.StatusCode);
            Assert.Equal("""{"error":1000,"message":"schema upsert error: schema protobuf.up already registered with a newer version 3"}""",
                await older.Content.ReadAsStringAsync());
        }
        using (var custom = await UploadAsync("/schemas/custom/up/upload", [1, 2], "up.so"))
            Assert.Equal("""{"error":1000,"message":"Invalid schema: soFile is required"}""", await custom.Content.ReadAsStringAsync());
        var notMultipart = await Send(HttpMethod.Put, "/schemas/protobuf/up/upload", "{}");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notMultipart.Status);
        Assert.Equal("""{"error":1000,"message":"Invalid content type: content type must be multipart/form-data"}""", notMultipart.Body);
        using var noFile = new MultipartFormDataContent { { new StringContent("2"), "version" } };
        using (var missing = await Client.PutAsync("/schemas/protobuf/up/upload", noFile))
            Assert.Equal("""{"error":1000,"message":"Invalid multipart body: file field is required"}""", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, "/schemas/protobuf/up")).Status);
    }
}
