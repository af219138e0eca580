namespace Kuiper.Actors.Imports;

/// <summary>
/// How patient the coordinator is with partitions. A batch that gets no answer (its node died, its shard is
/// being handed over) is sent again after <see cref="BatchRetryInterval"/>; batches are idempotent.
/// </summary>
/// <paramref name="HistoryLimit"/>: how many import reports the history keeps.
/// <paramref name="ReadBound"/>: how long a read that answers a client (an export, a REST read) waits for a partition;
/// null: as long as a write does (<see cref="GiveUpAfter"/>). A partition that lost the database cannot answer until it
/// is back, and a client is better served by a prompt 503 than by a minute's wait.
/// <paramref name="Keys"/>: how long and how many <c>Idempotency-Key</c> answers are kept.
public sealed record CoordinatorSettings(TimeSpan BatchRetryInterval, int BatchAttempts, int HistoryLimit = 100, TimeSpan? ReadBound = null,
    KeyRetention? Keys = null)
{
    public static readonly CoordinatorSettings Default = new(TimeSpan.FromSeconds(5), 12);

    public TimeSpan GiveUpAfter => BatchRetryInterval * BatchAttempts;
}

/// <summary>An <c>Idempotency-Key</c>'s answer is replayed for <paramref name="Retention"/>; at most <paramref name="Limit"/> are kept (the newest).</summary>
public sealed record KeyRetention(TimeSpan Retention, int Limit)
{
    public static readonly KeyRetention Default = new(TimeSpan.FromHours(24), 1000);
}
