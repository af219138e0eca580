using System.Net;
using Kuiper.Domain.Bundles;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Http;

namespace Kuiper.Tests.Cluster;

/// <summary>Async import tasks on a PostgreSQL cluster: read from any node, through the death of the node running them, and after every node restarted.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a cluster of node processes on PostgreSQL")]
public sealed class AsyncImportClusterTests
{
    [Fact]
    public async Task Tasks_are_read_from_any_node_end_error_when_the_node_running_them_is_killed_and_survive_a_restart_of_every_node()
    {
        await using var server = new LoopbackServer(_ => new LoopbackServer.Response(200, Hang: true));
        // Three nodes: the two that survive a kill -9 are the majority that keeps the cluster.
        await using var cluster = await TestCluster.StartAsync(3, AsyncTasks.PrivateNet);
        var (first, second, third) = (cluster.Nodes[0].Client, cluster.Nodes[1].Client, cluster.Nodes[2].Client);

        var sync = await first.ImportAsync(SeedBundle.Json);
        Assert.Equal(HttpStatusCode.OK, sync.Status);
        var finished = await third.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));
        var task = await second.EndedAsync(finished);
        Assert.Equal(("finish", sync.Body), (AsyncTasks.Status(task), AsyncTasks.Message(task)));
        Assert.Equal(task.ToJsonString(), (await first.TaskAsync(finished)).ToJsonString());
        Assert.Equal(task.ToJsonString(), (await third.TaskAsync(finished)).ToJsonString());

        // The tasks singleton runs on the oldest node, the first: killed while a task reads its file and another waits.
        var running = await second.SubmitAsync(AsyncTasks.FileBody(server.Url("/bundle.json")));
        await third.UntilAsync(running, t => AsyncTasks.Stage(t) == "preparing", "reading its file");
        var waiting = await third.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));
        await cluster.Nodes[0].KillAsync();

        var interrupted = await second.EndedAsync(running);
        Assert.Equal(AsyncImportTexts.Interrupted(cluster.Address(0), running), AsyncTasks.Message(interrupted));
        var lost = await third.EndedAsync(waiting);
        Assert.Equal(AsyncImportTexts.LostBeforeStart(cluster.Address(0)), AsyncTasks.Message(lost));
        var ids = new[] { finished, running, waiting };
        var before = new List<string>();
        foreach (var id in ids) before.Add((await second.TaskAsync(id)).ToJsonString());

        // Every node down, then up again: the tasks read the same from each.
        await cluster.Nodes[1].KillAsync();
        await cluster.Nodes[2].KillAsync();
        await cluster.Nodes[0].StartAgainAsync();
        await Task.WhenAll(cluster.Nodes[1].StartAgainAsync(), cluster.Nodes[2].StartAgainAsync());
        foreach (var node in cluster.Nodes)
            for (var i = 0; i < ids.Length; i++)
                Assert.Equal(before[i], (await node.Client.TaskAsync(ids[i])).ToJsonString());
    }
}
