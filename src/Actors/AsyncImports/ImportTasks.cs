using Akka.Actor;
using Akka.Persistence;
using Kuiper.Actors.Fencing;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.AsyncImports;

/// <summary>How many tasks are kept and may wait, and how patiently the coordinator is asked.</summary>
/// <param name="KeepEnded">ended tasks kept (the newest); unfinished ones are always kept</param>
/// <param name="MaxUnfinished">tasks waiting or running at once; more are refused (each waiting one holds its request in memory)</param>
/// <param name="AskTimeout">how long a question to the coordinator about a task being resolved may go unanswered before it is asked again</param>
/// <param name="PollInterval">how often a cancel is repeated, and an import this actor did not start is looked at</param>
public sealed record ImportTasksSettings(int KeepEnded, int MaxUnfinished, TimeSpan AskTimeout, TimeSpan PollInterval)
{
    /// <summary>The live figures a <c>GET</c> waits for at most, before it answers the last known ones.</summary>
    public TimeSpan ProgressTimeout => TimeSpan.FromTicks(Math.Min(AskTimeout.Ticks, TimeSpan.FromSeconds(2).Ticks));
}

/// <summary>
/// eKuiper's async import tasks, a cluster singleton persisted cluster-wide: the task book. It registers tasks (ids,
/// status on disk) and runs them one at a time in order, each by an <see cref="ImportTaskRun"/> child on this node, and
/// records how each ended. If a run's import outcome is lost (its coordinator ended), or this actor starts again while a
/// task was running, the task's outcome is taken from the coordinator's history, or the task ends <c>error</c> naming
/// the node that stopped. A waiting task's request is held in memory only: a task still waiting when this actor stops
/// ends <c>error</c>.
/// </summary>
public sealed class ImportTasks : FencedPersistentActor, IWithTimers
{
    public const string SingletonName = "import-tasks";
    private const int SnapshotEvery = 20;

    private readonly CoordinatorClient _coordinator;
    private readonly ImportSource _source;
    private readonly Func<CancellationToken, Task<ArtefactsReconciled>>? _reconcileLocally;
    private readonly ImportTasksSettings _settings;
    private readonly string _node;
    private readonly ImportTaskBook _book;

    /// <summary>A request larger than one chunk crosses between nodes in chunks.</summary>
    private readonly MessageTransfer _transfer = MessageTransfer.Get(Context.System);

    /// <summary>The requests of waiting tasks, held in memory only (a bundle can be hundreds of MB).</summary>
    private readonly Dictionary<string, RegisterImportTask> _requests = new(StringComparer.Ordinal);

    /// <summary>Running tasks found at recovery, to be resolved one after the other.</summary>
    private readonly Queue<string> _toResolve = new();

    private readonly HashSet<string> _cancelRequested = new(StringComparer.Ordinal);
    private Current? _current;
    private bool _recovered;
    private IActorRef? _registering;

    /// <summary>
    /// The one task being run (by <see cref="Run"/>, once its start is on disk), or resolved after a restart or a lost
    /// outcome (<see cref="Resolving"/>: no run).
    /// </summary>
    private sealed class Current(string taskId)
    {
        public string TaskId { get; } = taskId;
        public IActorRef? Run { get; set; }
        public bool Resolving { get; set; }

        /// <summary>Its import waits for its turn or runs: only then has the coordinator live figures for it.</summary>
        public bool Importing { get; set; }
        public int Done { get; set; }
        public int Total { get; set; }
        public string Stage { get; set; } = "";
    }

    /// <summary>Local messages of this actor (results of its own asks and reads, timers) never leave the node.</summary>
    private sealed record RecoveryDone : INoSerializationVerificationNeeded
    {
        public static readonly RecoveryDone Instance = new();
    }

    private sealed record ResolveAgain(string TaskId) : INoSerializationVerificationNeeded;

    private sealed record ResolvedProgress(string TaskId, ImportProgress? Progress) : INoSerializationVerificationNeeded;

    private sealed record ResolvedHistory(string TaskId, IReadOnlyList<ImportReport>? History) : INoSerializationVerificationNeeded;

    private sealed record LiveProgress(string TaskId, ImportProgress? Progress, IActorRef ReplyTo) : INoSerializationVerificationNeeded;


