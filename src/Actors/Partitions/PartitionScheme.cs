using System.Text;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>
/// Which partition entity holds a resource. The hash must be the same in every process and on every node
/// (never <c>string.GetHashCode()</c>), since it decides where a resource is persisted.
/// </summary>
public static class PartitionScheme
{
    /// <summary>16 partitions per kind: ~625 resources per event at 10,000 resources (docs/architecture.md#persistence).</summary>
    public const int PartitionCount = 16;

    public static int PartitionOf(string resourceName)
    {
        // FNV-1a over UTF-8: stable, cheap, and spreads short similar names well enough.
        uint hash = 2166136261;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(resourceName) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(resourceName, buffer)]
            : Encoding.UTF8.GetBytes(resourceName);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619;
        }
        return (int)(hash % PartitionCount);
    }

    public static string EntityId(int partition) => $"p{partition:D2}";

    /// <summary>The journal's name for one partition of one kind, e.g. <c>rules-p07</c> (part of the storage format).</summary>
    public static string PersistenceId(ResourceKind kind, int partition) => $"{kind.RegionName()}-{EntityId(partition)}";

    /// <summary>Every partition of every kind.</summary>
    public static IEnumerable<(ResourceKind Kind, int Partition)> All() =>
        ResourceKinds.All.SelectMany(kind => Enumerable.Range(0, PartitionCount).Select(p => (kind, p)));

    public static int ParseEntityId(string entityId) => int.Parse(entityId.AsSpan(1));
}
