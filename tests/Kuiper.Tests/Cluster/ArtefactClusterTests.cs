using System.Net;
using System.Text;
using System.Text.Json;
using Kuiper.Actors.Hosting;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Http;

namespace Kuiper.Tests.Cluster;

[Collection(NodeProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[FullTier("starts clusters of node processes on PostgreSQL")]
public sealed class ArtefactClusterTests
{
    private static readonly TimeSpan Install = TimeSpan.FromSeconds(90);

    /// <summary>A node that was not asked catches up when told, at the latest at its next periodic pass.</summary>
    private static readonly TimeSpan CatchUp = ArtefactHostingExtensions.ReconcileInterval + TimeSpan.FromSeconds(15);

    private static Task EventuallyAsync(Func<bool> condition, string what) =>
        TestCluster.EventuallyAsync(() => Task.FromResult(condition()), done => done, CatchUp, what);

    [Fact]
    public async Task A_plugin_imported_on_one_node_is_installed_on_every_node_and_on_a_node_that_lost_its_data_dir()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        var uploads = Path.Combine(first.DataDir, "uploads");
        Directory.CreateDirectory(uploads);
        await File.WriteAllBytesAsync(Path.Combine(uploads, "shared.zip"), new ZipBuilder().File("shared.so", "ELF").Build());
        var bundle = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            ["nativePlugins"] = new()
            {
                ["functions_shared"] = JsonSerializer.Serialize(new { name = "shared", file = $"file://{uploads}/shared.zip" }),
            },
        });

        Assert.Equal(HttpStatusCode.OK, (await first.Client.ImportAsync(bundle)).Status);

        // Fetched once on the coordinator's node, from its uploads; the other node installs from the stored bytes.
        var installed = Path.Combine("plugins", "functions", "shared.so");
        await TestCluster.EventuallyAsync(() => Task.FromResult(File.Exists(Path.Combine(second.DataDir, installed))), found => found,
            Install, "the plugin on the second node");
        Assert.True(File.Exists(Path.Combine(first.DataDir, installed)));
        Assert.Equal("""["shared"]""", (await second.Client.GetReplyAsync("/plugins/functions")).Body);
        var detail = await TestCluster.EventuallyAsync(() => second.Client.GetReplyAsync("/plugins/functions/shared"),
            r => r.Body.Split("\"installed\":true").Length == 3, Install, "both nodes reporting the plugin installed");
        Assert.Contains(cluster.Address(0), detail.Body);
        Assert.Contains(cluster.Address(1), detail.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetReplyAsync("/plugins/functions/nope")).Status);

        await second.KillAsync();
        Directory.Delete(Path.Combine(second.DataDir, "plugins"), recursive: true);
        await second.StartAgainAsync();
        await TestCluster.EventuallyAsync(() => Task.FromResult(File.Exists(Path.Combine(second.DataDir, installed))), found => found,
            Install, "the plugin installed again on a restarted node");
    }

    [Fact]
    public async Task Imported_artefacts_are_on_the_answering_node_at_the_reply_and_on_the_other_within_the_reconcile_interval()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        // The first node runs the coordinator; the second one answers, and runs the import (under the coordinator's
        // lease), so it fetches from its own uploads, as eKuiper reads file:// on the node asked.
        var (coordinatorNode, answering) = (cluster.Nodes[0], cluster.Nodes[1]);
        using var work = new TempDir();
        var bundle = InstallBeforeReplyTests.FullBundle(InstallBeforeReplyTests.ArtefactFiles(work.Path, Path.Combine(answering.DataDir, "uploads")));

        var reply = await answering.Client.ImportAsync(bundle);

        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (reply.Status, reply.Body));
        Assert.All(InstallBeforeReplyTests.Installed, file => Assert.True(File.Exists(Path.Combine(answering.DataDir, file)), file));
        Assert.Equal("""{"temperature":21}""", await File.ReadAllTextAsync(Path.Combine(answering.DataDir, "uploads", "rule-input.json")));
        await EventuallyAsync(() => InstallBeforeReplyTests.Installed.All(f => File.Exists(Path.Combine(coordinatorNode.DataDir, f))),
            "every file on the other node");

        var cleared = await answering.Client.ImportAsync("{}");

        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.All(InstallBeforeReplyTests.Installed, file => Assert.False(File.Exists(Path.Combine(answering.DataDir, file)), file));
        await EventuallyAsync(() => !InstallBeforeReplyTests.Installed.Any(f => File.Exists(Path.Combine(coordinatorNode.DataDir, f))),
            "every file removed from the other node");
    }

    [Fact]
    public async Task Uploads_through_the_api_are_listed_imported_and_deleted_on_any_node()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        string UploadsOf(NodeProcess node) => Path.Combine(node.DataDir, "uploads");

        // 1. The seed bundle uploaded to the first node, imported with file:// on the second: no shell on either box.
        var created = await UploadEndpointTests.PostJsonAsync(first.Client, JsonSerializer.Serialize(new { name = "seed-bundle.json", content = SeedBundle.Json }));
        Assert.Equal((HttpStatusCode.Created, $"{UploadsOf(first)}/seed-bundle.json"), (created.Status, created.Body));
        Assert.Equal(SeedBundle.Json, await File.ReadAllTextAsync(Path.Combine(UploadsOf(first), "seed-bundle.json")));

        var listed = await second.Client.GetReplyAsync("/config/uploads");
        Assert.Equal((HttpStatusCode.OK, $"[\"{UploadsOf(second)}/seed-bundle.json\"]"), (listed.Status, listed.Body));

        var imported = await second.Client.PostRawAsync("/data/import?partial=1",
            JsonSerializer.Serialize(new { file = $"file://{UploadsOf(second)}/seed-bundle.json" }));
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (imported.Status, imported.Body));
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetReplyAsync("/rules/rule1")).Status);

        // 2. A zip sent with curl -F to the second node; a plugin imported through the first node installs from it.
        using var work = new TempDir();
        await File.WriteAllTextAsync(Path.Join(work.Path, "geo.so"), "ELF");
        ArchiveTools.Zip(work.Path, "-q", "geo.zip", "geo.so");
        var (status, body) = await Curl.RunAsync(new Uri(second.BaseAddress, "/config/uploads"), "-F", $"uploadFile=@{work.Path}/geo.zip");
        Assert.Equal((HttpStatusCode.Created, $"{UploadsOf(second)}/geo.zip"), (status, body));
        var plugin = await first.Client.ImportAsync(JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            ["nativePlugins"] = new() { ["functions_geo"] = JsonSerializer.Serialize(new { name = "geo", file = $"file://{UploadsOf(first)}/geo.zip" }) },
        }), "?partial=1");
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (plugin.Status, plugin.Body));
        Assert.Equal("ELF", await File.ReadAllTextAsync(Path.Combine(first.DataDir, "plugins", "functions", "geo.so")));

        // 3. Deleted through the second node: gone there at the reply, from the first within the interval.
        var deleted = await Reply.From(await second.Client.DeleteAsync("/config/uploads/seed-bundle.json"));
        Assert.Equal((HttpStatusCode.OK, "ok"), (deleted.Status, deleted.Body));
        Assert.False(File.Exists(Path.Combine(UploadsOf(second), "seed-bundle.json")));
        await EventuallyAsync(() => !File.Exists(Path.Combine(UploadsOf(first), "seed-bundle.json")), "the upload removed from the first node");
        Assert.Equal($"[\"{UploadsOf(first)}/geo.zip\"]", (await first.Client.GetReplyAsync("/config/uploads")).Body);
    }
}
