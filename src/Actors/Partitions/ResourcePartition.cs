using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Kuiper.Actors.Fencing;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>
/// One partition of one resource kind (for example <c>rules-p07</c>): keeps its resources in memory,
/// persists one event per batch and replies only once that event is on disk. It writes only once it holds its
/// persistence id (<see cref="FencedPersistentActor"/>); reads are answered from memory meanwhile.
/// </summary>
public sealed class ResourcePartition : FencedPersistentActor
{
    /// <summary>Snapshot every N events so that recovery reads one snapshot and a short tail.</summary>
    public const int SnapshotEvery = 20;

    private readonly IResourceRules _rules;
    private readonly int _partition;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private PartitionState _state = new();

    /// <summary>The batch whose event is being written: answered even when the journal fails it.</summary>
    private (IActorRef ReplyTo, ApplyBatch Batch)? _writing;

    public ResourcePartition(IResourceRules rules, string entityId)
    {
        _rules = rules;
        _partition = PartitionScheme.ParseEntityId(entityId);
        PersistenceId = PartitionScheme.PersistenceId(rules.Kind, _partition);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is PartitionSnapshot snapshot) _state = new PartitionState(snapshot);
        });
        Recover<BatchStored>(stored => _state.Apply(stored));

        Command<ApplyBatch>(OnApplyBatch);
        Command<GetPartitionPosition>(_ => Sender.Tell(new PartitionPosition(_rules.Kind, _partition, LastSequenceNr)));
        Command<GetPartitionContents>(_ =>
            Sender.Tell(new PartitionContents(_rules.Kind, _partition, _state.CopyResources())));
        Command<StopPartition>(_ => Context.Stop(Self));
        Command<SaveSnapshotSuccess>(s =>
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    public override string PersistenceId { get; }

    protected override bool ServesWhileClaiming(object message) =>
        message is GetPartitionContents or GetPartitionPosition or StopPartition or ApplyBatch { CheckOnly: true };

    public static Props Props(IResourceRules rules, string entityId) =>
        Akka.Actor.Props.Create(() => new ResourcePartition(rules, entityId));

    /// <summary>
    /// The journal failed the write: the batch is answered once with the reason (never retried forever), then the
    /// partition stops as Akka.Persistence requires; its back-off supervisor starts it again from the journal.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        AnswerNotStored(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        AnswerNotStored(cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private void AnswerNotStored(Exception cause)
    {
        if (_writing is not { } writing) return;
        _writing = null;
        var (replyTo, batch) = writing;
        var why = $"not stored: the journal did not take the write ({cause.GetBaseException().Message})";
        replyTo.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId,
            batch.Items.Select(i => i.Name).Distinct().ToDictionary(n => n, _ => why, StringComparer.Ordinal), why));
    }

    private void OnApplyBatch(ApplyBatch batch)
    {
        if (_state.Outcome(batch.BatchId) is { } done)
        {
            // A retry of a batch already on disk: answer again, change nothing.
            Sender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, done.Errors, SequenceNr: LastSequenceNr));
            return;
        }

        BatchStored stored;
        try
        {
            stored = _state.Decide(batch, _rules);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Answered once, as the batch's error: a throw would restart the entity and the retry would throw again.
            _log.Error(e, "Batch {0} of {1} could not be decided", batch.BatchId, PersistenceId);
            var failed = batch.Items.Select(i => i.Name).Distinct(StringComparer.Ordinal)
                .ToDictionary(n => n, _ => $"the batch could not be checked: {e.GetType().Name}: {e.Message}", StringComparer.Ordinal);
            Sender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, failed, SequenceNr: LastSequenceNr));
            return;
        }
        if (batch.CheckOnly)
        {
            Sender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, stored.Errors, Changes: _state.Changes(stored)));
            return;
        }
        // Applied, not checked: the unchanged names only serve a dry run's plan, and are most of a re-import's answer.
        var changes = _state.Changes(stored) with { Unchanged = [] };
        if (_state.ChangesNothing(stored))
        {
            Sender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, stored.Errors, Changes: changes, SequenceNr: LastSequenceNr));
            return;
        }
        var replyTo = Sender;
        _writing = (replyTo, batch);
        var writeStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        Persist(stored, e =>
        {
            Metrics.KuiperMeter.JournalWrite.Record(System.Diagnostics.Stopwatch.GetElapsedTime(writeStarted).TotalSeconds);
            _writing = null;
            _state.Apply(e);
            replyTo.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, e.Errors, Changes: changes, SequenceNr: LastSequenceNr));
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
        });
    }
}
