using Akka.Actor;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>
/// The one way to read stored resources, for imports, exports, the REST endpoints and the installer. Reads need
/// no turn at the coordinator: each partition answers with a consistent state of its own. A partition that does
/// not answer is asked again every retry interval (its node may have died, its shard may be moving); when the
/// attempts run out the read fails with <see cref="PartitionUnavailableException"/>, never with a partial answer.
/// </summary>
/// <param name="bounded">a reader that answers a client: it gives up after <see cref="CoordinatorSettings.ReadBound"/></param>
public sealed class PartitionReader(PartitionRegions regions, PartitionPatience settings, bool bounded = false)
{
    /// <summary>Each ask's timeout and how many are made: the write policy, or the read bound cut into retry intervals.</summary>
    private readonly (TimeSpan Interval, int Attempts) _policy = Policy(settings, bounded);

    private static (TimeSpan Interval, int Attempts) Policy(PartitionPatience settings, bool bounded)
    {
        if (!bounded || settings.ReadBound is not { } bound) return (settings.RetryInterval, settings.Attempts);
        var interval = bound < settings.RetryInterval ? bound : settings.RetryInterval;
        return (interval, Math.Max(1, (int)Math.Ceiling(bound / interval)));
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadKindAsync(ResourceKind kind, CancellationToken cancellationToken) =>
        Merge(await Task.WhenAll(Enumerable.Range(0, PartitionScheme.PartitionCount)
            .Select(p => ReadPartitionAsync(kind, p, cancellationToken))));

    public async Task<string?> ReadOneAsync(ResourceKind kind, string name, CancellationToken cancellationToken) =>
        (await ReadPartitionAsync(kind, PartitionScheme.PartitionOf(name), cancellationToken)).Resources.GetValueOrDefault(name);

    /// <summary>Every stored resource of every kind.</summary>
    public async Task<Bundle> ReadAllAsync(CancellationToken cancellationToken)
    {
        var kinds = ResourceKinds.All;
        var sections = await Task.WhenAll(kinds.Select(kind => ReadKindAsync(kind, cancellationToken)));
        return new Bundle(kinds.Select((kind, i) => (kind, sections[i])).ToDictionary(s => s.kind, s => s.Item2));
    }

    /// <summary>Which of <paramref name="names"/> are stored as a resource of one of <paramref name="kinds"/>; only their partitions are asked.</summary>
    public async Task<IReadOnlySet<string>> WhichExistAsync(IReadOnlyCollection<ResourceKind> kinds, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        var partitions = names.Select(PartitionScheme.PartitionOf).Distinct().ToList();
        var replies = await Task.WhenAll(kinds.SelectMany(kind => partitions.Select(p => ReadPartitionAsync(kind, p, cancellationToken))));
        return names.Where(name => replies.Any(r => r.Resources.ContainsKey(name))).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The names of every stored resource of <paramref name="kinds"/>.</summary>
    public async Task<IReadOnlySet<string>> NamesAsync(IReadOnlyCollection<ResourceKind> kinds, CancellationToken cancellationToken)
    {
        var sections = await Task.WhenAll(kinds.Select(kind => ReadKindAsync(kind, cancellationToken)));
        return sections.SelectMany(s => s.Keys).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The journal position of each of <paramref name="partitions"/>, by persistence id.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadPositionsAsync(IEnumerable<(ResourceKind Kind, int Partition)> partitions,
        CancellationToken cancellationToken)
    {
        var replies = await Task.WhenAll(partitions.Select(p => AskAsync<PartitionPosition>(p.Kind, p.Partition,
            new GetPartitionPosition(p.Kind, p.Partition), cancellationToken)));
        return replies.ToDictionary(r => PartitionScheme.PersistenceId(r.Kind, r.Partition), r => r.SequenceNr);
    }

    private Task<PartitionContents> ReadPartitionAsync(ResourceKind kind, int partition, CancellationToken cancellationToken) =>
        AskAsync<PartitionContents>(kind, partition, new GetPartitionContents(kind, partition), cancellationToken);

    private async Task<T> AskAsync<T>(ResourceKind kind, int partition, IPartitionCommand question, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await regions[kind].Ask<T>(question, _policy.Interval, cancellationToken);
            }
            catch (AskTimeoutException) when (attempt < _policy.Attempts)
            {
            }
            catch (AskTimeoutException)
            {
                throw new PartitionUnavailableException(kind, partition, _policy.Interval * _policy.Attempts);
            }
        }
    }

    private static Dictionary<string, string> Merge(IReadOnlyCollection<PartitionContents> replies)
    {
        var all = new Dictionary<string, string>(replies.Sum(r => r.Resources.Count), StringComparer.Ordinal);
        foreach (var reply in replies)
            foreach (var (name, definition) in reply.Resources) all[name] = definition;
        return all;
    }
}

/// <summary>A partition did not answer within the retry policy: what was asked cannot be known now.</summary>
public sealed class PartitionUnavailableException(ResourceKind kind, int partition, TimeSpan waited)
    : Exception($"partition {kind.RegionName()}-{PartitionScheme.EntityId(partition)} did not answer within {waited.TotalSeconds:0}s");
