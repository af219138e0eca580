using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Imports;

public sealed class ImportPlanTests
{
    private static Bundle Bundle(params (ResourceKind Kind, string Name)[] items) =>
        new(items.GroupBy(i => i.Kind).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, string>)g.ToDictionary(i => i.Name, i => $"def of {i.Name}")));

    [Fact]
    public void Full_import_replaces_every_partition_of_every_kind_in_dependency_order()
    {
        var plan = ImportPlan.Build("i1", Bundle((ResourceKind.Rules, "r1"), (ResourceKind.Streams, "s1")), ImportMode.Full);

        Assert.Equal(
            new[]
            {
                new[] { ResourceKind.SourceConfig, ResourceKind.SinkConfig, ResourceKind.ConnectionConfig },
                [ResourceKind.Uploads],
                [ResourceKind.NativePlugins, ResourceKind.PortablePlugins, ResourceKind.Service, ResourceKind.Schema, ResourceKind.Scripts],
                [ResourceKind.Streams], [ResourceKind.Tables], [ResourceKind.Rules],
            },
            plan.Stages.Select(s => s.Select(b => b.Kind).Distinct().ToArray()).ToArray());
        Assert.All(plan.Stages.SelectMany(s => s), b => Assert.True(b.ReplaceAll));
        Assert.Equal(12 * PartitionScheme.PartitionCount, plan.Stages.Sum(s => s.Count));
        var ruleBatch = Assert.Single(plan.Stages[^1], b => b.Items.Count > 0);
        Assert.Equal(PartitionScheme.PartitionOf("r1"), ruleBatch.Partition);
        Assert.Equal($"i1/rules/{ruleBatch.Partition}", ruleBatch.BatchId);
        Assert.Null(plan.SourcesToCheck);
    }

    [Fact]
    public void Full_import_sends_no_empty_batch_to_a_partition_known_to_be_empty()
    {
        var streamPartition = PartitionScheme.PartitionOf("s1");
        var otherStreams = (streamPartition + 1) % PartitionScheme.PartitionCount;
        // Every partition is empty but one of the streams' (it holds something, so it must be cleared).
        var empty = PartitionScheme.All().Select(p => PartitionScheme.PersistenceId(p.Kind, p.Partition))
            .Where(id => id != PartitionScheme.PersistenceId(ResourceKind.Streams, otherStreams)).ToHashSet();

        var plan = ImportPlan.Build("i1", Bundle((ResourceKind.Streams, "s1")), ImportMode.Full, emptyPartitions: empty);

        var batches = Assert.Single(plan.Stages);
        Assert.Equal([streamPartition, otherStreams], batches.Select(b => b.Partition).Order());
        Assert.All(batches, b => Assert.Equal((ResourceKind.Streams, true), (b.Kind, b.ReplaceAll)));
        Assert.Equal(["s1"], batches.Single(b => b.Partition == streamPartition).Items.Select(i => i.Name));
        Assert.Empty(batches.Single(b => b.Partition == otherStreams).Items);
    }

    [Fact]
    public void Partial_import_only_touches_partitions_that_receive_resources()
    {
        var plan = ImportPlan.Build("i2", Bundle((ResourceKind.Rules, "r1"), (ResourceKind.Rules, "r2")), ImportMode.Partial);

        var batches = Assert.Single(plan.Stages);
        Assert.All(batches, b => Assert.False(b.ReplaceAll));
        Assert.Equal(new[] { "r1", "r2" }, batches.SelectMany(b => b.Items).Select(i => i.Name).Order());
    }

    [Fact]
    public void A_rule_change_checks_only_the_sources_its_rules_read()
    {
        var plan = ImportPlan.ForChange(new ChangeResources("c", ResourceKind.Rules, BatchOperation.Upsert,
        [
            new ResourceItem("r1", """{"id":"r1","sql":"SELECT * FROM demo INNER JOIN tab ON demo.a = tab.a","actions":[{"log":{}}]}"""),
            new ResourceItem("r2", "not json"),
        ]));

        Assert.Equal(new[] { "demo", "tab" }, plan.SourcesToCheck!.Order());
        Assert.Equal(2, plan.Stages.Single().Sum(b => b.Items.Count));
    }

    [Fact]
    public void Import_order_is_the_declared_stages()
    {
        var declared = ResourceKinds.Declarations.OrderBy(d => d.ImportStage).Select(d => d.ImportStage).Distinct().Count();

        Assert.Equal(declared, ResourceKinds.ImportOrder.Count);
        Assert.Equal(ResourceKinds.All.Order(), ResourceKinds.ImportOrder.SelectMany(k => k).Order());
        Assert.True(ResourceKinds.ImportOrder.ToList().FindIndex(s => s.Contains(ResourceKind.Streams))
                    < ResourceKinds.ImportOrder.ToList().FindIndex(s => s.Contains(ResourceKind.Rules)));
    }
}
