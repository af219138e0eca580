using System.Net;
using System.Text.Json;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>
/// The node that takes an import answers once its own data dir holds what the import stored (docs/decisions.md#answer-after-files): a
/// script may use the files right after the 200, with no wait. Archives are made with Python's zipfile and Info-ZIP.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[FullTier("starts a node process")]
public sealed class InstallBeforeReplyTests(NodeFixture fixture) : IClassFixture<NodeFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private HttpClient Client => fixture.Client;
    private string DataDir => fixture.Node.DataDir;
    private string Uploads => Path.Combine(DataDir, "uploads");

    public void Dispose() => _work.Dispose();

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string Bundle(Dictionary<string, Dictionary<string, string>> sections) => JsonSerializer.Serialize(sections);

    /// <summary>The archives users make, put where file:// may read them.</summary>
    internal static Dictionary<string, string> ArtefactFiles(string work, string uploads)
    {
        Directory.CreateDirectory(uploads);
        Directory.CreateDirectory(Path.Join(work, "pysam", "sources"));
        File.WriteAllText(Path.Join(work, "pysam", "pysam.json"),
            """{"name":"pysam","version":"v1.0.0","language":"python","executable":"pysam.py","sources":["pyjson"],"sinks":[],"functions":[]}""");
        File.WriteAllText(Path.Join(work, "pysam", "pysam.py"), "print('hello')\n");
        File.SetUnixFileMode(Path.Join(work, "pysam", "pysam.py"), (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Join(work, "pysam", "sources", "pyjson.yaml"), "default: {}\n");
        File.WriteAllText(Path.Join(work, "tdengine.so"), "ELF");

        // Python's write (real files, real modes) for the portable plugin, writestr (no file-type bits) for the service.
        ArchiveTools.Python(Path.Join(work, "pysam"), """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                for name in ["pysam.json", "pysam.py", "sources/pyjson.yaml"]:
                    z.write(name)
            """, Path.Join(uploads, "pysam.zip"));
        File.WriteAllBytes(Path.Join(uploads, "sample.zip"), ArchiveTools.PythonWritestr(work,
            ("sample.json", """{"about":{"author":{"name":"EMQ"}},"interfaces":{"rest":{"address":"http://localhost:51234","protocol":"rest","schemaless":true}}}""")));
        // Info-ZIP for the native plugin.
        ArchiveTools.Zip(work, "-q", Path.Join(uploads, "tdengine.zip"), "tdengine.so");

        return new Dictionary<string, string>
        {
            ["nativePlugins"] = Json(new { name = "tdengine", file = $"file://{uploads}/tdengine.zip" }),
            ["portablePlugins"] = Json(new { name = "pysam", file = $"file://{uploads}/pysam.zip" }),
            ["Service"] = Json(new { name = "sample", file = $"file://{uploads}/sample.zip" }),
            ["Schema"] = Json(new { type = "protobuf", name = "book", content = "message Book { string title = 1; }" }),
        };
    }

    internal static string FullBundle(Dictionary<string, string> files) => Bundle(new()
    {
        ["uploads"] = new() { ["rule-input.json"] = Json(new { name = "rule-input.json", content = """{"temperature":21}""" }) },
        ["nativePlugins"] = new() { ["sinks_tdengine"] = files["nativePlugins"] },
        ["portablePlugins"] = new() { ["pysam"] = files["portablePlugins"] },
        ["Service"] = new() { ["sample"] = files["Service"] },
        ["Schema"] = new() { ["protobuf_book"] = files["Schema"] },
    });

    /// <summary>Data-dir-relative files every import of <see cref="FullBundle"/> installs.</summary>
    internal static readonly string[] Installed =
    [
        "uploads/rule-input.json",
        "plugins/sinks/tdengine.so",
        "plugins/portable/pysam/pysam.py",
        "plugins/portable/pysam/pysam.json",
        "sources/pyjson.yaml",
        "services/sample.json",
        "schemas/protobuf/book.proto",
    ];

    [Fact]
    public async Task Every_imported_file_is_on_disk_when_the_reply_arrives_and_a_full_import_removes_them_before_it_replies()
    {
        var bundle = FullBundle(ArtefactFiles(_work.Path, Uploads));

        var reply = await Client.ImportAsync(bundle);

        // No wait: every file is read right after the 200.
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (reply.Status, reply.Body));
        Assert.Equal("""{"temperature":21}""", await File.ReadAllTextAsync(Path.Combine(Uploads, "rule-input.json")));
        Assert.All(Installed, file => Assert.True(File.Exists(Path.Combine(DataDir, file)), file));
        Assert.Equal("ELF", await File.ReadAllTextAsync(Path.Combine(DataDir, "plugins", "sinks", "tdengine.so")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(DataDir, "plugins", "portable", "pysam", "pysam.py")));
        Assert.Equal("message Book { string title = 1; }", await File.ReadAllTextAsync(Path.Combine(DataDir, "schemas", "protobuf", "book.proto")));
        Assert.Contains("\"installed\":true", (await Client.GetReplyAsync("/plugins/sinks/tdengine")).Body);

        var cleared = await Client.ImportAsync("{}");

        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.All(Installed, file => Assert.False(File.Exists(Path.Combine(DataDir, file)), file));
    }

    [Fact]
    public async Task Each_kind_imported_alone_is_on_disk_at_the_reply()
    {
        var files = ArtefactFiles(_work.Path, Uploads);
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);
        var cases = new (string Kind, string Key, string Value, string File)[]
        {
            ("uploads", "x.json", Json(new { name = "x.json", content = "[1,2]" }), "uploads/x.json"),
            ("nativePlugins", "sinks_tdengine", files["nativePlugins"], "plugins/sinks/tdengine.so"),
            ("portablePlugins", "pysam", files["portablePlugins"], "plugins/portable/pysam/pysam.py"),
            ("Service", "sample", files["Service"], "services/sample.json"),
            ("Schema", "protobuf_book", files["Schema"], "schemas/protobuf/book.proto"),
        };
        foreach (var (kind, key, value, file) in cases)
        {
            var reply = await Client.ImportAsync(Bundle(new() { [kind] = new() { [key] = value } }), "?partial=1");
            Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (reply.Status, reply.Body));
            Assert.True(File.Exists(Path.Combine(DataDir, file)), file);
        }
        Assert.Equal("[1,2]", await File.ReadAllTextAsync(Path.Combine(Uploads, "x.json")));
    }

    [Fact]
    public async Task A_schema_reads_the_upload_an_earlier_stage_of_the_same_import_stored()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);

        // eKuiper writes uploads first so that plugins, schemas and services may read them.
        var reply = await Client.ImportAsync(Bundle(new()
        {
            ["uploads"] = new() { ["book.proto"] = Json(new { name = "book.proto", content = "message Book { string title = 1; }" }) },
            ["Schema"] = new() { ["protobuf_book"] = Json(new { type = "protobuf", name = "book", file = $"file://{Uploads}/book.proto" }) },
        }));

        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (reply.Status, reply.Body));
        Assert.Equal("message Book { string title = 1; }", await File.ReadAllTextAsync(Path.Combine(DataDir, "schemas", "protobuf", "book.proto")));
    }

    [Fact]
    public async Task An_install_that_fails_on_the_answering_node_is_reported_under_its_item()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);
        var blocked = Path.Combine(Uploads, "blocked.txt");
        Directory.CreateDirectory(Path.Combine(blocked, "in-the-way"));
        try
        {
            var reply = await Client.ImportAsync(Bundle(new()
            {
                ["uploads"] = new()
                {
                    ["blocked.txt"] = Json(new { name = "blocked.txt", content = "x" }),
                    ["fine.txt"] = Json(new { name = "fine.txt", content = "y" }),
                },
            }), "?partial=1");

            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal(ImportReplyTexts.Errors("uploads", """{"blocked.txt":"refusing to install uploads/blocked.txt: a folder is in the way"}"""),
                reply.Body);
            Assert.Equal("y", await File.ReadAllTextAsync(Path.Combine(Uploads, "fine.txt")));
            // The status keeps what the cluster stored; the item is stored and installs once the way is clear.
            Assert.Contains("\"uploads\":{}", (await Client.GetReplyAsync("/data/import/status")).Body);
        }
        finally
        {
            Directory.Delete(blocked, recursive: true);
        }
    }
}

/// <summary>The bodies of import replies, built from eKuiper's shapes.</summary>
public static class ImportReplyTexts
{
    private static readonly string[] Kinds =
        ["streams", "tables", "rules", "nativePlugins", "portablePlugins", "sourceConfig", "sinkConfig", "connectionConfig", "Service", "Schema", "uploads", "scripts"];

    public static string Success => $"{{\"ErrorMsg\":\"\",\"ConfigResponse\":{Empty()}}}";

    /// <summary>The 400 envelope whose message lists <paramref name="errors"/> (compact JSON) under <paramref name="kind"/>.</summary>
    public static string Errors(string kind, string errors)
    {
        var message = "{" + string.Join(",", Kinds.Select(k => $"\"{k}\":{(k == kind ? errors : "{}")}")) + "}";
        return $"{{\"error\":1000,\"message\":{Kuiper.Domain.GoCompat.GoQuote.Quote(message)}}}\n";
    }

    private static string Empty() => "{" + string.Join(",", Kinds.Select(k => $"\"{k}\":{{}}")) + "}";
}
