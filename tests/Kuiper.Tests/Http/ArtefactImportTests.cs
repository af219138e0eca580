using System.Net;
using System.Text.Json;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>Plugins, uploads and scripts imported over HTTP, fetched once and installed under the node's data dir.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class ArtefactImportTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan Install = TimeSpan.FromSeconds(30);
    private HttpClient Client => fixture.Client;
    private string DataDir => fixture.Node.DataDir;
    private string Uploads => Path.Combine(DataDir, "uploads");

    private string PutInUploads(string name, byte[] content)
    {
        Directory.CreateDirectory(Uploads);
        var path = Path.Combine(Uploads, name);
        File.WriteAllBytes(path, content);
        return $"file://{path}";
    }

    private static string Bundle(Dictionary<string, Dictionary<string, string>> sections) => JsonSerializer.Serialize(sections);

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Install;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} within {Install}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_plugin_an_upload_and_a_script_are_installed_exported_and_removed_by_the_next_full_import()
    {
        var zip = PutInUploads("tdengine.zip", new ZipBuilder().File("tdengine.so", "ELF").Build());
        var bundle = Bundle(new()
        {
            ["nativePlugins"] = new() { ["sinks_tdengine"] = Json(new { name = "tdengine", file = zip, shellParas = Array.Empty<string>() }) },
            ["uploads"] = new() { ["notes.txt"] = Json(new { name = "notes.txt", content = "hello" }) },
            ["scripts"] = new() { ["area"] = Json(new { id = "area", description = "func for area", script = "function area(x, y) { return x*y; }", isAgg = false }) },
        });

        var reply = await Client.ImportAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        await EventuallyAsync(() => File.Exists(Path.Combine(DataDir, "plugins", "sinks", "tdengine.so")), "the plugin installed");
        await EventuallyAsync(() => File.Exists(Path.Combine(Uploads, "notes.txt")), "the upload written");
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(Uploads, "notes.txt")));
        var exported = await Client.ExportAsync();
        Assert.Contains($"\"nativePlugins\":{{\"sinks_tdengine\":\"{{\\\"name\\\":\\\"tdengine\\\",\\\"file\\\":\\\"{zip}\\\"}}\"}}", exported);
        Assert.Contains("\"scripts\":{\"area\":\"{\\\"id\\\":\\\"area\\\",\\\"description\\\":\\\"func for area\\\"", exported);

        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);
        await EventuallyAsync(() => !File.Exists(Path.Combine(DataDir, "plugins", "sinks", "tdengine.so")), "the plugin removed");
        Assert.Contains("\"nativePlugins\":{}", await Client.ExportAsync());
    }

    [Fact]
    public async Task The_seed_bundle_with_its_plugins_pointed_at_test_zips_imports_cleanly()
    {
        var image = PutInUploads("image_amd64.zip", new ZipBuilder().File("image.so", "ELF").Build());
        var video = PutInUploads("video_amd64.zip", new ZipBuilder().File("video.so", "ELF").File("video.yaml", "default: {}").Build());
        var seed = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(SeedBundle.Json)!;
        seed["nativePlugins"] = new()
        {
            ["functions_image"] = Json(new { name = "image", file = image, shellParas = Array.Empty<string>() }),
            ["sources_video"] = Json(new { name = "video", file = video, shellParas = Array.Empty<string>() }),
        };

        var reply = await Client.ImportAsync(JsonSerializer.Serialize(seed));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("""["image"]""", (await Client.GetReplyAsync("/plugins/functions")).Body);
        Assert.Equal("""["video"]""", (await Client.GetReplyAsync("/plugins/sources")).Body);
        await EventuallyAsync(() => File.Exists(Path.Combine(DataDir, "plugins", "sources", "video.so")), "the source plugin installed");

        // A rule calling the plugin's function exports with the plugin.
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(
            """{"rules":{"withImage":"{\"id\":\"withImage\",\"sql\":\"SELECT image(a) FROM demo\",\"actions\":[{\"log\":{}}]}"}}""", "?partial=1")).Status);
        var exported = await Client.PostRawAsync("/data/export", """["withImage"]""");
        Assert.Contains($"\"nativePlugins\":{{\"functions_image\":", exported.Body);
        Assert.DoesNotContain("sources_video", exported.Body);
    }

    [Fact]
    public async Task A_partial_import_keeps_an_installed_plugin_and_refuses_an_existing_service()
    {
        var zip = PutInUploads("keep.zip", new ZipBuilder().File("keep.so", "ELF").Build());
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(Bundle(new()
        {
            ["nativePlugins"] = new() { ["sinks_keep"] = Json(new { name = "keep", file = zip }) },
        }))).Status);

        // The same key with a file that no longer exists: kept as it is, not fetched, not an error.
        var again = await Client.ImportAsync(Bundle(new()
        {
            ["nativePlugins"] = new() { ["sinks_keep"] = Json(new { name = "keep", file = $"file://{Uploads}/gone.zip" }) },
        }), "?partial=1");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains($"\"sinks_keep\":\"{{\\\"name\\\":\\\"keep\\\",\\\"file\\\":\\\"{zip}\\\"}}\"", await Client.ExportAsync());
    }

    [Fact]
    public async Task Unsafe_or_unreachable_artefacts_are_refused_per_item_and_nothing_is_written_outside_the_data_dir()
    {
        var slip = PutInUploads("slip.zip", new ZipBuilder().File("slip.so", "ELF").File("../../escaped.txt", "x").Build());
        var outside = Path.Combine(Path.GetTempPath(), $"kuiper-outside-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(outside, new ZipBuilder().File("far.so", "ELF").Build());

        var reply = await Client.ImportAsync(Bundle(new()
        {
            ["nativePlugins"] = new()
            {
                ["sinks_slip"] = Json(new { name = "slip", file = slip }),
                ["sinks_far"] = Json(new { name = "far", file = $"file://{outside}" }),
            },
            ["Service"] = new() { ["remote"] = Json(new { name = "remote", file = "http://127.0.0.1:1/remote.zip" }) },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        using var envelope = JsonDocument.Parse(reply.Body);
        using var errors = JsonDocument.Parse(envelope.RootElement.GetProperty("message").GetString()!);
        var native = errors.RootElement.GetProperty("nativePlugins");
        Assert.Contains("../../escaped.txt", native.GetProperty("sinks_slip").GetString());
        Assert.Equal($"fail to download file file://{outside}: file access denied: path must be under {Uploads}",
            native.GetProperty("sinks_far").GetString());
        Assert.Contains("ip 127.0.0.1 is in internal network", errors.RootElement.GetProperty("Service").GetProperty("remote").GetString());
        Assert.False(File.Exists(Path.Combine(DataDir, "..", "escaped.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(DataDir)!, "..", "escaped.txt")));
        File.Delete(outside);
    }
}