    /// <param name="coordinator">the way to the coordinator on this node</param>
    /// <param name="source">reads a task's bundle on this node</param>
    /// <param name="reconcileLocally">this node's installer pass, before a task that touched artefacts ends; null: none (actor tests)</param>
    /// <param name="node">this node's address, recorded as where tasks are held and run</param>
    public ImportTasks(CoordinatorClient coordinator, ImportSource source, Func<CancellationToken, Task<ArtefactsReconciled>>? reconcileLocally,
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
        Command<RegisterImportTask>(Register);
        Command<GetImportTask>(Get);
        Command<LiveProgress>(ShowLive);
        Command<CancelImportTask>(Cancel);
        Command<ImportTaskRun.Progressed>(progressed =>
        {
            if (!IsRunning(progressed.TaskId)) return;
            _current!.Stage = progressed.Stage;
            _current.Total = progressed.Total;
            _current.Importing = progressed.Importing;
        });
        Command<ImportTaskRun.Ended>(ended =>
        {
            if (!IsRunning(ended.TaskId)) return;
            Context.Stop(_current!.Run!);
            _current.Run = null;
            if (ended.Outcome is { } outcome) End(outcome, ended.TaskId);
            else
            {
                _current.Resolving = true;
                Resolve();
            }
        });
        // The answer to a cancel handed to a run that started after it came: its requester was answered already.
        Command<ImportTaskCancelAnswer>(_ => { });
        Command<ResolveAgain>(again => { if (IsResolving(again.TaskId)) Resolve(); });
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

    public static Props Props(CoordinatorClient coordinator, ImportSource source, Func<CancellationToken, Task<ArtefactsReconciled>>? reconcileLocally,
        ImportTasksSettings settings, string node) =>
        Akka.Actor.Props.Create(() => new ImportTasks(coordinator, source, reconcileLocally, settings, node));

    public override string PersistenceId => SingletonName;

    protected override void OnClaimed() => Self.Tell(RecoveryDone.Instance);

    public ITimerScheduler Timers { get; set; } = null!;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private bool IsRunning(string taskId) => _current is { Run: not null } current && current.TaskId == taskId;

    private bool IsResolving(string taskId) => _current is { Resolving: true } current && current.TaskId == taskId;

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
        if (task is not null && _current is { } current && current.TaskId == get.TaskId && (current.Importing || current.Resolving))
        {
            // The live figures, from the run itself; the last known ones if it does not answer in time.
            var replyTo = Sender;
            _coordinator.ProgressAsync(get.TaskId, CancellationToken.None).WaitAsync(_settings.ProgressTimeout)
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
        if (current.Run is { } run)
        {
            // The run answers: at once while it reads, once the coordinator has the cancel while it imports.
            run.Forward(cancel);
            return;
        }
        Sender.Tell(answer);
        // Starting: the run gets the cancel as soon as it exists.
        if (current.Resolving) CancelResolving(task.TaskId);
    }

    /// <summary>A task being resolved may still run under another node's lease: the coordinator forwards the cancel there.</summary>
    private void CancelResolving(string taskId) =>
        // Not answered: the next poll repeats it while the import runs; a failure is observed, not thrown.
        _ = _coordinator.CancelAsync(taskId, CancellationToken.None).ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);

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
            _current = new Current(running) { Done = task.Done, Total = task.Total, Resolving = true };
            Resolve();
            return;
        }
        var next = _book.Waiting.FirstOrDefault(t => _requests.ContainsKey(t.TaskId));
        if (next is null) return;
        var request = _requests[next.TaskId];
        _requests.Remove(next.TaskId);
        var current = _current = new Current(next.TaskId) { Stage = "preparing" };
        Persist(new ImportTaskStarted(next.TaskId, Now(), _node), started =>
        {
            _book.Apply(started);
            AfterPersist();
            current.Run = Context.ActorOf(ImportTaskRun.Props(_book.Get(started.TaskId)!, request, _source, _coordinator, _reconcileLocally,
                _settings.PollInterval));
            // A cancel that came while the start was being written goes to the run now.
            if (_cancelRequested.Contains(started.TaskId)) current.Run.Tell(new CancelImportTask(started.TaskId));
        });
    }

    /// <summary>
    /// The import was sent by another incarnation, or its outcome was lost: it is running still (then it is watched
    /// until it ends), or it ended and its report says how, or it is lost.
    /// </summary>
    private void Resolve()
    {
        var current = _current!;
        _coordinator.ProgressAsync(current.TaskId, CancellationToken.None).WaitAsync(_settings.AskTimeout)
            .PipeTo(Self, success: progress => new ResolvedProgress(current.TaskId, progress), failure: _ => new ResolvedProgress(current.TaskId, null));
    }

    private void Resolved(ResolvedProgress resolved)
    {
        if (!IsResolving(resolved.TaskId)) return;
        if (resolved.Progress is not { } progress)
        {
            Timers.StartSingleTimer(nameof(ResolveAgain), new ResolveAgain(resolved.TaskId), _settings.PollInterval);
            return;
        }
        if (progress.Running)
        {
            Track(_current!, progress);
            if (_cancelRequested.Contains(resolved.TaskId)) CancelResolving(resolved.TaskId);
            Timers.StartSingleTimer(nameof(ResolveAgain), new ResolveAgain(resolved.TaskId), _settings.PollInterval);
            return;
        }
        _coordinator.HistoryAsync(int.MaxValue, CancellationToken.None).WaitAsync(_settings.AskTimeout)
            .PipeTo(Self, success: history => new ResolvedHistory(resolved.TaskId, history), failure: _ => new ResolvedHistory(resolved.TaskId, null));
    }

    private void Resolved(ResolvedHistory resolved)
    {
        if (!IsResolving(resolved.TaskId)) return;
        if (resolved.History is not { } history)
        {
            Timers.StartSingleTimer(nameof(ResolveAgain), new ResolveAgain(resolved.TaskId), _settings.PollInterval);
            return;
        }
        var report = history.FirstOrDefault(r => r.ImportId == resolved.TaskId);
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
            if (_current?.TaskId == taskId) _current = null;
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
}
