using Akka.Actor;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Installation;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.AsyncImports;

/// <summary>
/// Runs one async import task on the node of the tasks' singleton, a child of <see cref="ImportTasks"/>: reads its bundle
/// off the actor's thread (the content or file checks, the fetch, the parse), imports it like any import through
/// <see cref="CoordinatorClient"/> (under the coordinator's lease, with the task's id), lets this node install the files
/// it stored, and tells its parent how it ended (<see cref="Ended"/>); then stops. A cancel stops the reading, or the
/// import between stages once it runs.
/// </summary>
public sealed class ImportTaskRun : ReceiveActor, IWithTimers
{
    private readonly ImportTaskState _task;
    private readonly CoordinatorClient _coordinator;
    private readonly Func<CancellationToken, Task<ArtefactsReconciled>>? _reconcileLocally;
    private readonly TimeSpan _pollInterval;
    private readonly CancellationTokenSource _reading = new();
    private readonly List<IActorRef> _cancelWaiters = [];
    private int _total;

    /// <summary>
    /// The task has its bundle (<paramref name="Total"/> items) and its import waits for its turn or runs
    /// (<paramref name="Importing"/>), or the import ended and the task installs what it stored.
    /// </summary>
    public sealed record Progressed(string TaskId, string Stage, int Total, bool Importing) : INoSerializationVerificationNeeded;

    /// <summary>The task ended as <paramref name="Outcome"/>; null: its import's outcome was lost on the way (the history has it, or not).</summary>
    public sealed record Ended(string TaskId, ImportTaskOutcome? Outcome) : INoSerializationVerificationNeeded;

    private sealed record BundleRead(BundleReading? Reading, string? Failure) : INoSerializationVerificationNeeded;

    private sealed record Imported(ImportOutcome Outcome) : INoSerializationVerificationNeeded;

    private sealed record Installed(ImportCompleted Completed, Bundle Bundle, ArtefactsReconciled Outcome) : INoSerializationVerificationNeeded;

    private sealed record CancelAnswered(ImportCancelAnswer? Answer) : INoSerializationVerificationNeeded;

    private sealed record CancelAgain : INoSerializationVerificationNeeded
    {
        public static readonly CancelAgain Instance = new();
    }

    /// <param name="reconcileLocally">this node's installer pass, before a task that touched artefacts ends; null: none (actor tests)</param>
    /// <param name="pollInterval">how often a cancel is repeated while the import waits for its turn</param>
    public ImportTaskRun(ImportTaskState task, RegisterImportTask request, ImportSource source, CoordinatorClient coordinator,
        Func<CancellationToken, Task<ArtefactsReconciled>>? reconcileLocally, TimeSpan pollInterval)
    {
        _task = task;
        _coordinator = coordinator;
        _reconcileLocally = reconcileLocally;
        _pollInterval = pollInterval;
        var token = _reading.Token;
        // The checks, the fetch and the parse can take minutes (a remote file, a large bundle): off this thread.
        Task.Run(() => source.ReadAsync(new ImportRequest(request.Content, request.File), token), token)
            .PipeTo(Self, success: reading => new BundleRead(reading, null),
                failure: e => new BundleRead(null, token.IsCancellationRequested ? null : e.GetBaseException().Message));
        Reading();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ImportTaskState task, RegisterImportTask request, ImportSource source, CoordinatorClient coordinator,
        Func<CancellationToken, Task<ArtefactsReconciled>>? reconcileLocally, TimeSpan pollInterval) =>
        Akka.Actor.Props.Create(() => new ImportTaskRun(task, request, source, coordinator, reconcileLocally, pollInterval));

    protected override void PostStop()
    {
        _reading.Cancel();
        _reading.Dispose();
    }

    private void Reading()
    {
        Receive<CancelImportTask>(_ =>
        {
            Sender.Tell(new ImportTaskCancelAnswer(_task.TaskId, true));
            _reading.Cancel();
        });
        Receive<BundleRead>(read =>
        {
            if (_reading.IsCancellationRequested)
                End(new ImportTaskOutcome(ImportTaskStatus.Cancel, AsyncImportTexts.CancelledBeforeStart, 0, 0));
            else if (read.Reading is null)
                End(new ImportTaskOutcome(ImportTaskStatus.Error, AsyncImportTexts.Failed(read.Failure ?? "the bundle could not be read"), 0, 0));
            else if (read.Reading.Bundle is not { } bundle)
                End(ImportTaskOutcome.Unread(read.Reading));
            else
                Import(bundle);
        });
    }

