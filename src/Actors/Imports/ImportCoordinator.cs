using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Artefacts;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Imports;

/// <summary>
/// The one place writes are ordered, a cluster singleton: runs one import, change or export at a time (others wait
/// their turn in the stash) and replies once the import's report is on disk. An import received over HTTP runs on the
/// node that received it, under a lease from here (<see cref="LeasedImport"/>): its bundle never crosses to this node.
/// It never stops on a journal failure: its <see cref="ImportRecords"/> child does, and is started again with
/// back-off, while the coordinator keeps the last report in memory and answers an import that could not be stored
/// with the reason.
/// </summary>
public sealed class ImportCoordinator : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    public const string SingletonName = "import-coordinator";
    private static readonly TimeSpan MinBackOff = TimeSpan.FromSeconds(1), MaxBackOff = TimeSpan.FromSeconds(30);

    private readonly PartitionRegions _regions;
    private readonly CoordinatorSettings _settings;
    private readonly PartitionReader _reader;

    /// <summary>Exports answer a client: they give up after the read bound, and are answered 503 (never a minute's wait).</summary>
    private readonly PartitionReader _exportReader;
    private readonly ArtefactStager? _stager;
    private readonly IActorRef? _pubSub;
    private readonly PartitionHistory? _journal;

    /// <summary>Answers that grow with the bundle (reports, exports, history) go to another node in chunks.</summary>
    private readonly MessageTransfer _transfer = MessageTransfer.Get(Context.System);

    /// <summary>The size of the bundle the current import or export handles, noted for <see cref="Memory.HeapTrimming"/> when it ends.</summary>
    private long _workBytes;

    /// <summary>The status: the last import that was no dry run.</summary>
    private ImportReport _last = ImportReport.None;

    /// <summary>The newest reports, newest first (dry runs included), as the keeper holds them.</summary>
    private List<ImportReport> _history = [];

    private IActorRef? _records;

    /// <summary>Idempotency keys: answered ones (recorded by the keeper too) and those whose request runs now.</summary>
    private readonly ImportKeys _keys;

    /// <summary>Every partition's journal position as last seen, by persistence id: recorded with each import.</summary>
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);

    private sealed record PositionsRead(IReadOnlyDictionary<string, long>? Positions);
    private TimeSpan _backOff = MinBackOff;

    private sealed record ExportRead(Bundle Bundle);

    private sealed record ExportFailed(string Reason);

    private sealed record StartRecords
    {
        public static readonly StartRecords Instance = new();
    }

    /// <param name="stager">fetches and checks artefacts; null where none is staged (actor tests)</param>
    /// <param name="pubSub">the distributed pub-sub mediator, to tell every node's installer; null outside a cluster</param>
    /// <param name="history">the journal's own list of what was written; null where there is no query journal (actor tests)</param>
    public ImportCoordinator(PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null, IActorRef? pubSub = null,
        PartitionHistory? history = null)
    {
        _journal = history;
        _regions = regions;
        _settings = settings;
        _reader = new PartitionReader(regions, settings);
        _exportReader = new PartitionReader(regions, settings, bounded: true);
        _stager = stager;
        _pubSub = pubSub;
        _keys = new ImportKeys(settings.Keys ?? KeyRetention.Default);
        Starting();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null, IActorRef? pubSub = null,
        PartitionHistory? history = null) =>
        Akka.Actor.Props.Create(() => new ImportCoordinator(regions, settings, stager, pubSub, history));

    protected override void PreStart() => StartRecordKeeper();

    /// <summary>Until the last report is read back (or the journal is found down), everything waits.</summary>
    private void Starting()
    {
        Transfers();
        Receive<ImportRecords.Recovered>(recovered =>
        {
            Recover(recovered);
            BackToIdle();
        });
        Receive<Terminated>(terminated =>
        {
            RecordKeeperStopped(terminated);
            BackToIdle();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Idle()
    {
        Receive<StartImport>(start =>
        {
            var requester = Sender;
            _workBytes = Memory.HeapTrimming.SizeOf(start.Bundle);
            var run = Run(ImportPlan.For(start, EmptyPartitions()));
            Become(() => Importing(requester, ImportPlan.TouchesArtefacts(start), start.ImportId, run));
        });
        Receive<LeaseImport>(lease =>
        {
            var holder = Sender;
            // The holder's actor or node may end before it finishes: then the lease ends with it.
            Context.Watch(holder);
            holder.Tell(new ImportLeased(lease.ImportId, EmptyPartitions().ToList()));
            Become(() => Leased(holder, lease.ImportId));
        });
        Receive<ChangeResources>(change =>
        {
            var requester = Sender;
            Run(ImportPlan.ForChange(change), stage: false);
            Become(() => Changing(requester, change));
        });
        Receive<ExportAll>(_ =>
        {
            var requester = Sender;
            _exportReader.ReadAllAsync(CancellationToken.None)
                .PipeTo(Self, success: bundle => new ExportRead(bundle), failure: e => new ExportFailed(e.Message));
            Become(() => Exporting(requester));
        });
        CommonMessages();
    }

    /// <param name="stage">false for a change: its endpoint staged the artefacts it carries already (on the receiving node)</param>
    private IActorRef Run(ImportPlan plan, bool stage = true) =>
        Context.ActorOf(ImportRun.Props(plan, _regions, _settings, stage ? _stager : null));

    /// <summary>An import: its report becomes the import status, on disk before the reply.</summary>
    private void Importing(IActorRef requester, bool touchesArtefacts, string importId, IActorRef run)
    {
        Receive<GetImportProgress>(get => get.ImportId == importId, get => run.Forward(get));
        Receive<CancelImport>(cancel => cancel.ImportId == importId, cancel => run.Forward(cancel));
        Receive<ImportRunFinished>(finished => Finish(requester, touchesArtefacts, finished));
        Busy();
    }

    /// <summary>
    /// An import that runs on the node that received it (<see cref="LeasedImport"/>): no other write or export runs
    /// until it finishes, and it is recorded like one run here. Progress and cancel questions go to its holder.
    /// </summary>
    private void Leased(IActorRef holder, string importId)
    {
        Receive<GetImportProgress>(get => get.ImportId == importId, get => holder.Forward(get));
        Receive<CancelImport>(cancel => cancel.ImportId == importId, cancel => holder.Forward(cancel));
        Receive<FinishLeasedImport>(finish => finish.ImportId == importId && Sender.Equals(holder), finish =>
        {
            Context.Unwatch(holder);
            Finish(holder, finish.TouchesArtefacts,
                new ImportRunFinished(finish.Report, finish.JournalFailure, finish.Changes, finish.Positions, finish.ArtefactsChanged, finish.Applied));
        });
        Receive<ReleaseLease>(release => release.ImportId == importId && Sender.Equals(holder), _ =>
        {
            // Its client went away before the turn came: nothing was sent to a partition, so positions stand.
            Context.Unwatch(holder);
            Context.GetLogger().Info("Import {0} was dropped at its turn: its client had gone", importId);
            BackToIdle();
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(holder), _ =>
        {
            // Its node left or its actor stopped mid-import: what it wrote is not known here, so every partition's
            // position is read again before the next record names them.
            Context.GetLogger().Warning("Import {0} ended with its node {1} before it was reported; it is not recorded", importId,
                holder.Path.Address);
            _positions.Clear();
            BackToIdle();
        });
        Busy();
    }

    /// <summary>An import ended: its report becomes the status and goes to disk, then its requester is answered.</summary>
    private void Finish(IActorRef requester, bool touchesArtefacts, ImportRunFinished finished)
    {
        Merge(finished.Positions);
        if (touchesArtefacts && finished.ArtefactsChanged) AnnounceArtefacts(finished.Report.ImportId);
        var answer = new ImportCompleted(finished.Report, Changes: finished.Changes, ArtefactsChanged: finished.ArtefactsChanged,
            Applied: finished.Applied);
        if (finished.JournalFailure is not null)
        {
            Remember(answer.Report);
            var dryRun = answer.Report.Apply == ImportApply.Never;
            Reply(requester, dryRun ? answer : answer with { Unavailable = finished.JournalFailure });
            BackToIdle();
            return;
        }
        if (_records is null)
        {
            // The keeper stopped after an earlier failure and waits out its back-off: the database may well be back
            // (seen: this import answered "unavailable" while it was up). Start it now and record once it has recovered.
            Timers.Cancel(nameof(StartRecords));
            StartRecordKeeper();
            Become(() => RestartingRecords(requester, answer));
            return;
        }
        RecordWithPositions(requester, answer);
    }

    /// <summary>Waits for a keeper started for this import's record: recovered, it records; stopped again, the journal is down.</summary>
    private void RestartingRecords(IActorRef requester, ImportCompleted answer)
    {
        Receive<ImportRecords.Recovered>(recovered =>
        {
            Recover(recovered, historyToo: _history.Count == 0);
            RecordWithPositions(requester, answer);
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_records), terminated =>
        {
            RecordKeeperStopped(terminated);
            Remember(answer.Report);
            Reply(requester, answer.Report.Apply == ImportApply.Never ? answer : answer with { Unavailable = RecordNotStored("the journal did not answer") });
            BackToIdle();
        });
        Busy();
    }

    /// <summary>The text for an import whose record did not reach the journal (what it applied stays applied).</summary>
    private static string RecordNotStored(string reason) =>
        $"its record could not be stored ({reason}); GET /data/import/status shows it until the coordinator restarts";

    private void RecordWithPositions(IActorRef requester, ImportCompleted answer)
    {
        var unknown = PartitionScheme.All().Where(p => !_positions.ContainsKey(PartitionScheme.PersistenceId(p.Kind, p.Partition))).ToList();
        if (unknown.Count == 0)
        {
            Record(requester, answer);
            return;
        }
        // Once per coordinator: the partitions this one has not written to yet say where they are; those the journal
        // has nothing of stand at 0 and are not started for it.
        UnknownPositionsAsync(unknown)
            .PipeTo(Self, success: positions => new PositionsRead(positions), failure: _ => new PositionsRead(null));
        Become(() => ReadingPositions(requester, answer));
    }

    private async Task<IReadOnlyDictionary<string, long>> UnknownPositionsAsync(IReadOnlyList<(ResourceKind Kind, int Partition)> unknown)
    {
        if (_journal is null) return await _reader.ReadPositionsAsync(unknown, CancellationToken.None);
        var written = await _journal.PersistedIdsAsync(CancellationToken.None);
        var positions = unknown.Select(p => PartitionScheme.PersistenceId(p.Kind, p.Partition))
            .Where(id => !written.Contains(id)).ToDictionary(id => id, _ => 0L, StringComparer.Ordinal);
        foreach (var (id, position) in await _reader.ReadPositionsAsync(
                     unknown.Where(p => written.Contains(PartitionScheme.PersistenceId(p.Kind, p.Partition))), CancellationToken.None))
            positions[id] = position;
        return positions;
    }

    private void ReadingPositions(IActorRef requester, ImportCompleted answer)
    {
        Receive<PositionsRead>(read =>
        {
            Merge(read.Positions);
            Record(requester, answer);
        });
        Busy();
    }

    /// <summary>The report with the configuration it left (every partition's position, when all are known), on to disk.</summary>
    private void Record(IActorRef requester, ImportCompleted answer)
    {
        var complete = _positions.Count == ResourceKinds.All.Count * PartitionScheme.PartitionCount;
        var report = answer.Report with { Positions = complete ? new Dictionary<string, long>(_positions, StringComparer.Ordinal) : null };
        Remember(report);
        _records!.Tell(new ImportRecords.Record(report));
        // A dry run's answer does not depend on its record: it goes out now; the next write still waits for the record.
        if (report.Apply == ImportApply.Never) Reply(requester, answer);
        Become(() => Recording(requester, answer with { Report = report }));
    }

    /// <summary>A dry run is kept in the history, marked as such, and leaves the status alone.</summary>
    private void Remember(ImportReport report)
    {
        if (report.Apply != ImportApply.Never) _last = report;
        _history.Insert(0, report);
        if (_history.Count > _settings.HistoryLimit) _history.RemoveRange(_settings.HistoryLimit, _history.Count - _settings.HistoryLimit);
    }

    /// <summary>
    /// The partitions known to hold nothing: at position 0 (partitions never delete events, and every write is ordered
    /// here, so a position only grows, and only while this coordinator sees the writes; a lost lease forgets them all).
    /// </summary>
    private IReadOnlySet<string> EmptyPartitions() =>
        _positions.Where(p => p.Value == 0).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

    private void Merge(IReadOnlyDictionary<string, long>? positions)
    {
        foreach (var (id, position) in positions ?? new Dictionary<string, long>())
            _positions[id] = Math.Max(position, _positions.GetValueOrDefault(id));
    }

    /// <summary>Waits for the report to be on disk before the import is answered (a dry run was answered already).</summary>
    private void Recording(IActorRef requester, ImportCompleted answer)
    {
        var answered = answer.Report.Apply == ImportApply.Never;
        void Answer(ImportCompleted completed)
        {
            if (!answered) Reply(requester, completed);
            BackToIdle();
        }
        Receive<ImportRecords.Recorded>(_ => Answer(answer));
        Receive<ImportRecords.RecordFailed>(failed => Answer(answer with { Unavailable = RecordNotStored(failed.Reason) }));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_records), terminated =>
        {
            // The keeper stopped before it answered: the report may not be on disk.
            RecordKeeperStopped(terminated);
            Answer(answer with { Unavailable = RecordNotStored("the journal stopped its keeper") });
        });
        Busy();
    }

    /// <summary>A change of single resources is no import: the status of the last import stays as it was.</summary>
    private void Changing(IActorRef requester, ChangeResources change)
    {
        Receive<ImportRunFinished>(finished =>
        {
            Merge(finished.Positions);
            requester.Tell(new ResourcesChanged(change.ChangeId,
                finished.Report.Errors.GetValueOrDefault(change.Kind) ?? new Dictionary<string, string>()));
            if (change.Kind.IsArtefact()) AnnounceArtefacts(change.ChangeId);
            BackToIdle();
        });
        Busy();
    }

    /// <summary>An export reads between writes, so that it never sees half an import.</summary>
    private void Exporting(IActorRef requester)
    {
        Receive<ExportRead>(read =>
        {
            _workBytes = Memory.HeapTrimming.SizeOf(read.Bundle);
            Reply(requester, new ExportSnapshot(read.Bundle));
            BackToIdle();
        });
        Receive<ExportFailed>(failed =>
        {
            // A refusal crosses nodes as a message (an exception would not keep its text): the HTTP edge answers it 503.
            Reply(requester, new TransferRefused($"the export could not be read: {failed.Reason}; try again once the database is back", Answered: true));
            BackToIdle();
        });
        Busy();
    }

    private void Busy()
    {
        CommonMessages();
        ReceiveAny(_ => Stash.Stash());
    }

    private void CommonMessages()
    {
        Transfers();
        Receive<GetImportStatus>(_ => Reply(Sender, new ImportStatus(_last)));
        Receive<GetImportHistory>(get => Reply(Sender, new ImportHistory(_history.Take(Math.Max(0, get.Limit)).ToList())));
        Receive<GetImportProgress>(get => Sender.Tell(new ImportProgress(get.ImportId, false, "", 0, 0)));
        Receive<CancelImport>(cancel => Sender.Tell(new ImportCancelAnswer(cancel.ImportId, false)));
        Receive<Terminated>(RecordKeeperStopped);
        Receive<StartRecords>(_ => StartRecordKeeper());
        Receive<ImportRecords.Recovered>(recovered =>
        {
            // Started while the journal was down: what was recorded counts, unless an import ran since.
            Recover(recovered, historyToo: _history.Count == 0);
        });
        // Keys are answered in every state: a retry never waits behind the import it repeats.
        Receive<ClaimImportKey>(claim => Sender.Tell(_keys.Claim(claim, DateTimeOffset.UtcNow)));
        Receive<SettleImportKey>(settle =>
        {
            if (_keys.Settle(settle, DateTimeOffset.UtcNow)) _records?.Tell(new ImportRecords.RecordKey(settle.Answer!));
            Sender.Tell(new ImportKeySettled(settle.Key));
        });
    }

    /// <summary>
    /// In every state: where this coordinator runs, and a chunked message from another node (a large import), which is
    /// reassembled beside this actor and then handled like one sent whole (stashed while another import runs).
    /// </summary>
    private void Transfers()
    {
        Receive<LocateActor>(_ => Sender.Tell(new ActorLocated(Self)));
        Receive<ChunkedMessage>(chunked => _transfer.Deliver(chunked, Self, Sender));
    }

    private void Reply(IActorRef requester, object answer) => _transfer.Tell(requester, answer, Self);

    /// <summary>What the keeper read back: keys always (memory holds a superset of the journal's), the history when asked.</summary>
    private void Recover(ImportRecords.Recovered recovered, bool historyToo = true)
    {
        if (historyToo)
        {
            _history = recovered.History.ToList();
            _last = _history.FirstOrDefault(r => r.Apply != ImportApply.Never) ?? ImportReport.None;
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var answer in recovered.Keys) _keys.Add(answer, now);
        _backOff = MinBackOff;
    }

    private void StartRecordKeeper() =>
        _records = Context.Watch(Context.ActorOf(ImportRecords.Props(_settings.HistoryLimit, _settings.Keys ?? KeyRetention.Default)));

    private void RecordKeeperStopped(Terminated terminated)
    {
        if (!terminated.ActorRef.Equals(_records)) return;
        _records = null;
        Timers.StartSingleTimer(nameof(StartRecords), StartRecords.Instance, _backOff);
        _backOff = TimeSpan.FromTicks(Math.Min(_backOff.Ticks * 2, MaxBackOff.Ticks));
    }

    private void AnnounceArtefacts(string changeId) =>
        _pubSub?.Tell(new Publish(ArtefactsChanged.Topic, new ArtefactsChanged(changeId)));

    private void BackToIdle()
    {
        // The bundle of the import or export just finished is garbage now: on this node it may have come from
        // another node, so no HTTP request noted it (measured: a 500,000-resource import left 180 MB here).
        Memory.HeapTrimming.Shared.After(_workBytes);
        _workBytes = 0;
        Become(Idle);
        Stash.UnstashAll();
    }
}
