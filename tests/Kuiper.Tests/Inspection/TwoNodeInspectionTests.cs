using Kuiper.Actors.Partitions;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Inspection;

/// <summary>Two node processes: the second seeded with the first's remoting address.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts two node processes")]
public sealed class TwoNodeInspectionTests
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(30);

    private static string[] Statuses(CliRun run) =>
        run.Json().GetProperty("members").EnumerateArray().Select(m => m.GetProperty("status").GetString()!).ToArray();

    [Fact]
    public async Task Show_lists_both_members_up_and_leave_makes_the_second_leave_and_exit()
    {
        var remotingPort = NodeProcess.FreeTcpPort();
        var seed = $"akka.tcp://kuiper@127.0.0.1:{remotingPort}";
        await using var first = await NodeProcess.StartAsync(null, $"--Kuiper:Cluster:Port={remotingPort}");
        await using var second = await NodeProcess.StartAsync(null, $"--Kuiper:Cluster:SeedNodes:0={seed}");

        var show = await CliRunner.UntilAsync(first, r => r.ExitCode == 0 && Statuses(r) is ["Up", "Up"], Formation, "show", "--json");
        var members = show.Json().GetProperty("members").EnumerateArray().ToArray();
        Assert.All(members, m => Assert.True(m.GetProperty("reachable").GetBoolean()));
        var addresses = members.Select(m => m.GetProperty("address").GetString()!).ToArray();
        Assert.Contains(seed, addresses);
        var secondAddress = Assert.Single(addresses, a => a != seed);
        Assert.Contains(show.Json().GetProperty("leader").GetString(), addresses);

        // Oldest first: the seed, which formed the cluster, runs the singletons and is marked so in the table.
        Assert.Equal([seed, secondAddress], addresses);
        var table = await CliRunner.RunAsync(second, "show");
        Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(seed)} +Up +yes +(yes +)?yes +kuiper +{System.Text.RegularExpressions.Regex.Escape(RepositoryRelease.Version)}$", table.Out);
        Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(secondAddress)} +Up +yes +(yes +)?kuiper +", table.Out);

        // The second node sees the same two members.
        await CliRunner.UntilAsync(second, r => r.ExitCode == 0 && Statuses(r) is ["Up", "Up"], Formation, "show", "--json");

        // Sharding across both: a rule imported through the first node, seen and located from the second.
        var rule = await first.Client.ImportAsync(
            """{"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"},"rules":{"r1":"{\"id\":\"r1\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}"}}""", "?partial=1");
        Assert.True(rule.Status == System.Net.HttpStatusCode.OK, rule.Body);
        // The first node formed the cluster alone, so it started every partition at once (WithPartitionWarmUp); they
        // may be rebalanced to the second meanwhile, so the counts are polled until both nodes answer for all 16.
        var stats = await CliRunner.UntilAsync(second,
            r => r.ExitCode == 0 && r.Json().GetProperty("nodes").GetArrayLength() == 2
                 && r.Json().GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("answered").GetBoolean())
                 && r.Json().GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("entityCount").GetInt32()) == PartitionScheme.PartitionCount,
            Formation, "sharding", "region-stats", "rules", "--json");
        Assert.Equal(2, stats.Json().GetProperty("nodes").GetArrayLength());
        var partition = PartitionScheme.EntityId(PartitionScheme.PartitionOf("r1"));
        var host = (await CliRunner.UntilAsync(first, r => r.ExitCode == 0, Formation, "sharding", "locate", "rules", partition, "--json"))
            .Json().GetProperty("node").GetString();
        Assert.Contains(host, addresses);
        foreach (var node in new[] { first, second })
        {
            var located = (await CliRunner.UntilAsync(node,
                r => r.ExitCode == 0 && r.Json().GetProperty("node").GetString() == host && r.Json().GetProperty("running").GetBoolean(),
                Formation, "sharding", "locate", "rules", partition, "--json")).Json();
            Assert.Equal(host, located.GetProperty("node").GetString());
            Assert.True(located.GetProperty("running").GetBoolean());
        }

        var leave = await CliRunner.RunAsync(first, "leave", secondAddress);
        Assert.True(leave.ExitCode == 0, leave.Err);
        Assert.StartsWith($"asked {secondAddress} to leave", leave.Out);

        // A graceful leave is a normal stop (docs/configuration.md#exit-codes): exit code 0.
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var after = await CliRunner.UntilAsync(first,
            r => r.ExitCode == 0 && r.Json().GetProperty("members").GetArrayLength() == 1, Formation, "show", "--json");
        Assert.Equal(seed, Assert.Single(after.Json().GetProperty("members").EnumerateArray()).GetProperty("address").GetString());
    }
}
