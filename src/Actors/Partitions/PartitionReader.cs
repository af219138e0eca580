using Akka.Actor;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>
/// Reads stored resources straight from their partitions, for the REST resource endpoints. Reads need no turn
/// at the coordinator: each partition answers with a consistent state of its own.
/// </summary>
public sealed class PartitionReader(PartitionRegions regions, TimeSpan timeout)
{
    public async Task<IReadOnlyDictionary<string, string>> ReadKindAsync(ResourceKind kind, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!regions.Serves(kind)) return all;
        var replies = await Task.WhenAll(Enumerable.Range(0, PartitionScheme.PartitionCount)
            .Select(p => regions[kind].Ask<PartitionContents>(new GetPartitionContents(kind, p), timeout, cancellationToken)));
        foreach (var reply in replies)
            foreach (var (name, definition) in reply.Resources) all[name] = definition;
        return all;
    }

    public async Task<string?> ReadOneAsync(ResourceKind kind, string name, CancellationToken cancellationToken)
    {
        if (!regions.Serves(kind)) return null;
        var reply = await regions[kind].Ask<PartitionContents>(
            new GetPartitionContents(kind, PartitionScheme.PartitionOf(name)), timeout, cancellationToken);
        return reply.Resources.GetValueOrDefault(name);
    }
}
