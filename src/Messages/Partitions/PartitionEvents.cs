namespace Kuiper.Messages.Partitions;

/// <summary>
/// Persisted once per applied batch. <paramref name="Stored"/> holds the definitions as stored (after
/// validation and merging), <paramref name="Removed"/> the names that are gone; <paramref name="Errors"/> is
/// kept so that a retried batch gets the same answer.
/// </summary>
public sealed record BatchStored(
    string BatchId,
    bool ReplaceAll,
    IReadOnlyDictionary<string, string> Stored,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<string>? Removed = null) : IKuiperMessage;

/// <summary>A partition's whole state, saved every N events so recovery does not replay the journal.</summary>
public sealed record PartitionSnapshot(
    IReadOnlyDictionary<string, string> Resources,
    IReadOnlyList<BatchOutcome> RecentBatches) : IKuiperMessage;

public sealed record BatchOutcome(string BatchId, IReadOnlyDictionary<string, string> Errors);
