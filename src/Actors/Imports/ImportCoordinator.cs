using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Artefacts;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

using Kuiper.Actors.Releases;

namespace Kuiper.Actors.Imports;

/// <summary>
/// The one place writes are ordered, a cluster singleton. It runs nothing itself: it grants one lease at a time (others
/// wait their turn in the stash) to an import, change or export that runs on the node holding its bundle
/// (<see cref="LeasedImport"/>, <see cref="LeasedExport"/>), records an import's report and answers its holder once the
/// report is on disk. It never stops on a journal failure: its <see cref="ImportHistoryKeeper"/> child does, and is
/// started again with back-off, while the coordinator keeps the last report in memory and tells the holder why a
/// report could not be stored.
/// </summary>
public sealed class ImportCoordinator : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    public const string SingletonName = "import-coordinator";
    private static readonly TimeSpan MinBackOff = TimeSpan.FromSeconds(1), MaxBackOff = TimeSpan.FromSeconds(30);

    private readonly CoordinatorSettings _settings;

    /// <summary>Reads the positions of partitions no import has reported yet.</summary>
    private readonly PartitionReader _reader;
    private readonly IActorRef? _pubSub;
    private readonly PartitionHistory? _history;

    /// <summary>Answers that grow with the history (reports, the history itself) go to another node in chunks.</summary>
    private readonly MessageTransfer _transfer = MessageTransfer.Get(Context.System);

    /// <summary>The status: the last import that was no dry run.</summary>
    private ImportReport _last = ImportReport.None;

    /// <summary>The newest reports, newest first (dry runs included), as the keeper holds them.</summary>
    private List<ImportReport> _reports = [];

    private IActorRef? _records;

    /// <summary>Idempotency keys: answered ones (recorded by the keeper too) and those whose request runs now.</summary>
    private readonly ImportKeys _keys;

    /// <summary>Every partition's journal position as last seen, by persistence id: recorded with each import.</summary>
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);

    private sealed record PositionsRead(IReadOnlyDictionary<string, long>? Positions);
    private TimeSpan _backOff = MinBackOff;

    private sealed record StartRecords
    {
        public static readonly StartRecords Instance = new();
    }

    /// <summary>
    /// The singleton's termination message, sent when its node leaves and the singleton moves to the next oldest member
    /// (a rolling upgrade, a restart). The coordinator stops once no lease is out: the write under way ends and its report
    /// is recorded first, where stopping at once (Akka's default, a PoisonPill) cut an import between stages and its
    /// client was answered 502, outcome unknown. Leases asked for before it are still granted, in turn; those asked for
    /// after it are not: their holders see the coordinator end, nothing applied (503), and the client may send again.
    /// </summary>
    public sealed record HandOver
    {
        public static readonly HandOver Instance = new();
    }

    /// <param name="pubSub">the distributed pub-sub mediator, to tell every node's installer; null outside a cluster</param>
    /// <param name="history">the journal's own list of what was written; null where there is no query journal (actor tests)</param>
    public ImportCoordinator(PartitionRegions regions, CoordinatorSettings settings, IActorRef? pubSub = null, PartitionHistory? history = null)
    {
        _history = history;
        _settings = settings;
        _reader = new PartitionReader(regions, settings.Partitions);
        _pubSub = pubSub;
        _keys = new ImportKeys(settings.Keys ?? KeyRetention.Default);
        Starting();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PartitionRegions regions, CoordinatorSettings settings, IActorRef? pubSub = null, PartitionHistory? history = null) =>
        Akka.Actor.Props.Create(() => new ImportCoordinator(regions, settings, pubSub, history));

    protected override void PreStart() => StartRecordKeeper();

    /// <summary>Until the last report is read back (or the journal is found down), everything waits.</summary>
    private void Starting()
    {
        Transfers();
        Receive<ImportHistoryKeeper.Recovered>(recovered =>
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
        Receive<RequestLease>(request =>
        {
            var holder = Sender;
            // The holder's actor or node may end before it finishes: then the lease ends with it.
            Context.Watch(holder);
            holder.Tell(new LeaseGranted(request.LeaseId, EmptyPartitions().ToList()));
            Become(() => Leased(holder, request));
        });
        // In every other state it waits in the stash, behind the leases asked for before it.
        Receive<HandOver>(_ => Context.Stop(Self));
        CommonMessages();
    }

    /// <summary>
    /// A lease is out: no other write or export runs until its holder ends it. Progress and cancel questions go to the
    /// holder; an import's report is recorded, a change's positions and artefacts are taken note of.
    /// </summary>
    private void Leased(IActorRef holder, RequestLease lease)
    {
        Receive<GetImportProgress>(get => get.ImportId == lease.LeaseId, get => holder.Forward(get));
        Receive<CancelImport>(cancel => cancel.ImportId == lease.LeaseId, cancel => holder.Forward(cancel));
        Receive<EndLease>(end => end.LeaseId == lease.LeaseId && Sender.Equals(holder), end =>
        {
            Context.Unwatch(holder);
            if (end.Result is not { } result)
            {
                // A read, or an import whose client went away before its turn: nothing was sent to a partition.
                if (lease.Purpose == LeasePurpose.Import)
                    Context.GetLogger().Info("Import {0} was dropped at its turn: its client had gone", lease.LeaseId);
                holder.Tell(new LeaseEnded(lease.LeaseId, null));
                BackToIdle();
                return;
            }
            Merge(result.Positions);
            if (result.ArtefactsChanged) AnnounceArtefacts(lease.LeaseId);
            if (lease.Purpose == LeasePurpose.Change && result.Report.Change is not null && ChangesRecorded())
            {
                // Recorded in the history like an import; the status of the last import stays as it was (Remember).
                Finish(holder, result);
                return;
            }
            if (lease.Purpose != LeasePurpose.Import)
            {
                // A change of single resources is no import: the status of the last import stays as it was.
                holder.Tell(new LeaseEnded(lease.LeaseId, null));
                BackToIdle();
                return;
            }
            Finish(holder, result);
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(holder), _ =>
        {
            // Its node left or its actor stopped mid-way: what it wrote is not known here, so every partition's
            // position is read again before the next record names them.
            Context.GetLogger().Warning("Lease {0} ({1}) ended with its holder on {2} before it was ended; nothing is recorded",
                lease.LeaseId, lease.Purpose, holder.Path.Address);
            _positions.Clear();
            BackToIdle();
        });
        Busy();
    }

    /// <summary>An import ended: its report becomes the status and goes to disk, then its holder is answered.</summary>
    private void Finish(IActorRef holder, ImportResult result)
    {
        var answer = result.Report;
        if (result.JournalFailure is not null)
        {
            // The journal is down: the record would fail too. The holder answers with the journal's failure.
            Remember(answer);
            holder.Tell(new LeaseEnded(answer.ImportId, null));
            BackToIdle();
            return;
        }
        if (_records is null)
        {
            // The keeper stopped after an earlier failure and waits out its back-off: the database may well be back
            // (seen: this import answered "unavailable" while it was up). Start it now and record once it has recovered.
            Timers.Cancel(nameof(StartRecords));
            StartRecordKeeper();
            Become(() => RestartingRecords(holder, answer));
            return;
        }
        RecordWithPositions(holder, answer);
    }

    /// <summary>Waits for a keeper started for this import's record: recovered, it records; stopped again, the journal is down.</summary>
    private void RestartingRecords(IActorRef holder, ImportReport answer)
    {
        Receive<ImportHistoryKeeper.Recovered>(recovered =>
        {
            Recover(recovered, historyToo: _reports.Count == 0);
            RecordWithPositions(holder, answer);
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_records), terminated =>
        {
            RecordKeeperStopped(terminated);
            Remember(answer);
            holder.Tell(new LeaseEnded(answer.ImportId, RecordNotStored("the journal did not answer")));
            BackToIdle();
        });
        Busy();
    }

    /// <summary>The text for an import whose record did not reach the journal (what it applied stays applied).</summary>
    private static string RecordNotStored(string reason) =>
        $"its record could not be stored ({reason}); GET /data/import/status shows it until the coordinator restarts";

    private void RecordWithPositions(IActorRef holder, ImportReport answer)
    {
        var unknown = PartitionScheme.All().Where(p => !_positions.ContainsKey(PartitionScheme.PersistenceId(p.Kind, p.Partition))).ToList();
        if (unknown.Count == 0)
        {
            Record(holder, answer);
            return;
        }
        // Once per coordinator: the partitions this one has not written to yet say where they are; those the journal
        // has nothing of stand at 0 and are not started for it.
        UnknownPositionsAsync(unknown)
            .PipeTo(Self, success: positions => new PositionsRead(positions), failure: _ => new PositionsRead(null));
        Become(() => ReadingPositions(holder, answer));
    }

    private async Task<IReadOnlyDictionary<string, long>> UnknownPositionsAsync(IReadOnlyList<(ResourceKind Kind, int Partition)> unknown)
    {
        if (_history is null) return await _reader.ReadPositionsAsync(unknown, CancellationToken.None);
        var written = await _history.PersistedIdsAsync(CancellationToken.None);
        var positions = unknown.Select(p => PartitionScheme.PersistenceId(p.Kind, p.Partition))
            .Where(id => !written.Contains(id)).ToDictionary(id => id, _ => 0L, StringComparer.Ordinal);
        foreach (var (id, position) in await _reader.ReadPositionsAsync(
                     unknown.Where(p => written.Contains(PartitionScheme.PersistenceId(p.Kind, p.Partition))), CancellationToken.None))
            positions[id] = position;
        return positions;
    }

    private void ReadingPositions(IActorRef holder, ImportReport answer)
    {
        Receive<PositionsRead>(read =>
        {
            Merge(read.Positions);
            Record(holder, answer);
        });
        Busy();
    }

    /// <summary>The report with the configuration it left (every partition's position, when all are known), on to disk.</summary>
    private void Record(IActorRef holder, ImportReport answer)
    {
        var complete = _positions.Count == ResourceKinds.All.Count * PartitionScheme.PartitionCount;
        var report = answer with { Positions = complete ? new Dictionary<string, long>(_positions, StringComparer.Ordinal) : null };
        Remember(report);
        _records!.Tell(new ImportHistoryKeeper.Keep(report));
        // A dry run's answer does not depend on its record: it goes out now; the next write still waits for the record.
        if (report.Apply == ImportApply.Never) holder.Tell(new LeaseEnded(report.ImportId, null));
        Become(() => Recording(holder, report));
    }

    /// <summary>What <c>GET /data/import/status</c> shows: the last import that was applied, not a dry run nor a REST change.</summary>
    private static bool IsStatus(ImportReport report) => report.Apply != ImportApply.Never && report.Change is null;

    /// <summary>
    /// A change record is written once every member reads it as a change (release 0.3.0): an earlier release would read
    /// it as an import and show it as the import status. Before that, changes are not recorded, as in 0.2.0.
    /// </summary>
    private bool ChangesRecorded() => MemberReleases.EveryMemberRuns(Context.System, FormatIntroductions.ChangeRecords);

    /// <summary>A dry run or a REST change is kept in the history, marked as such, and leaves the status alone.</summary>
    private void Remember(ImportReport report)
    {
        if (IsStatus(report)) _last = report;
        _reports.Insert(0, report);
        if (_reports.Count > _settings.HistoryLimit) _reports.RemoveRange(_settings.HistoryLimit, _reports.Count - _settings.HistoryLimit);
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

    /// <summary>Waits for the report to be on disk before the holder is answered (a dry run's was answered already).</summary>
    private void Recording(IActorRef holder, ImportReport report)
    {
        var answered = report.Apply == ImportApply.Never;
        void Answer(string? notRecorded)
        {
            if (!answered) holder.Tell(new LeaseEnded(report.ImportId, notRecorded));
            BackToIdle();
        }
        Receive<ImportHistoryKeeper.Kept>(_ => Answer(null));
        Receive<ImportHistoryKeeper.KeepFailed>(failed => Answer(RecordNotStored(failed.Reason)));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_records), terminated =>
        {
            // The keeper stopped before it answered: the report may not be on disk.
            RecordKeeperStopped(terminated);
            Answer(RecordNotStored("the journal stopped its keeper"));
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
        Receive<GetImportHistory>(get => Reply(Sender, new ImportHistory(_reports.Take(Math.Max(0, get.Limit)).ToList())));
        Receive<GetImportProgress>(get => Sender.Tell(new ImportProgress(get.ImportId, false, "", 0, 0)));
        Receive<CancelImport>(cancel => Sender.Tell(new ImportCancelAnswer(cancel.ImportId, false)));
        Receive<Terminated>(RecordKeeperStopped);
        Receive<StartRecords>(_ => StartRecordKeeper());
        Receive<ImportHistoryKeeper.Recovered>(recovered =>
        {
            // Started while the journal was down: what was recorded counts, unless an import ran since.
            Recover(recovered, historyToo: _reports.Count == 0);
        });
        // Keys are answered in every state: a retry never waits behind the import it repeats.
        Receive<ClaimImportKey>(claim => Sender.Tell(_keys.Claim(claim, DateTimeOffset.UtcNow)));
        Receive<SettleImportKey>(settle =>
        {
            if (_keys.Settle(settle, DateTimeOffset.UtcNow)) _records?.Tell(new ImportHistoryKeeper.KeepKey(settle.Answer!));
            Sender.Tell(new ImportKeySettled(settle.Key));
        });
    }

    /// <summary>
    /// In every state: where this coordinator runs, and a chunked message from another node (a large report), which is
    /// reassembled beside this actor and then handled like one sent whole.
    /// </summary>
    private void Transfers()
    {
        Receive<LocateActor>(_ => Sender.Tell(new ActorLocated(Self)));
        Receive<ChunkedMessage>(chunked => _transfer.Deliver(chunked, Self, Sender));
    }

    private void Reply(IActorRef requester, object answer) => _transfer.Tell(requester, answer, Self);

    /// <summary>What the keeper read back: keys always (memory holds a superset of the journal's), the history when asked.</summary>
    private void Recover(ImportHistoryKeeper.Recovered recovered, bool historyToo = true)
    {
        if (historyToo)
        {
            _reports = recovered.History.ToList();
            _last = _reports.FirstOrDefault(IsStatus) ?? ImportReport.None;
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var answer in recovered.Keys) _keys.Add(answer, now);
        _backOff = MinBackOff;
    }

    private void StartRecordKeeper() =>
        _records = Context.Watch(Context.ActorOf(ImportHistoryKeeper.Props(_settings.HistoryLimit, _settings.Keys ?? KeyRetention.Default)));

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
        Become(Idle);
        Stash.UnstashAll();
    }
}
