using Kuiper.Actors.Partitions;

namespace Kuiper.Tests.Partitions;

public sealed class PartitionSchemeTests
{
    /// <summary>Pinned: a change to the hash would move every stored resource to another partition.</summary>
    [Theory]
    [InlineData("demo", 6)]
    [InlineData("rule1", 6)]
    [InlineData("T110", 15)]
    [InlineData("", 5)]
    [InlineData("温度传感器", 0)]
    public void Partition_of_a_name_is_stable(string name, int partition) =>
        Assert.Equal(partition, PartitionScheme.PartitionOf(name));

    [Fact]
    public void Names_spread_over_all_partitions()
    {
        var counts = new int[PartitionScheme.PartitionCount];
        for (var i = 0; i < 10_000; i++) counts[PartitionScheme.PartitionOf($"rule{i}")]++;

        Assert.All(counts, c => Assert.InRange(c, 400, 850));
    }

    /// <summary>Names past the 256-byte stack buffer take the heap path; pinned like the short ones (FNV-1a computed independently).</summary>
    [Theory]
    [InlineData(256, 'x', 5)]
    [InlineData(257, 'x', 7)]
    [InlineData(1000, 'x', 5)]
    [InlineData(100, '温', 1)]
    public void Long_names_hash_like_short_ones(int length, char c, int partition) =>
        Assert.Equal(partition, PartitionScheme.PartitionOf(new string(c, length)));

    [Fact]
    public void Entity_ids_round_trip() => Assert.Equal(7, PartitionScheme.ParseEntityId(PartitionScheme.EntityId(7)));
}