    /// <summary>Imports the bundle on this node under the coordinator's lease, for as long as it takes.</summary>
    private void Import(Bundle bundle)
    {
        _total = bundle.Count;
        Context.Parent.Tell(new Progressed(_task.TaskId, "queued", _total, Importing: true));
        _coordinator.ImportAsync(new StartImport(_task.TaskId, bundle, _task.Mode, _task.Apply, _task.Origin), CancellationToken.None, unbounded: true)
            .PipeTo(Self, success: outcome => new Imported(outcome),
                failure: e => new Imported(ImportOutcome.OutcomeUnknown(e.GetBaseException().Message, ImportOutcome.AnswerLost)));
        Become(() => Importing(bundle));
    }

    private void Importing(Bundle bundle)
    {
        Receive<CancelImportTask>(_ =>
        {
            // Answered once the coordinator has the cancel: then a running import stops before its next stage, as
            // eKuiper's context is cancelled before its reply.
            _cancelWaiters.Add(Sender);
            CancelRunning();
        });
        Receive<CancelAgain>(_ => CancelRunning());
        Receive<CancelAnswered>(answered =>
        {
            if (answered.Answer is { } answer) AnswerCancelWaiters();
            // Unanswered, or not running yet (it waits for its turn): asked again until it runs or ends.
            if (answered.Answer is not { Running: true }) Timers.StartSingleTimer(nameof(CancelAgain), CancelAgain.Instance, _pollInterval);
        });
        Receive<Imported>(imported =>
        {
            Timers.CancelAll();
            AnswerCancelWaiters();
            var outcome = imported.Outcome;
            if (outcome.Completed is { } completed) Completed(completed, bundle);
            // Nothing was applied: the coordinator could not be had.
            else if (outcome.Unavailable is { } unavailable)
                End(new ImportTaskOutcome(ImportTaskStatus.Error, AsyncImportTexts.Failed(unavailable), 0, _total));
            else End(null);
        });
    }

    private void CancelRunning() =>
        _coordinator.CancelAsync(_task.TaskId, CancellationToken.None)
            .PipeTo(Self, success: answer => new CancelAnswered(answer), failure: _ => new CancelAnswered(null));

    private void Completed(ImportCompleted completed, Bundle bundle)
    {
        // As the sync import answers: once this node holds the files the import stored (docs/decisions.md#answer-after-files).
        if (_reconcileLocally is not null && completed is { Unavailable: null, Changes: null, ArtefactsChanged: true } && !completed.Report.Cancelled)
        {
            Context.Parent.Tell(new Progressed(_task.TaskId, "installing", _total, Importing: false));
            _reconcileLocally(CancellationToken.None).PipeTo(Self, success: outcome => new Installed(completed, bundle, outcome),
                failure: e => new Installed(completed, bundle, ArtefactsReconciled.Failed(e.GetBaseException().Message)));
            Become(Installing);
            return;
        }
        End(ImportTaskOutcome.Of(completed.Report, completed.Unavailable, completed.Changes));
    }

    private void Installing()
    {
        // The import has ended already: there is nothing left to cancel.
        Receive<CancelImportTask>(_ => Sender.Tell(new ImportTaskCancelAnswer(_task.TaskId, true)));
        Receive<Installed>(installed =>
            End(ImportTaskOutcome.Of(LocalInstallReport.Merge(installed.Completed.Report, installed.Bundle, installed.Outcome))));
    }

    private void AnswerCancelWaiters()
    {
        foreach (var waiter in _cancelWaiters) waiter.Tell(new ImportTaskCancelAnswer(_task.TaskId, true));
        _cancelWaiters.Clear();
    }

    private void End(ImportTaskOutcome? outcome)
    {
        Context.Parent.Tell(new Ended(_task.TaskId, outcome));
        Become(() => Receive<CancelImportTask>(_ => Sender.Tell(new ImportTaskCancelAnswer(_task.TaskId, true))));
    }
}
