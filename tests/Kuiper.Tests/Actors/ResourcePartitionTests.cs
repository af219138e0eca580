using Akka.Actor;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Rules;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Actors;

public sealed class ResourcePartitionTests() : TestKit(ActorTestConfig.Setup)
{
    private static string Rule(string id, string sql = "SELECT * FROM demo") =>
        $$$"""{"id":"{{{id}}}","sql":"{{{sql}}}","actions":[{"log":{}}]}""";

    private static ApplyBatch Batch(string batchId, bool replaceAll, params (string Name, string Definition)[] items) =>
        new(ResourceKind.Rules, 3, batchId, replaceAll, items.Select(i => new ResourceItem(i.Name, i.Definition)).ToList());

    private IActorRef StartPartition() => Sys.ActorOf(ResourcePartition.Props(new RuleDefinitionRules(), "p03"));

    private IReadOnlyDictionary<string, string> Contents(IActorRef partition)
    {
        partition.Tell(new GetPartitionContents(ResourceKind.Rules, 3));
        return ExpectMsg<PartitionContents>().Resources;
    }

    private void StopAndWait(IActorRef partition)
    {
        Watch(partition);
        partition.Tell(StopPartition.Instance);
        ExpectTerminated(partition);
    }

    [Fact]
    public void A_batch_is_validated_per_item_and_answered_after_it_is_stored()
    {
        var partition = StartPartition();

        partition.Tell(Batch("b1", false, ("r1", Rule("r1")), ("r2", Rule("other"))));

        var applied = ExpectMsg<BatchApplied>();
        Assert.Equal("b1", applied.BatchId);
        Assert.Equal(new Dictionary<string, string> { ["r2"] = "RuleId is not consistent with rule id." }, applied.Errors);
        Assert.Equal(new Dictionary<string, string> { ["r1"] = Rule("r1") }, Contents(partition));
    }

    [Fact]
    public void State_is_recovered_after_a_restart_from_snapshot_and_events()
    {
        var partition = StartPartition();
        for (var i = 0; i < ResourcePartition.SnapshotEvery + 3; i++)
        {
            partition.Tell(Batch($"b{i}", false, ($"r{i % 5}", Rule($"r{i % 5}", $"SELECT {i} FROM demo"))));
            ExpectMsg<BatchApplied>();
        }
        var before = Contents(partition);
        StopAndWait(partition);

        var restarted = StartPartition();

        Assert.Equal(before, Contents(restarted));
        Assert.Equal(5, before.Count);
    }

    [Fact]
    public void A_retried_batch_is_answered_again_without_being_applied_again()
    {
        var partition = StartPartition();
        partition.Tell(Batch("b1", false, ("r1", Rule("r1", "SELECT 1 FROM demo")), ("bad", "nope")));
        var first = ExpectMsg<BatchApplied>();
        partition.Tell(Batch("b2", false, ("r1", Rule("r1", "SELECT 2 FROM demo"))));
        ExpectMsg<BatchApplied>();

        partition.Tell(Batch("b1", false, ("r1", Rule("r1", "SELECT 1 FROM demo")), ("bad", "nope")));

        Assert.Equal(first.Errors, ExpectMsg<BatchApplied>().Errors);
        Assert.Contains("SELECT 2", Contents(partition)["r1"]);
    }

    [Fact]
    public void Replace_all_clears_what_the_batch_does_not_carry()
    {
        var partition = StartPartition();
        partition.Tell(Batch("b1", false, ("r1", Rule("r1")), ("r2", Rule("r2"))));
        ExpectMsg<BatchApplied>();

        partition.Tell(Batch("b2", true));
        ExpectMsg<BatchApplied>();

        Assert.Empty(Contents(partition));
    }

    [Fact]
    public void Hand_off_stop_lets_the_commands_before_it_finish()
    {
        var partition = StartPartition();
        Watch(partition);

        partition.Tell(Batch("b1", false, ("r1", Rule("r1"))));
        partition.Tell(StopPartition.Instance);

        ExpectMsg<BatchApplied>();
        ExpectTerminated(partition);
        Assert.Equal(new Dictionary<string, string> { ["r1"] = Rule("r1") }, Contents(StartPartition()));
    }
}
