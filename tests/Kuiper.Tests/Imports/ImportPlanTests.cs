using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Imports;

public sealed class ImportPlanTests
{
    private static readonly HashSet<ResourceKind> Served =
        [ResourceKind.Streams, ResourceKind.Tables, ResourceKind.Rules, ResourceKind.SourceConfig, ResourceKind.SinkConfig, ResourceKind.ConnectionConfig];

    private static Bundle Bundle(params (ResourceKind Kind, string Name)[] items) =>
        new(items.GroupBy(i => i.Kind).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, string>)g.ToDictionary(i => i.Name, i => $"def of {i.Name}")));

    [Fact]
    public void Full_import_replaces_every_partition_of_every_stored_kind_in_dependency_order()
    {
        var plan = ImportPlan.Build("i1", Bundle((ResourceKind.Rules, "r1"), (ResourceKind.Streams, "s1")), ImportMode.Full, Served.Contains);

        Assert.Equal(
            new[]
            {
                new[] { ResourceKind.SourceConfig, ResourceKind.SinkConfig, ResourceKind.ConnectionConfig },
                [ResourceKind.Streams], [ResourceKind.Tables], [ResourceKind.Rules],
            },
            plan.Stages.Select(s => s.Select(b => b.Kind).Distinct().ToArray()).ToArray());
        Assert.All(plan.Stages.SelectMany(s => s), b => Assert.True(b.ReplaceAll));
        Assert.Equal(Served.Count * PartitionScheme.PartitionCount, plan.Stages.Sum(s => s.Count));
        var ruleBatch = Assert.Single(plan.Stages[^1], b => b.Items.Count > 0);
        Assert.Equal(PartitionScheme.PartitionOf("r1"), ruleBatch.Partition);
        Assert.Equal($"i1/rules/{ruleBatch.Partition}", ruleBatch.BatchId);
    }

    [Fact]
    public void Partial_import_only_touches_partitions_that_receive_resources()
    {
        var plan = ImportPlan.Build("i2", Bundle((ResourceKind.Rules, "r1"), (ResourceKind.Rules, "r2")), ImportMode.Partial, Served.Contains);

        var batches = Assert.Single(plan.Stages);
        Assert.All(batches, b => Assert.False(b.ReplaceAll));
        Assert.Equal(new[] { "r1", "r2" }, batches.SelectMany(b => b.Items).Select(i => i.Name).Order());
    }

    [Fact]
    public void Kinds_without_a_region_are_refused_per_item()
    {
        var plan = ImportPlan.Build("i3", Bundle((ResourceKind.NativePlugins, "sinks_x")), ImportMode.Partial, Served.Contains);

        Assert.Empty(plan.Stages);
        Assert.Equal(ImportPlan.NotSupported(ResourceKind.NativePlugins), plan.Refused[ResourceKind.NativePlugins]["sinks_x"]);
    }
}
