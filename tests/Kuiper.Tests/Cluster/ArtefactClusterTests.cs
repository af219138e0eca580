using System.Net;
using System.Text.Json;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Cluster;

[Collection(NodeProcessCollection.Name)]
public sealed class ArtefactClusterTests
{
    private static readonly TimeSpan Install = TimeSpan.FromSeconds(90);

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
}
