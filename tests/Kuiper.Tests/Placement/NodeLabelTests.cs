using System.Net;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Inspection;

namespace Kuiper.Tests.Placement;

/// <summary>
/// A node's labels (<c>Kuiper:Node:Labels:&lt;key&gt;</c>): shown by <c>GET /cluster/members</c>, <c>cluster show</c> and
/// <c>/metrics</c> (one <c>kuiper_node_info</c> series), never mixed into the roles; a bad one stops the node, naming it.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class NodeLabelTests
{
    [Fact]
    public async Task Labels_are_shown_by_the_members_view_cluster_show_and_one_metrics_series()
    {
        await using var node = await NodeProcess.StartAsync(null,
            "--Kuiper:Node:Labels:site=plant-a", "--Kuiper:Node:Labels:ring=canary", "--Kuiper:Node:Labels:topology.kubernetes.io/zone=hall-2");

        using var members = JsonDocument.Parse(await node.Client.GetStringAsync("/cluster/members"));
        var member = members.RootElement.GetProperty("members")[0];
        Assert.Equal("""{"ring":"canary","site":"plant-a","topology.kubernetes.io/zone":"hall-2"}""", member.GetProperty("labels").GetRawText());
        Assert.Equal(["kuiper"], member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var show = await CliRunner.RunAsync(node, "show");
        Assert.Contains("ring=canary,site=plant-a,topology.kubernetes.io/zone=hall-2", show.Out);
        // The JSON form keeps exactly the contract's members.
        var json = (await CliRunner.RunAsync(node, "show", "--json")).Json();
        Assert.Equal(["address", "roles", "status", "reachable", "appVersion"], json.GetProperty("members")[0].EnumerateObject().Select(p => p.Name));

        var scrape = await node.Client.GetStringAsync("/metrics");
        Assert.Matches("""(?m)^kuiper_node_info\{.*label_ring="canary",label_site="plant-a",label_topology_kubernetes_io_zone="hall-2".*\} 1$""", scrape);
    }

    [Fact]
    public async Task Without_labels_a_member_shows_none_and_the_series_has_none()
    {
        await using var node = await NodeProcess.StartAsync();
        using var members = JsonDocument.Parse(await node.Client.GetStringAsync("/cluster/members"));
        Assert.Equal("{}", members.RootElement.GetProperty("members")[0].GetProperty("labels").GetRawText());
        Assert.DoesNotMatch("""(?m)^kuiper_node_info\{[^}]*label_""", await node.Client.GetStringAsync("/metrics"));
        Assert.Matches("""(?m)^kuiper_node_info(\{[^}]*\})? 1$""", await node.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_bad_label_stops_the_node_naming_it()
    {
        var node = NodeProcess.Prepare(null, "--Kuiper:Node:Labels:site=plant a");
        Assert.NotEqual(0, await node.FailsToStartAsync());
        Assert.Contains("Kuiper:Node:Labels:site: \"plant a\" is not a label value: ", node.Output);
        await node.DisposeAsync();
    }
}
