using Akka.Actor;
using Akka.Persistence;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Keeps the import reports on disk, so that the status survives restarts. A child of the coordinator: a journal
/// failure stops this keeper only, while the coordinator goes on answering from memory and starts it again.
/// </summary>
public sealed class ImportRecords : ReceivePersistentActor
{
    private const int SnapshotEvery = 10;

    private ImportReport _last = ImportReport.None;
    private IActorRef? _writing;

    /// <summary>Write a report; answered <see cref="Recorded"/> once on disk, or <see cref="RecordFailed"/>.</summary>
    public sealed record Record(ImportReport Report);

    public sealed record Recorded
    {
        public static readonly Recorded Instance = new();
    }

    public sealed record RecordFailed(string Reason);

    /// <summary>Told to the parent once the reports are read back.</summary>
    public sealed record Recovered(ImportReport Last);

    public ImportRecords()
    {
        Recover<ImportRecorded>(recorded => _last = recorded.Report);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ImportRecorded recorded) _last = recorded.Report;
        });
        Command<Record>(record =>
        {
            var replyTo = _writing = Sender;
            Persist(new ImportRecorded(record.Report), recorded =>
            {
                _writing = null;
                _last = recorded.Report;
                replyTo.Tell(Recorded.Instance);
                if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(recorded);
            });
        });
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    /// <summary>The coordinator's own id from before the keeper existed: journals written then still recover.</summary>
    public override string PersistenceId => ImportCoordinator.SingletonName;

    protected override void OnReplaySuccess() => Context.Parent.Tell(new Recovered(_last));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writing?.Tell(new RecordFailed(cause.GetBaseException().Message));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _writing?.Tell(new RecordFailed(cause.GetBaseException().Message));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }
}
