using System.Net;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Inspection;

namespace Kuiper.Tests.Membership;

/// <summary>
/// Real node processes on one PostgreSQL journal: a first seed node that is restarted while the cluster lives joins it
/// instead of forming a second cluster (as Akka's seed-node join made it do), and a node whose cluster the database
/// gave up for dead leaves it.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts clusters of node processes on PostgreSQL")]
public sealed class ClusterFormationTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    private static string[] Addresses(CliRun run) =>
        run.Json().GetProperty("members").EnumerateArray()
            .Where(m => m.GetProperty("status").GetString() == "Up")
            .Select(m => m.GetProperty("address").GetString()!).Order().ToArray();

    [Fact]
    public async Task A_restarted_first_seed_joins_the_living_cluster_instead_of_forming_a_second()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var all = Enumerable.Range(0, 3).Select(cluster.Address).Order().ToArray();
        var seed = cluster.Nodes[0];

        await seed.KillAsync();
        await seed.StartAgainAsync();

        // One cluster: the restarted seed and the others list the same three members.
        foreach (var node in cluster.Nodes)
            await CliRunner.UntilAsync(node, r => r.ExitCode == 0 && Addresses(r).SequenceEqual(all), Settle, "show", "--json");
        Assert.Equal(1, await cluster.Database.CountAsync("SELECT epoch FROM kuiper_cluster"));

        // Written through the restarted seed, read through another node.
        var bundle = """{"streams":{"afterRestart":"CREATE STREAM afterRestart () WITH (TYPE=\"memory\")"}}""";
        Assert.Equal(HttpStatusCode.OK, (await seed.Client.ImportAsync(bundle, "?partial=1")).Status);
        Assert.Contains("\"afterRestart\":", await cluster.Nodes[2].Client.ExportAsync());
    }

    [Fact]
    public async Task A_node_whose_cluster_was_given_up_for_dead_leaves_it()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var node = await NodeProcess.StartAsync(null, [.. database.NodeArgs, "--Kuiper:Cluster:FormationTimeout=00:00:05"]);
        Assert.Equal(1, await database.CountAsync("SELECT epoch FROM kuiper_cluster"));

        // What a node that formed a newer cluster on the same journal leaves in the database.
        await database.CountAsync("UPDATE kuiper_cluster SET epoch = epoch + 1 RETURNING 1");

        await node.WaitForExitAsync(Settle);
        Assert.Contains("this cluster was given up for dead and another formed on the same journal", node.Output);
    }
}
