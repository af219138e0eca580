using Akka.Actor;
using Akka.Persistence;
using Kuiper.Actors.Fencing;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Bundles;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.AsyncImports;

/// <summary>How many tasks are kept and may wait, and how patiently the coordinator is asked.</summary>
/// <param name="KeepEnded">ended tasks kept (the newest); unfinished ones are always kept</param>
/// <param name="MaxUnfinished">tasks waiting or running at once; more are refused (each waiting one holds its request in memory)</param>
/// <param name="AskTimeout">how long one question to the coordinator may go unanswered before it is asked again</param>
/// <param name="PollInterval">how often a cancel is repeated, and an import this actor did not start is looked at</param>
public sealed record ImportTasksSettings(int KeepEnded, int MaxUnfinished, TimeSpan AskTimeout, TimeSpan PollInterval)
{
    /// <summary>The live figures a <c>GET</c> waits for at most, before it answers the last known ones.</summary>
    public TimeSpan ProgressTimeout => TimeSpan.FromTicks(Math.Min(AskTimeout.Ticks, TimeSpan.FromSeconds(2).Ticks));
}

/// <summary>
/// eKuiper's async import tasks, a cluster singleton persisted cluster-wide. It registers tasks (ids, status on disk),
/// runs them one at a time in order: reads the bundle off its thread (the content or file checks, the fetch, the parse),
/// then sends the coordinator a normal <see cref="StartImport"/> whose id is the task's, and records how it ended.
/// The coordinator it sent the import to is watched: if it dies, or this actor starts again while a task was running,
/// the task's outcome is taken from the coordinator's history, or the task ends <c>error</c> naming the node that
/// stopped. A waiting task's request is held in memory only: a task still waiting when this actor stops ends <c>error</c>.
/// </summary>
public sealed class ImportTasks : FencedPersistentActor, IWithTimers
{
    public const string SingletonName = "import-tasks";
    private const int SnapshotEvery = 20;

    private readonly IActorRef _coordinator;
    private readonly ImportSource _source;
    private readonly Func<CancellationToken, Task<ArtefactsReconciled>>? _reconcileLocally;
    private readonly ImportTasksSettings _settings;
    private readonly string _node;
    private readonly ImportTaskBook _book;

    /// <summary>A request, an import or its report larger than one chunk crosses between nodes in chunks.</summary>
    private readonly MessageTransfer _transfer = MessageTransfer.Get(Context.System);

    /// <summary>The requests of waiting tasks, held in memory only (a bundle can be hundreds of MB).</summary>
    private readonly Dictionary<string, RegisterImportTask> _requests = new(StringComparer.Ordinal);

    /// <summary>Running tasks found at recovery, to be resolved one after the other.</summary>
    private readonly Queue<string> _toResolve = new();

    private readonly HashSet<string> _cancelRequested = new(StringComparer.Ordinal);
    private Current? _current;
    private bool _recovered;
    private IActorRef? _registering;

    private enum Phase
    {
        Reading,
        Locating,
        Importing,
        Installing,
        Resolving,
    }

    /// <summary>The one task being run, or resolved after a restart.</summary>
    private sealed class Current(string taskId, Phase phase)
    {
        public string TaskId { get; } = taskId;
        public Phase Phase { get; set; } = phase;
        public Bundle? Bundle { get; set; }
        public CancellationTokenSource? Reading { get; set; }
        public IActorRef? Coordinator { get; set; }
        public ImportCompleted? Completed { get; set; }
        public int Done { get; set; }
        public int Total { get; set; }
        public string Stage { get; set; } = "";

        /// <summary>Who asked to cancel the running import, answered once the coordinator has the cancel.</summary>
        public List<IActorRef> CancelWaiters { get; } = [];

        public void AnswerCancelWaiters()
        {
            foreach (var waiter in CancelWaiters) waiter.Tell(new ImportTaskCancelAnswer(TaskId, true));
            CancelWaiters.Clear();
        }
    }

    /// <summary>Local messages of this actor (results of its own asks and reads, timers) never leave the node.</summary>
    private sealed record RecoveryDone : INoSerializationVerificationNeeded
    {
        public static readonly RecoveryDone Instance = new();
    }

    private sealed record BundleRead(string TaskId, BundleReading? Reading, string? Failure) : INoSerializationVerificationNeeded;

    private sealed record LocateAgain(string TaskId) : INoSerializationVerificationNeeded;

    private sealed record CancelAgain(string TaskId) : INoSerializationVerificationNeeded;

