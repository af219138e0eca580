using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Actors.Metrics;
using Kuiper.Actors.Transfers;
using Kuiper.Node.Metrics;

namespace Kuiper.Node.Http;

/// <summary>
/// The road every import takes to the coordinator (<c>/data/import</c> and restores, <c>/ruleset/import</c>,
/// <c>/v2/data/import</c>, start-up provisioning): the body's bundle fetched where it names a file, the import run
/// and recorded as the status like any other, and the answers for an import that did not finish or could not be stored.
/// </summary>
public sealed class ImportGateway(
    KuiperSettings settings, IRequiredActor<ImportCoordinator> coordinator, ActorSystem system, LocalArtefacts local, ImportMetrics metrics)
{
    /// <summary>Made at the first import, when the node's regions and installer are up.</summary>
    private readonly Lazy<Func<IActorRef, Props>> _leasedImports = new(() => CoordinatorHostingExtensions.LeasedImports(system, settings));

    /// <summary>The body's content, or the bytes of the file it names; the error is the fetcher's text.</summary>
    public Task<(ReadOnlyMemory<byte> Content, string? Error)> ContentAsync(ImportRequest request, CancellationToken cancellationToken) =>
        ImportSources.Of(settings, local).ContentAsync(request, cancellationToken);

    /// <summary>
    /// Runs the import and waits for its report. The failure is set (and the report may be partial or null) when the
    /// import did not finish in time or could not be stored: its text says so, for an HTTP 503 or a log line.
    /// </summary>
    /// <param name="origin">who asked; null: this node, now</param>
    public async Task<ImportOutcome> ImportAsync(Bundle bundle, ImportMode mode, CancellationToken cancellationToken,
        ImportApply apply = ImportApply.Always, ImportOrigin? origin = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await RunAsync(bundle, mode, apply, origin, cancellationToken);
        // Every import road passes here: the metrics count them all, with the outcome the coordinator reported.
        var result = outcome.Report is null ? KuiperMeter.ImportOutcome.TimedOut : KuiperMeter.ImportOutcome.Of(outcome.Report, outcome.Unavailable);
        metrics.Record(mode, apply, result, System.Diagnostics.Stopwatch.GetElapsedTime(started), outcome.Report);
        return outcome;
    }

    private async Task<ImportOutcome> RunAsync(Bundle bundle, ImportMode mode, ImportApply apply, ImportOrigin? origin,
        CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        TimeSpan Left() => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond,
            (settings.Import.RequestTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(started)).Ticks));
        origin ??= new ImportOrigin(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(), DateTimeOffset.UtcNow);
        var proxy = await coordinator.GetAsync(cancellationToken);
        var transfer = MessageTransfer.Get(system);
        IActorRef importer;
        try
        {
            // The coordinator itself, not its proxy: the import runs here under its lease, and ends if the coordinator does.
            // Located once per oldest member, not per import: one round trip less to the coordinator's node.
            var coordinatorItself = await transfer.LocateSingletonAsync(proxy, ClusterSettings.Role, Left(), cancellationToken);
            importer = system.ActorOf(_leasedImports.Value(coordinatorItself));
        }
        catch (AskTimeoutException)
        {
            transfer.Forget(proxy);
            return ImportOutcome.NothingApplied(ImportReplies.NotSent($"the import coordinator was not found within {settings.Import.RequestTimeout}"));
        }
        ImportCompleted completed;
        try
        {
            completed = await transfer.AskAsync<ImportCompleted>(importer,
                new StartImport(Guid.NewGuid().ToString("N"), bundle, mode, apply, origin), Left(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: an import still waiting for its turn is dropped, never run after nobody waits.
            importer.Tell(LeasedImport.Abandon.Instance);
            throw;
        }
        catch (AskTimeoutException)
        {
            transfer.Forget(proxy);
            return await TimedOutAsync(importer);
        }
        catch (TransferFailedException refused)
        {
            transfer.Forget(proxy);
            return refused.Answered
                ? ImportOutcome.OutcomeUnknown(ImportReplies.AnswerNotReceived(refused.Message), StatusCodes.Status502BadGateway)
                : ImportOutcome.NothingApplied(ImportReplies.NotSent(refused.Message));
        }
        return ImportOutcome.Of(completed);
    }

    /// <summary>The request's bound passed: dropped if its turn had not come (nothing applied), else it runs on.</summary>
    private async Task<ImportOutcome> TimedOutAsync(IActorRef importer)
    {
        try
        {
            var abandoned = await importer.Ask<LeasedImport.Abandoned>(LeasedImport.Abandon.Instance, TimeSpan.FromSeconds(10));
            if (abandoned.Dropped)
                return ImportOutcome.NothingApplied(
                    $"the import did not start within {settings.Import.RequestTimeout} (other writes held the turn); it was dropped, nothing was applied");
        }
        catch (AskTimeoutException)
        {
            // It ended meanwhile (its answer went nowhere): its outcome is the status's.
        }
        return ImportOutcome.OutcomeUnknown(
            $"the import did not finish within {settings.Import.RequestTimeout}; it runs on and may be partly applied: see GET /data/import/status for its outcome",
            StatusCodes.Status504GatewayTimeout);
    }
}

/// <summary>
/// An import's report, or why it has none that can be trusted; the coordinator's whole answer.
/// <see cref="Unavailable"/>: nothing was applied (503). <see cref="Unknown"/>: it may have been applied, its report is
/// not here (<see cref="UnknownStatus"/>, 502 or 504). <see cref="Note"/>: applied as the report says, but the journal
/// failed on the way (its record, or later items): answered with the report and this note.
/// </summary>
public sealed record ImportOutcome(ImportReport? Report, string? Unavailable, ImportCompleted? Completed, string? Unknown = null,
    int UnknownStatus = StatusCodes.Status504GatewayTimeout, string? Note = null)
{
    public static ImportOutcome NothingApplied(string reason) => new(null, reason, null);

    /// <summary>The coordinator's answer: a journal failure is a 503 only if nothing was written.</summary>
    public static ImportOutcome Of(ImportCompleted completed)
    {
        if (completed.Unavailable is not { } unavailable) return new ImportOutcome(completed.Report, null, completed);
        // Something was written: the per-item errors (or the note) say what; a 503 would claim nothing was.
        return completed.Applied
            ? new ImportOutcome(completed.Report, null, completed, Note: ImportReplies.AppliedNotStored(unavailable))
            : new ImportOutcome(completed.Report, ImportReplies.NothingApplied(unavailable), completed);
    }

    public static ImportOutcome OutcomeUnknown(string reason, int status) => new(null, null, null, reason, status);

    /// <summary>The answer an HTTP client gets when the import has no trustworthy report: 503 only when nothing was applied.</summary>
    public IResult? Failure => Unavailable is { } reason
        ? ErrorEnvelope.Result(reason, status: StatusCodes.Status503ServiceUnavailable)
        : Unknown is { } unknown
            ? ErrorEnvelope.Result(unknown, status: UnknownStatus)
            : null;
}
