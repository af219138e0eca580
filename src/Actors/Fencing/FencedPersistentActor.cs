using Akka.Actor;
using Akka.Persistence;

namespace Kuiper.Actors.Fencing;

/// <summary>
/// A persistent actor that claims its persistence id (<see cref="JournalFence"/>) once it has recovered, before it
/// writes: until the claim is made, commands are stashed, except those <see cref="ServesWhileClaiming"/> answers from
/// memory. When the journal holds events it did not recover (another writer appended in between) the actor fails and
/// its supervisor starts it again, which recovers them: it never writes on top of a state it has not seen.
/// </summary>
public abstract class FencedPersistentActor : ReceivePersistentActor
{
    private readonly JournalFence _fence = JournalFence.Get(Context.System);
    private bool _claiming;

    protected FencedPersistentActor()
    {
        Recover<RecoveryCompleted>(_ => Claim());
        // Registered before any subclass handler: these are matched first.
        Command<FenceClaim>(claim =>
        {
            if (claim.Stale)
                throw new WriterConflictException(
                    $"{PersistenceId}: the journal holds events up to {claim.JournalHighest}, this actor recovered {claim.RecoveredTo}: " +
                    "another writer appended meanwhile; recovering again");
            _claiming = false;
            Stash.UnstashAll();
            OnClaimed();
        });
        Command<ClaimFailed>(failed =>
            throw new WriterConflictException($"{PersistenceId}: the claim could not be made: {failed.Error.GetBaseException().Message}", failed.Error));
    }

    /// <summary>Called once the id is held (at once where the fence is off): the actor may write from now on.</summary>
    protected virtual void OnClaimed()
    {
    }

    /// <summary>Commands answered from memory while the claim is being made (reads); everything else waits for it.</summary>
    protected virtual bool ServesWhileClaiming(object message) => false;

    private void Claim()
    {
        if (!_fence.Enabled)
        {
            OnClaimed();
            return;
        }
        _claiming = true;
        _fence.ClaimAsync(PersistenceId, LastSequenceNr)
            .PipeTo(Self, success: claim => claim, failure: error => new ClaimFailed(error));
    }

    /// <summary>While the claim is made, what may not be answered from memory waits in the stash.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (!_claiming || message is FenceClaim or ClaimFailed || ServesWhileClaiming(message)) return base.AroundReceive(receive, message);
        Stash.Stash();
        return true;
    }

    private sealed record ClaimFailed(Exception Error);
}

/// <summary>A persistent actor could not take its persistence id over safely; it is started again and recovers.</summary>
public sealed class WriterConflictException(string message, Exception? inner = null) : Exception(message, inner);