    private sealed record ResolveAgain(string TaskId) : INoSerializationVerificationNeeded;

    private sealed record ResolvedProgress(string TaskId, ImportProgress? Progress) : INoSerializationVerificationNeeded;

    private sealed record ResolvedHistory(string TaskId, ImportHistory? History) : INoSerializationVerificationNeeded;

    private sealed record LiveProgress(string TaskId, ImportProgress? Progress, IActorRef ReplyTo) : INoSerializationVerificationNeeded;

    private sealed record Installed(string TaskId, ArtefactsReconciled Outcome) : INoSerializationVerificationNeeded;

    /// <param name="coordinator">the coordinator's singleton proxy</param>
    /// <param name="source">reads a task's bundle on this node</param>
    /// <param name="reconcileLocally">this node's installer pass, before a task that touched artefacts ends; null: none (actor tests)</param>
    /// <param name="node">this node's address, recorded as where tasks are held and run</param>
    public ImportTasks(IActorRef coordinator, ImportSource source, Func<CancellationToken, Task<ArtefactsReconciled>>? reconcileLocally,
        ImportTasksSettings settings, string node)
    {
        _coordinator = coordinator;
        _source = source;
        _reconcileLocally = reconcileLocally;
        _settings = settings;
        _node = node;
        _book = new ImportTaskBook(settings.KeepEnded);

        Recover<ImportTaskAccepted>(_book.Apply);
        Recover<ImportTaskStarted>(_book.Apply);
        Recover<ImportTaskEnded>(_book.Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ImportTasksSnapshot snapshot) _book.Restore(snapshot);
        });

        Command<RecoveryDone>(_ => AfterRecovery());
        Command<LocateActor>(_ => Sender.Tell(new ActorLocated(Self)));
        Command<ChunkedMessage>(chunked => _transfer.Deliver(chunked, Self, Sender));
        Command<TransferRefused>(Refused);
        Command<RegisterImportTask>(Register);
        Command<GetImportTask>(Get);
        Command<LiveProgress>(ShowLive);
        Command<CancelImportTask>(Cancel);
        Command<BundleRead>(Read);
        Command<ImportHistory>(Located);
        Command<LocateAgain>(again => { if (IsCurrent(again.TaskId, Phase.Locating)) Locate(); });
        Command<ImportCompleted>(Completed);
        Command<Installed>(installed =>
        {
            if (!IsCurrent(installed.TaskId, Phase.Installing)) return;
            var completed = _current!.Completed!;
            End(ImportTaskOutcome.Of(LocalInstallReport.Merge(completed.Report, _current.Bundle!, installed.Outcome)), installed.TaskId);
        });
        Command<ImportCancelAnswer>(answer =>
        {
            if (_current is { } current && current.TaskId == answer.ImportId) current.AnswerCancelWaiters();
            // Not running yet: it waits behind another import in the coordinator; cancel it once it starts.
            if (!answer.Running && IsCurrent(answer.ImportId, Phase.Importing))
                Timers.StartSingleTimer(nameof(CancelAgain), new CancelAgain(answer.ImportId), _settings.PollInterval);
        });
        Command<CancelAgain>(again =>
        {
            if (IsCurrent(again.TaskId, Phase.Importing)) _current!.Coordinator!.Tell(new CancelImport(again.TaskId));
        });
        Command<Terminated>(terminated =>
        {
            if (_current is not { Phase: Phase.Importing } current || !terminated.ActorRef.Equals(current.Coordinator)) return;
            current.AnswerCancelWaiters();
            Resolve();
        });
        Command<ResolveAgain>(again => { if (IsCurrent(again.TaskId, Phase.Resolving)) Resolve(); });
        Command<ResolvedProgress>(Resolved);
        Command<ResolvedHistory>(Resolved);
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public static Props Props(IActorRef coordinator, ImportSource source, Func<CancellationToken, Task<ArtefactsReconciled>>? reconcileLocally,
        ImportTasksSettings settings, string node) =>
        Akka.Actor.Props.Create(() => new ImportTasks(coordinator, source, reconcileLocally, settings, node));

    public override string PersistenceId => SingletonName;

    protected override void OnClaimed() => Self.Tell(RecoveryDone.Instance);

    public ITimerScheduler Timers { get; set; } = null!;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private bool IsCurrent(string taskId, Phase phase) => _current is { } current && current.TaskId == taskId && current.Phase == phase;

    /// <summary>
    /// What was waiting had its request in memory on the node that stopped: it ends <c>error</c>. What was running is
    /// looked up in the coordinator, one task after the other.
    /// </summary>
    private void AfterRecovery()
    {
        foreach (var lost in _book.Waiting.Where(t => !_requests.ContainsKey(t.TaskId)).ToList())
            End(new ImportTaskOutcome(ImportTaskStatus.Error, AsyncImportTexts.LostBeforeStart(lost.HeldBy), 0, 0), lost.TaskId);
        foreach (var running in _book.Running) _toResolve.Enqueue(running.TaskId);
        _recovered = true;
        StartNext();
    }

    private void Register(RegisterImportTask register)
    {
        if (_book.Unfinished >= _settings.MaxUnfinished)
        {
            Sender.Tell(new ImportTaskRefused($"{_book.Unfinished} async tasks are waiting or running, the most allowed " +
                                              "(Kuiper:Import:AsyncQueueLimit); try again once some have ended", Busy: true));
            return;
        }
        var now = Now();
        var (id, second, sequence) = _book.NextId(now);
        var replyTo = _registering = Sender;
        Persist(new ImportTaskAccepted(id, now, second, sequence, register.Mode, register.Apply, register.Stop, register.Origin, _node), accepted =>
        {
            _book.Apply(accepted);
            _requests[accepted.TaskId] = register;
            replyTo.Tell(new ImportTaskRegistered(accepted.TaskId));
            _registering = null;
            AfterPersist();
            StartNext();
        });
    }

    private void Get(GetImportTask get)
    {
        var task = _book.Get(get.TaskId);
        if (task is not null && _current is { Phase: Phase.Importing or Phase.Resolving } current && current.TaskId == get.TaskId)
        {
            // The live figures, from the run itself; the last known ones if it does not answer in time.
            var replyTo = Sender;
            _coordinator.Ask<ImportProgress>(new GetImportProgress(get.TaskId), _settings.ProgressTimeout)
                .PipeTo(Self, success: progress => new LiveProgress(get.TaskId, progress, replyTo), failure: _ => new LiveProgress(get.TaskId, null, replyTo));
            return;
        }
        Sender.Tell(new ImportTaskAnswer(get.TaskId, task is null ? null : View(task)));
    }

    private void ShowLive(LiveProgress live)
    {
        if (live.Progress is { Running: true } progress && _current is { } current && current.TaskId == live.TaskId) Track(current, progress);
        var task = _book.Get(live.TaskId);
        live.ReplyTo.Tell(new ImportTaskAnswer(live.TaskId, task is null ? null : View(task)));
    }

    private static void Track(Current current, ImportProgress progress)
    {
        current.Done = progress.Done;
        current.Total = progress.Total;
        current.Stage = progress.Stage;
    }

    /// <summary>The stored task, with the live figures of the one being run.</summary>
    private ImportTaskState View(ImportTaskState task) =>
        _current is { } current && current.TaskId == task.TaskId && !task.Ended
            ? task with { Done = current.Done, Total = current.Total, Stage = current.Stage }
            : task;

    private void Cancel(CancelImportTask cancel)
    {
        var task = _book.Get(cancel.TaskId);
        var answer = new ImportTaskCancelAnswer(cancel.TaskId, task is not null);
        if (task is null || task.Ended)
        {
            // An ended task stays as it ended (eKuiper marks even a finished one cancelled).
            Sender.Tell(answer);
            return;
        }
        if (task.Status == ImportTaskStatus.Register)
        {
            _requests.Remove(task.TaskId);
            var replyTo = Sender;
            End(new ImportTaskOutcome(ImportTaskStatus.Cancel, AsyncImportTexts.CancelledBeforeStart, 0, 0), task.TaskId, () => replyTo.Tell(answer));
            return;
        }
        _cancelRequested.Add(task.TaskId);
        if (_current is not { } current || current.TaskId != task.TaskId)
        {
            Sender.Tell(answer);
            return;
        }
        if (current.Phase == Phase.Importing)
        {
            // Answered once the coordinator has it: then a running import stops before its next stage, as eKuiper's
            // context is cancelled before its reply.
            current.CancelWaiters.Add(Sender);
            current.Coordinator!.Tell(new CancelImport(task.TaskId));
            return;
        }
        Sender.Tell(answer);
        switch (current.Phase)
        {
            case Phase.Reading:
                current.Reading?.Cancel();
                break;
            case Phase.Locating:
                End(new ImportTaskOutcome(ImportTaskStatus.Cancel, AsyncImportTexts.CancelledBeforeStart, 0, current.Total), task.TaskId);
                break;
            case Phase.Resolving:
                _coordinator.Tell(new CancelImport(task.TaskId));
                break;
            case Phase.Installing:
                break; // the import has ended already
        }
    }

    private void StartNext()
    {
        if (!_recovered || _current is not null) return;
        if (_toResolve.TryDequeue(out var running))
        {
            var task = _book.Get(running);
            if (task is null || task.Ended)
            {
                StartNext();
                return;
            }
            _current = new Current(running, Phase.Resolving) { Done = task.Done, Total = task.Total };
            Resolve();
            return;
        }
        var next = _book.Waiting.FirstOrDefault(t => _requests.ContainsKey(t.TaskId));
        if (next is null) return;
        var request = _requests[next.TaskId];
        _requests.Remove(next.TaskId);
        var current = _current = new Current(next.TaskId, Phase.Reading) { Stage = "preparing", Reading = new CancellationTokenSource() };
        Persist(new ImportTaskStarted(next.TaskId, Now(), _node), started =>
        {
            _book.Apply(started);
            AfterPersist();
            var token = current.Reading!.Token;
            // The checks, the fetch and the parse can take minutes (a remote file, a large bundle): off this thread.
            Task.Run(() => _source.ReadAsync(new ImportRequest(request.Content, request.File), token), token)
                .PipeTo(Self, success: reading => new BundleRead(started.TaskId, reading, null),
                    failure: e => new BundleRead(started.TaskId, null, token.IsCancellationRequested ? null : e.GetBaseException().Message));
        });
    }

    private void Read(BundleRead read)
    {
        if (!IsCurrent(read.TaskId, Phase.Reading)) return;
        var current = _current!;
        current.Reading?.Dispose();
        current.Reading = null;
        if (_cancelRequested.Contains(read.TaskId))
            End(new ImportTaskOutcome(ImportTaskStatus.Cancel, AsyncImportTexts.CancelledBeforeStart, 0, 0), read.TaskId);
        else if (read.Reading is null)
            End(new ImportTaskOutcome(ImportTaskStatus.Error, AsyncImportTexts.Failed(read.Failure ?? "the bundle could not be read"), 0, 0), read.TaskId);
        else if (read.Reading.Bundle is null)
            End(ImportTaskOutcome.Unread(read.Reading), read.TaskId);
        else
        {
            current.Bundle = read.Reading.Bundle;
            current.Total = current.Bundle.Count;
            current.Stage = "queued";
            Locate();
        }
    }

    /// <summary>
    /// The coordinator answers a history request itself: its reference, watched while it runs the import, is how its
    /// death is noticed (the proxy hides which incarnation it reaches).
    /// </summary>
    private void Locate()
    {
        _current!.Phase = Phase.Locating;
        _coordinator.Tell(new GetImportHistory(0));
        Timers.StartSingleTimer(nameof(LocateAgain), new LocateAgain(_current.TaskId), _settings.AskTimeout);
    }

    private void Located(ImportHistory history)
    {
        if (_current is not { Phase: Phase.Locating } current) return;
        Timers.Cancel(nameof(LocateAgain));
        var task = _book.Get(current.TaskId)!;
        current.Coordinator = Sender;
        current.Phase = Phase.Importing;
        Context.Watch(Sender);
        _transfer.Tell(Sender, new StartImport(task.TaskId, current.Bundle!, task.Mode, task.Apply, task.Origin), Self);
    }

    /// <summary>
    /// The coordinator refused the import (nothing was started: the task ends <c>error</c>), or its report could not be
    /// brought here (the outcome is looked up in its history).
    /// </summary>
    private void Refused(TransferRefused refused)
    {
        if (_current is not { Phase: Phase.Importing } current || !Sender.Equals(current.Coordinator)) return;
        if (refused.Answered)
        {
            Context.Unwatch(Sender);
            Resolve();
            return;
        }
        End(new ImportTaskOutcome(ImportTaskStatus.Error, AsyncImportTexts.Failed(refused.Reason), 0, current.Total), current.TaskId);
    }

    private void Completed(ImportCompleted completed)
    {
        // While resolving too: a coordinator that died right after it answered may be noticed first.
        if (_current is not { Phase: Phase.Importing or Phase.Resolving } current || current.TaskId != completed.Report.ImportId) return;
        if (current.Coordinator is { } coordinator) Context.Unwatch(coordinator);
        var report = completed.Report;
        // Metrics (ours): the one line this actor has for them; counted on the node running the tasks singleton.
        Metrics.KuiperMeter.RecordImport(report.Mode, report.Apply, Metrics.KuiperMeter.ImportOutcome.Of(report, completed.Unavailable),
            report.CompletedAt - (report.Origin?.RequestedAt ?? report.CompletedAt), report);
        // As the sync import answers: once this node holds the files the import stored (DECISIONS.md 11).
        if (_reconcileLocally is not null && completed is { Unavailable: null, Changes: null, ArtefactsChanged: true } && !report.Cancelled
            && current.Bundle is not null && ResourceKinds.TouchesArtefacts(current.Bundle, report.Mode))
        {
            current.Phase = Phase.Installing;
            current.Completed = completed;
            current.Stage = "installing";
            _reconcileLocally(CancellationToken.None).PipeTo(Self, success: outcome => new Installed(current.TaskId, outcome),
                failure: e => new Installed(current.TaskId, ArtefactsReconciled.Failed(e.GetBaseException().Message)));
            return;
        }
        End(ImportTaskOutcome.Of(report, completed.Unavailable, completed.Changes), current.TaskId);
    }

    /// <summary>
    /// The import was sent by another incarnation, or its coordinator died: it is running still (then it is watched
    /// until it ends), or it ended and its report says how, or it is lost.
    /// </summary>
    private void Resolve()
    {
        var current = _current!;
        current.Phase = Phase.Resolving;
        _coordinator.Ask<ImportProgress>(new GetImportProgress(current.TaskId), _settings.AskTimeout)
            .PipeTo(Self, success: progress => new ResolvedProgress(current.TaskId, progress), failure: _ => new ResolvedProgress(current.TaskId, null));
    }

    private void Resolved(ResolvedProgress resolved)
    {
        if (!IsCurrent(resolved.TaskId, Phase.Resolving)) return;
        if (resolved.Progress is not { } progress)
        {
            Timers.StartSingleTimer(nameof(ResolveAgain), new ResolveAgain(resolved.TaskId), _settings.PollInterval);
            return;
        }
        if (progress.Running)
        {
            Track(_current!, progress);
            if (_cancelRequested.Contains(resolved.TaskId)) _coordinator.Tell(new CancelImport(resolved.TaskId));
            Timers.StartSingleTimer(nameof(ResolveAgain), new ResolveAgain(resolved.TaskId), _settings.PollInterval);
            return;
        }
        _transfer.AskAsync<ImportHistory>(_coordinator, new GetImportHistory(int.MaxValue), _settings.AskTimeout, CancellationToken.None)
            .PipeTo(Self, success: history => new ResolvedHistory(resolved.TaskId, history), failure: _ => new ResolvedHistory(resolved.TaskId, null));
    }

    private void Resolved(ResolvedHistory resolved)
    {
        if (!IsCurrent(resolved.TaskId, Phase.Resolving)) return;
        if (resolved.History is not { } history)
        {
            Timers.StartSingleTimer(nameof(ResolveAgain), new ResolveAgain(resolved.TaskId), _settings.PollInterval);
            return;
        }
        var report = history.Reports.FirstOrDefault(r => r.ImportId == resolved.TaskId);
        var task = _book.Get(resolved.TaskId)!;
        End(report is not null
            ? ImportTaskOutcome.Of(report)
            : new ImportTaskOutcome(ImportTaskStatus.Error, AsyncImportTexts.Interrupted(task.RunningOn ?? task.HeldBy, task.TaskId),
                _current!.Done, _current.Total), resolved.TaskId);
    }

    private void End(ImportTaskOutcome outcome, string taskId, Action? then = null) =>
        Persist(new ImportTaskEnded(taskId, Now(), outcome.Status, outcome.Message, outcome.Done, outcome.Total), ended =>
        {
            _book.Apply(ended);
            _cancelRequested.Remove(taskId);
            if (_current?.TaskId == taskId)
            {
                _current.AnswerCancelWaiters();
                if (_current.Coordinator is { } coordinator) Context.Unwatch(coordinator);
                _current.Reading?.Dispose();
                _current = null;
            }
            then?.Invoke();
            AfterPersist();
            StartNext();
        });

    private void AfterPersist()
    {
        if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_book.Snapshot());
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _registering?.Tell(new ImportTaskRefused($"the task could not be stored: {cause.GetBaseException().Message}", Busy: false));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _registering?.Tell(new ImportTaskRefused($"the task could not be stored: {cause.GetBaseException().Message}", Busy: false));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void PostStop()
    {
        _current?.Reading?.Cancel();
        base.PostStop();
    }
}
