using Akka.Actor;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Sends one command to each of many partitions and resends those that stay unanswered, every
/// retry interval, until they answer or the attempts run out. Used by import stages for their batches; reads go through <see cref="Partitions.PartitionReader"/>.
/// </summary>
internal sealed class PartitionFanOut(PartitionRegions regions, IActorRef self, CoordinatorSettings settings)
{
    private readonly Dictionary<string, (IPartitionCommand Command, int Attempts)> _pending = new();

    public int Pending => _pending.Count;

    /// <summary>The owner's cue to call <see cref="Retry"/>.</summary>
    public sealed record RetryTick
    {
        public static readonly RetryTick Instance = new();
    }

    /// <summary>Sends the owner a <see cref="RetryTick"/> every retry interval.</summary>
    public void StartRetrying(ITimerScheduler timers) =>
        timers.StartPeriodicTimer(nameof(RetryTick), RetryTick.Instance, settings.BatchRetryInterval);

    public void Send(string key, IPartitionCommand command)
    {
        _pending[key] = (command, 1);
        regions[command.Kind].Tell(command, self);
    }

    /// <summary>True when the key was still waited for (a late duplicate answer is ignored).</summary>
    public bool Answered(string key) => _pending.Remove(key);

    /// <summary>Resends what is unanswered; returns the commands that used up their attempts, and forgets them.</summary>
    public IReadOnlyList<IPartitionCommand> Retry()
    {
        var exhausted = new List<IPartitionCommand>();
        foreach (var (key, (command, attempts)) in _pending.ToArray())
        {
            if (attempts >= settings.BatchAttempts)
            {
                exhausted.Add(command);
                _pending.Remove(key);
                continue;
            }
            _pending[key] = (command, attempts + 1);
            regions[command.Kind].Tell(command, self);
        }
        return exhausted;
    }
}
