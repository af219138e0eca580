using Akka.Actor;
using Akka.Persistence;
using Kuiper.Actors.Fencing;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Keeps the import reports on disk: the status and a bounded history survive restarts. A child of the coordinator:
/// a journal failure stops this keeper only, while the coordinator goes on answering from memory and starts it again.
/// </summary>
public sealed class ImportHistoryKeeper : FencedPersistentActor
{
    /// <summary>Each snapshot holds the whole bounded history (journal positions included): taken rarely, recovery replays the rest.</summary>
    private const int SnapshotEvery = 50;

    private readonly int _keep;
    private readonly LinkedList<ImportReport> _history = new();

    /// <summary>The Idempotency-Key answers, kept in the same journal and snapshots as the reports.</summary>
    private readonly ImportKeys _keys;
    private IActorRef? _writing;

    /// <summary>Write a report; answered <see cref="Kept"/> once on disk, or <see cref="KeepFailed"/>.</summary>
    public sealed record Keep(ImportReport Report);

    public sealed record Kept
    {
        public static readonly Kept Instance = new();
    }

    public sealed record KeepFailed(string Reason);

    /// <summary>Write a key's answer; not answered (the coordinator replays it from memory meanwhile).</summary>
    public sealed record KeepKey(IdempotentAnswer Answer);

    /// <summary>Told to the parent once the reports are read back: the history, newest first, and the keys' answers.</summary>
    public sealed record Recovered(IReadOnlyList<ImportReport> History, IReadOnlyList<IdempotentAnswer> Keys);

    /// <param name="keep">how many reports the history keeps (the newest)</param>
    /// <param name="keys">how long and how many Idempotency-Key answers are kept</param>
    public ImportHistoryKeeper(int keep, KeyRetention? keys = null)
    {
        _keep = keep;
        _keys = new ImportKeys(keys ?? KeyRetention.Default);
        Recover<ImportRecorded>(recorded => Add(recorded.Report));
        Recover<ImportKeyRecorded>(recorded => _keys.Add(recorded.Answer, DateTimeOffset.UtcNow));
        Recover<SnapshotOffer>(offer =>
        {
            _history.Clear();
            switch (offer.Snapshot)
            {
                case ImportHistorySnapshot snapshot:
                    foreach (var report in snapshot.Reports.Reverse()) Add(report);
                    foreach (var answer in snapshot.Keys ?? []) _keys.Add(answer, DateTimeOffset.UtcNow);
                    break;
                case ImportRecorded recorded: // the snapshot written before the history existed
                    Add(recorded.Report);
                    break;
            }
        });
        Command<Keep>(record =>
        {
            var replyTo = _writing = Sender;
            Persist(new ImportRecorded(record.Report), recorded =>
            {
                _writing = null;
                Add(recorded.Report);
                replyTo.Tell(Kept.Instance);
                SnapshotIfDue();
            });
        });
        Command<KeepKey>(record => Persist(new ImportKeyRecorded(record.Answer), recorded =>
        {
            _keys.Add(recorded.Answer, DateTimeOffset.UtcNow);
            SnapshotIfDue();
        }));
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    public static Props Props(int keep, KeyRetention? keys = null) => Akka.Actor.Props.Create(() => new ImportHistoryKeeper(keep, keys));

    private void SnapshotIfDue()
    {
        if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(new ImportHistorySnapshot(_history.ToList(), _keys.Answers));
    }

    /// <summary>The coordinator's own id from before the keeper existed: journals written then still recover.</summary>
    public override string PersistenceId => ImportCoordinator.SingletonName;

    protected override void OnReplaySuccess() => Context.Parent.Tell(new Recovered(_history.ToList(), _keys.Answers));

    private void Add(ImportReport report)
    {
        _history.AddFirst(report);
        while (_history.Count > _keep) _history.RemoveLast();
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writing?.Tell(new KeepFailed(cause.GetBaseException().Message));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _writing?.Tell(new KeepFailed(cause.GetBaseException().Message));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }
}
