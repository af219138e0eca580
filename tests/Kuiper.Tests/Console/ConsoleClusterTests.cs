using System.Net;
using System.Text.Json;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuiper.Tests.Console;

/// <summary>The console's cluster view of a real two-node cluster (PostgreSQL): members, partitions per node, installs per node.</summary>
[Collection(NodeProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[FullTier("drives Chromium against a cluster of node processes on PostgreSQL")]
public sealed class ConsoleClusterTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_cluster_view_shows_both_members_the_partitions_each_hosts_and_each_nodes_install_of_a_plugin()
    {
        // Each node with its own labels, which the members table shows.
        await using var cluster = await TestCluster.StartAsync(2, i => [$"--Kuiper:Node:Labels:site=plant-{(char)('a' + i)}", .. i == 1 ? new[] { "--Kuiper:Node:Labels:ring=canary" } : []]);
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        var uploads = Path.Combine(first.DataDir, "uploads");
        Directory.CreateDirectory(uploads);
        await File.WriteAllBytesAsync(Path.Combine(uploads, "shared.zip"), new ZipBuilder().File("shared.so", "ELF").Build());
        var bundle = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            ["nativePlugins"] = new() { ["functions_shared"] = JsonSerializer.Serialize(new { name = "shared", file = $"file://{uploads}/shared.zip" }) },
        });
        Assert.Equal(HttpStatusCode.OK, (await first.Client.ImportAsync(bundle)).Status);
        // Both members Up, and both nodes reporting the plugin installed, before the page is looked at.
        await TestCluster.EventuallyAsync(() => second.Client.GetReplyAsync("/cluster/members"),
            r => r.Body.Split("\"status\":\"Up\"").Length == 3, Settle, "two Up members");
        await TestCluster.EventuallyAsync(() => second.Client.GetReplyAsync("/plugins/functions/shared"),
            r => r.Body.Split("\"installed\":true").Length == 3, Settle, "both nodes reporting the plugin installed");

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.OpenAsync(second, "cluster");

        var members = page.Locator("[data-testid=members-table] tbody tr");
        await Expect(members).ToHaveCountAsync(2);
        foreach (var node in new[] { 0, 1 })
        {
            var row = page.Locator($"[data-testid=members-table] tr[data-address='{cluster.Address(node)}']");
            await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("Up");
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("yes");
            await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(RepositoryRelease.Version);
            await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(node == 0 ? "site=plant-a" : "ring=canary, site=plant-b");
        }
        // The header names the answering node's release and commit.
        await Expect(page.GetByTestId("node")).ToContainTextAsync(
            new System.Text.RegularExpressions.Regex($@"version {System.Text.RegularExpressions.Regex.Escape(RepositoryRelease.Version)} \([0-9a-f]{{7}}\)$"));
        await Expect(page.Locator($"[data-testid=members-table] tr[data-address='{cluster.Address(1)}'] td").Nth(5)).ToContainTextAsync("this node");

        // Every region's 16 partitions are spread over the two nodes: the two counts of each column add up to 16.
        var partitions = page.Locator("[data-testid=partitions-table] tbody tr");
        await Expect(partitions).ToHaveCountAsync(2);
        var regions = await page.Locator("[data-testid=partitions-table] thead th").CountAsync() - 1;
        Assert.Equal(12, regions);
        for (var column = 1; column <= regions; column++)
        {
            var hosted = 0;
            foreach (var row in await partitions.AllAsync())
                hosted += int.Parse(await row.Locator("td").Nth(column).Locator("strong").TextContentAsync() ?? "0");
            Assert.Equal(16, hosted);
        }

        var plugin = page.Locator("[data-testid=artefacts-table] tbody tr", new() { HasText = "shared" });
        await Expect(plugin.Locator("td").Nth(0)).ToHaveTextAsync("native function");
        await Expect(plugin.Locator("td.ok")).ToHaveCountAsync(2);
        await Expect(plugin.Locator("td").Nth(3)).ToHaveTextAsync("installed");
        await Expect(plugin.Locator("td").Nth(4)).ToHaveTextAsync("installed");
        await ConsoleBrowser.ScreenshotAsync(page, "08-cluster-two-nodes");
    }
}
