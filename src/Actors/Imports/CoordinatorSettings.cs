namespace Kuiper.Actors.Imports;

/// <summary>
/// How patient the coordinator is with partitions. A batch that gets no answer (its node died, its shard is
/// being handed over) is sent again after <see cref="BatchRetryInterval"/>; batches are idempotent.
/// </summary>
/// <paramref name="HistoryLimit"/>: how many import reports the history keeps.
public sealed record CoordinatorSettings(TimeSpan BatchRetryInterval, int BatchAttempts, int HistoryLimit = 100)
{
    public static readonly CoordinatorSettings Default = new(TimeSpan.FromSeconds(5), 12);

    public TimeSpan GiveUpAfter => BatchRetryInterval * BatchAttempts;
}
