using System.Text.Json;
using Kuiper.Node.Cli;
using Kuiper.Node.Inspection;

namespace Kuiper.Tests.Inspection;

public sealed class InspectionTextTests
{
    private const string A = "akka.tcp://kuiper@127.0.0.1:4053";
    private const string B = "akka.tcp://kuiper@127.0.0.1:40531";

    private static readonly ClusterMembersView TwoMembers = new(A, "1.0.0+abc", A,
    [
        new MemberView(A, ["kuiper"], "Up", true, "1.0.0", new Dictionary<string, string> { ["ring"] = "canary", ["site"] = "plant-a" }),
        new MemberView(B, ["kuiper"], "Leaving", false, "1.0.1"),
    ], Oldest: A);

    [Fact]
    public void Table_columns_are_aligned_numbers_right_and_no_trailing_spaces()
    {
        var text = new TextTable("NAME", "COUNT", "NOTE").AlignRight(1)
            .Add("a", "7", "")
            .Add("longer", "1234", "x")
            .ToString();

        Assert.Equal("""
            NAME    COUNT  NOTE
            a           7
            longer   1234  x

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new TextTable("A", "B").Add("only one"));
    }

    [Fact]
    public void Show_is_one_aligned_row_per_member_with_the_leader_and_the_singletons_marked()
    {
        Assert.Equal("""
            ADDRESS                            STATUS   REACHABLE  LEADER  SINGLETONS  ROLES   APP VERSION  LABELS
            akka.tcp://kuiper@127.0.0.1:4053   Up       yes        yes     yes         kuiper  1.0.0        ring=canary,site=plant-a
            akka.tcp://kuiper@127.0.0.1:40531  Leaving  no                             kuiper  1.0.1

            """.ReplaceLineEndings("\n"), InspectionText.Show(TwoMembers));
    }

    [Fact]
    public void Show_says_so_when_there_is_no_leader()
    {
        Assert.EndsWith("no leader yet\n", InspectionText.Show(TwoMembers with { Leader = null }));
    }

    [Fact]
    public void Show_json_is_exactly_the_contract_shape()
    {
        using var document = JsonDocument.Parse(InspectionText.ShowJson(TwoMembers));
        var root = document.RootElement;

        Assert.Equal(["leader", "members"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(A, root.GetProperty("leader").GetString());
        var first = root.GetProperty("members")[0];
        Assert.Equal(["address", "roles", "status", "reachable", "appVersion"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(A, first.GetProperty("address").GetString());
        Assert.Equal(["kuiper"], first.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Up", first.GetProperty("status").GetString());
        Assert.True(first.GetProperty("reachable").GetBoolean());
        Assert.Equal("1.0.0", first.GetProperty("appVersion").GetString());
        Assert.False(root.GetProperty("members")[1].GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public void Show_json_keeps_a_missing_leader_as_null()
    {
        using var document = JsonDocument.Parse(InspectionText.ShowJson(TwoMembers with { Leader = null }));

        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("leader").ValueKind);
    }

    [Fact]
    public void Region_stats_show_shards_and_entities_per_node_and_in_total()
    {
        var view = new RegionStatsView("rules",
        [
            new NodeShardsView(A, true, [new ShardCountView("2", 1), new ShardCountView("11", 1)], []),
            new NodeShardsView(B, true, [new ShardCountView("5", 0)], ["7"]),
        ]);

        Assert.Equal("""
            region rules
            NODE                               SHARDS  ENTITIES  SHARD IDS
            akka.tcp://kuiper@127.0.0.1:4053        2         2  2,11
            akka.tcp://kuiper@127.0.0.1:40531       1         0  5 (no reply: 7)
            TOTAL                                   3         2

            """.ReplaceLineEndings("\n"), InspectionText.RegionStats(view));
    }

    [Fact]
    public void A_node_that_did_not_answer_is_shown_as_unknown_not_as_empty()
    {
        var view = new RegionStatsView("rules", [new NodeShardsView(B, false, [], [])]);

        Assert.Contains($"{B}       ?         ?  (no reply in time)", InspectionText.RegionStats(view));
    }

    [Fact]
    public void Region_stats_before_any_region_registered_say_so()
    {
        Assert.Equal("region rules\nno regions registered with the shard coordinator yet\n",
            InspectionText.RegionStats(new RegionStatsView("rules", [])));
    }

    [Fact]
    public void Shard_stats_list_entity_ids_per_shard()
    {
        var view = new ShardStatsView("rules", A, [new ShardView("3", ["p03"])], []);

        Assert.Equal($"""
            region rules on {A}
            SHARD  ENTITIES  ENTITY IDS
            3             1  p03

            """.ReplaceLineEndings("\n"), InspectionText.ShardStats(view));
        Assert.EndsWith("no shards on this node\n", InspectionText.ShardStats(view with { Shards = [] }));
    }

    [Fact]
    public void Locate_names_the_shard_and_node_or_says_the_shard_is_not_allocated()
    {
        Assert.Contains($"rules  p03     3      {A}  yes", InspectionText.Locate(new EntityLocationView("rules", "p03", "3", A, true)));
        Assert.Contains("(shard not allocated)  no", InspectionText.Locate(new EntityLocationView("rules", "p03", "3", null, false)));
    }

    [Fact]
    public void Regions_list_each_type_with_its_nodes()
    {
        var text = InspectionText.Regions(new RegionsView([new RegionView("streams", [A, B]), new RegionView("rules", [])]));

        Assert.Contains($"streams      2  {A}, {B}", text);
        Assert.Contains("rules        0  (none registered yet)", text);
    }

    [Fact]
    public void Membership_actions_say_what_was_asked()
    {
        Assert.StartsWith($"asked {B} to leave", InspectionText.Membership(new MembershipActionView("leave", [B])));
        Assert.Equal($"marked {B} as down\n", InspectionText.Membership(new MembershipActionView("down", [B])));
        Assert.Equal("no unreachable members\n", InspectionText.Membership(new MembershipActionView("down-unreachable", [])));
        Assert.Contains($"  {B}\n", InspectionText.Membership(new MembershipActionView("down-unreachable", [B])));
    }

    [Theory]
    [InlineData("p00", "0")]
    [InlineData("p07", "7")]
    [InlineData("p15", "15")]
    public void Partition_entity_ids_map_to_their_shard(string entityId, string shardId)
    {
        Assert.True(ClusterInspector.TryShardOf(entityId, out var shard));
        Assert.Equal(shardId, shard);
    }

    [Theory]
    [InlineData("p16")]
    [InlineData("p99")]
    [InlineData("p1")]
    [InlineData("p001")]
    [InlineData("q01")]
    [InlineData("r1")]
    [InlineData("")]
    public void Anything_else_is_not_an_entity_id(string entityId)
    {
        Assert.False(ClusterInspector.TryShardOf(entityId, out _));
    }

    [Fact]
    public void Shard_ids_sort_as_numbers()
    {
        Assert.Equal(["0", "2", "10", "15"], new[] { "10", "2", "15", "0" }.Order(ShardIdComparer.Instance));
    }

    [Theory]
    [InlineData("{\"error\":1002,\"message\":\"no shard region 'x'\"}\n", "no shard region 'x'")]
    [InlineData("404 page not found\n", null)]
    [InlineData("{\"message\":3}", null)]
    public void The_error_envelope_message_is_what_the_client_prints(string body, string? expected)
    {
        Assert.Equal(expected, NodeClient.ErrorMessage(body));
    }

    [Fact]
    public void A_rotation_reads_as_what_was_rewritten_and_retired()
    {
        Assert.Equal("every stored secret is sealed with key 1a2b3c4d: 12 journal row(s) and 3 snapshot(s) rewritten; retired 9f8e7d6c\n",
            InspectionText.Rotation(new SecretRotationView("1a2b3c4d", 12, 3, ["9f8e7d6c"])));
        Assert.Equal("every stored secret is stored as given: 0 journal row(s) and 0 snapshot(s) rewritten; no key retired\n",
            InspectionText.Rotation(new SecretRotationView(null, 0, 0, [])));
    }
}
