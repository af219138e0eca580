using Kuiper.Domain.Resources;
using System.Net;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Node.Cli;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Inspection;

/// <summary>The client verbs against one real node that joined itself.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class SingleNodeInspectionTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(20);

    private const string OneRule = """{"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"},"rules":{"r1":"{\"id\":\"r1\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}"}}""";

    private NodeProcess Node => fixture.Node;

    private async Task ImportOneRuleAsync()
    {
        var reply = await Node.Client.ImportAsync(OneRule, "?partial=1");
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
    }

    [Fact]
    public async Task Show_lists_one_up_member_that_is_the_leader()
    {
        var run = await CliRunner.UntilAsync(Node, r => r.ExitCode == 0 && r.Json().GetProperty("leader").GetString() is not null,
            Formation, "show", "--json");

        var json = run.Json();
        var member = Assert.Single(json.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("reachable").GetBoolean());
        Assert.Equal(["kuiper"], member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(RepositoryRelease.Version, member.GetProperty("appVersion").GetString());
        var address = member.GetProperty("address").GetString()!;
        Assert.StartsWith("akka.tcp://kuiper@127.0.0.1:", address);
        Assert.Equal(address, json.GetProperty("leader").GetString());

        var table = await CliRunner.RunAsync(Node, "show");
        Assert.Equal(0, table.ExitCode);
        Assert.StartsWith("ADDRESS", table.Out);
        // Leader, and where the singletons run: the one member is both.
        Assert.Matches($@"{address.Replace(".", @"\.")}\s+Up\s+yes\s+yes\s+yes\s+kuiper\s+{RepositoryRelease.Version.Replace(".", @"\.")}", table.Out);
    }

    [Fact]
    public async Task Regions_lists_a_partition_region_per_kind_on_this_node()
    {
        var expected = ResourceKinds.All.Select(k => k.RegionName()).ToArray();

        var run = await CliRunner.UntilAsync(Node,
            r => r.ExitCode == 0 && r.Json().GetProperty("regions").EnumerateArray().All(x => x.GetProperty("nodes").GetArrayLength() == 1),
            Formation, "sharding", "regions", "--json");

        var regions = run.Json().GetProperty("regions").EnumerateArray().ToArray();
        Assert.Equal(expected, regions.Select(r => r.GetProperty("type").GetString()));

        var table = await CliRunner.RunAsync(Node, "sharding", "regions");
        Assert.Equal(0, table.ExitCode);
        foreach (var type in expected) Assert.Matches($@"(?m)^{type}\s+1\s+akka\.tcp://kuiper@", table.Out);
    }

    [Fact]
    public async Task After_importing_one_rule_region_stats_show_every_partition_and_locate_finds_its_node()
    {
        await ImportOneRuleAsync();
        var partition = PartitionScheme.EntityId(PartitionScheme.PartitionOf("r1"));
        var shard = PartitionScheme.PartitionOf("r1").ToString(System.Globalization.CultureInfo.InvariantCulture);
        var self = (await CliRunner.RunAsync(Node, "show", "--json")).Json().GetProperty("leader").GetString();

        // A node that forms its own cluster starts every partition when it is up (WithPartitionWarmUp): 16 shards of one entity.
        var stats = (await CliRunner.RunAsync(Node, "sharding", "region-stats", "rules", "--json")).Json();
        var node = Assert.Single(stats.GetProperty("nodes").EnumerateArray());
        Assert.Equal(self, node.GetProperty("address").GetString());
        Assert.True(node.GetProperty("answered").GetBoolean());
        Assert.Equal(PartitionScheme.PartitionCount, node.GetProperty("entityCount").GetInt32());
        var started = node.GetProperty("shards").EnumerateArray().ToArray();
        Assert.Equal(PartitionScheme.PartitionCount, started.Length);
        Assert.Contains(started, s => s.GetProperty("shardId").GetString() == shard);

        var table = await CliRunner.RunAsync(Node, "sharding", "region-stats", "rules");
        Assert.Matches($@"(?m)^TOTAL\s+{PartitionScheme.PartitionCount}\s+{PartitionScheme.PartitionCount}\s*$", table.Out);

        var located = (await CliRunner.RunAsync(Node, "sharding", "locate", "rules", partition, "--json")).Json();
        Assert.Equal(shard, located.GetProperty("shardId").GetString());
        Assert.Equal(self, located.GetProperty("node").GetString());
        Assert.True(located.GetProperty("running").GetBoolean());

        var shards = (await CliRunner.RunAsync(Node, "sharding", "shard-stats", "rules", "--json")).Json();
        var local = shards.GetProperty("shards").EnumerateArray().ToArray();
        Assert.Equal(PartitionScheme.PartitionCount, local.Length);
        var ruleShard = Assert.Single(local, s => s.GetProperty("shardId").GetString() == shard);
        Assert.Equal([partition], ruleShard.GetProperty("entityIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task An_unknown_region_type_is_a_clean_404_and_exit_code_1()
    {
        var reply = await Node.Client.GetReplyAsync("/cluster/sharding/regions/widgets/stats");
        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.StartsWith("{\"error\":1002,\"message\":\"no shard region 'widgets'", reply.Body);

        var run = await CliRunner.RunAsync(Node, "sharding", "locate", "widgets", "p01");
        Assert.Equal(ClientVerbs.NodeError, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.StartsWith("no shard region 'widgets'; the regions are streams, tables, rules", run.Err);
    }

    [Fact]
    public async Task Bad_input_is_a_400_in_the_error_envelope()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Node.Client.GetReplyAsync("/cluster/sharding/regions/rules/entities/p16")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Node.Client.PostRawAsync("/cluster/leave", "not json")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Node.Client.PostRawAsync("/cluster/down", """{"address":"nowhere"}""")).Status);

        var unknownMember = await Node.Client.PostRawAsync("/cluster/leave", """{"address":"akka.tcp://kuiper@127.0.0.1:1"}""");
        Assert.Equal(HttpStatusCode.NotFound, unknownMember.Status);
        Assert.Contains("is not a member of the cluster", unknownMember.Body);
    }

    [Fact]
    public async Task Down_unreachable_with_everyone_reachable_downs_nobody()
    {
        var run = await CliRunner.RunAsync(Node, "down-unreachable");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("no unreachable members\n", run.Out);
    }
}
