namespace Kuiper.Actors.Partitions;

/// <summary>
/// How patient a sender is with partitions. A command that gets no answer (its node died, its shard is being handed
/// over) is sent again after <paramref name="RetryInterval"/>, <paramref name="Attempts"/> times at most; commands are
/// idempotent. <paramref name="ReadBound"/>: how long a read that answers a client (an export, a REST read) waits; null:
/// as long as a write does (<see cref="GiveUpAfter"/>). A partition that lost the database cannot answer until it is
/// back, and a client is better served by a prompt 503 than by a minute's wait.
/// </summary>
public sealed record PartitionPatience(TimeSpan RetryInterval, int Attempts, TimeSpan? ReadBound = null)
{
    public TimeSpan GiveUpAfter => RetryInterval * Attempts;
}
