using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Actors.Telemetry;
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
        ImportCompleted completed;
        var proxy = await coordinator.GetAsync(cancellationToken);
        var transfer = MessageTransfer.Get(system);
        try
        {
            // The coordinator itself, not its proxy: the import runs here under its lease, and ends if the coordinator does.
            // Located once per oldest member, not per import: one round trip less to the coordinator's node.
            var coordinatorItself = await transfer.LocateSingletonAsync(proxy, ClusterSettings.Role, Left(), cancellationToken);
            var importer = system.ActorOf(_leasedImports.Value(coordinatorItself));
            completed = await transfer.AskAsync<ImportCompleted>(importer,
                new StartImport(Guid.NewGuid().ToString("N"), bundle, mode, apply, origin), Left(), cancellationToken);
        }
        catch (AskTimeoutException)
        {
            transfer.Forget(proxy);
            return new ImportOutcome(null,
                $"the import did not finish within {settings.Import.RequestTimeout}; see GET /data/import/status for its outcome", null);
        }
        catch (TransferFailedException refused)
        {
            transfer.Forget(proxy);
            return new ImportOutcome(null, ImportReplies.NotDelivered(refused.Message, refused.Answered), null);
        }
        return completed.Unavailable is { } unavailable
            ? new ImportOutcome(completed.Report,
                ImportReplies.NotStored(unavailable), completed)
            : new ImportOutcome(completed.Report, null, completed);
    }
}

/// <summary>An import's report, or why it has none that can be trusted (<see cref="Unavailable"/>); the coordinator's whole answer.</summary>
public sealed record ImportOutcome(ImportReport? Report, string? Unavailable, ImportCompleted? Completed)
{
    /// <summary>The 503 an HTTP client gets when the import did not finish or was not stored.</summary>
    public IResult? Failure => Unavailable is { } reason
        ? ErrorEnvelope.Result(reason, status: StatusCodes.Status503ServiceUnavailable)
        : null;
}
