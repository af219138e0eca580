using Kuiper.Actors.Partitions;

namespace Kuiper.Actors.Imports;

/// <summary>
/// The coordinator's and its imports' settings: how patient they are with partitions (<see cref="Partitions"/>: a batch
/// that gets no answer is sent again after <see cref="BatchRetryInterval"/>), how many import reports the history keeps
/// (<paramref name="HistoryLimit"/>), and how long and how many <c>Idempotency-Key</c> answers are kept (<paramref name="Keys"/>).
/// <paramref name="ReadBound"/>: see <see cref="PartitionPatience"/>.
/// </summary>
public sealed record CoordinatorSettings(TimeSpan BatchRetryInterval, int BatchAttempts, int HistoryLimit = 100, TimeSpan? ReadBound = null,
    KeyRetention? Keys = null)
{
    public static readonly CoordinatorSettings Default = new(TimeSpan.FromSeconds(5), 12);

    public TimeSpan GiveUpAfter => BatchRetryInterval * BatchAttempts;

    /// <summary>The patience with partitions alone, as their reader takes it.</summary>
    public PartitionPatience Partitions => new(BatchRetryInterval, BatchAttempts, ReadBound);
}

/// <summary>An <c>Idempotency-Key</c>'s answer is replayed for <paramref name="Retention"/>; at most <paramref name="Limit"/> are kept (the newest).</summary>
public sealed record KeyRetention(TimeSpan Retention, int Limit)
{
    public static readonly KeyRetention Default = new(TimeSpan.FromHours(24), 1000);
}
