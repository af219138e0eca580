using Akka.Actor;
using Kuiper.Actors.Metrics;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Imports;

/// <summary>
/// The one way to the coordinator, for every endpoint, start-up provisioning and the async import tasks. Work that
/// changes or reads the whole configuration runs on this node under the coordinator's lease (<see cref="LeasedImport"/>,
/// <see cref="LeasedExport"/>) and waits at most the request's bound; a question (status, history, progress, cancel,
/// idempotency keys) waits at most <see cref="QuestionTimeout"/>. A question or a lease that fails throws
/// <see cref="CoordinatorUnavailableException"/> (the HTTP edge answers it 503); an import answers an
/// <see cref="ImportOutcome"/> instead, which says whether anything was applied.
/// </summary>
/// <param name="proxy">the coordinator's singleton proxy on this node</param>
/// <param name="role">the coordinator's cluster role: its oldest member hosts it</param>
/// <param name="leasedImports">an import or change holder for the coordinator itself</param>
/// <param name="leasedExports">an export reader for the coordinator itself</param>
/// <param name="requestTimeout">how long an import, change or export may wait for its turn and run (<c>Kuiper:Import:RequestTimeout</c>)</param>
/// <param name="secretKeys">opens the sealed secrets of every import (<c>Kuiper:Security:SecretsKeyFile</c>); null: none is opened</param>
public sealed class CoordinatorClient(
    ActorSystem system,
    Func<CancellationToken, Task<IActorRef>> proxy,
    string role,
    Func<IActorRef, Props> leasedImports,
    Func<IActorRef, Props> leasedExports,
    TimeSpan requestTimeout,
    Kuiper.Domain.Secrets.SecretKeyRing? secretKeys = null)
{
    public static readonly TimeSpan QuestionTimeout = TimeSpan.FromSeconds(30);

    private readonly MessageTransfer _transfer = MessageTransfer.Get(system);

    public TimeSpan RequestTimeout => requestTimeout;

    /// <summary>After an import that was applied (or may have been): the host refreshes what it shows of the fleet.</summary>
    public event Action? Imported;

    /// <summary>Runs a bundle as a new import; <paramref name="origin"/> null: asked on this node, now.</summary>
    public Task<ImportOutcome> ImportAsync(Bundle bundle, ImportMode mode, CancellationToken cancellationToken,
        ImportApply apply = ImportApply.Always, ImportOrigin? origin = null) =>
        ImportAsync(new StartImport(Guid.NewGuid().ToString("N"), bundle, mode, apply,
            origin ?? new ImportOrigin(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(), DateTimeOffset.UtcNow)), cancellationToken);

    /// <summary>
    /// Runs the import under a lease and waits for its outcome: at most <see cref="RequestTimeout"/>, or, with
    /// <paramref name="unbounded"/> (an async task), until it ends or its coordinator does.
    /// </summary>
    public async Task<ImportOutcome> ImportAsync(StartImport start, CancellationToken cancellationToken, bool unbounded = false)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        // Every import road passes here: sealed secrets are opened once, on the node that holds the bundle.
        start = start with { Bundle = Kuiper.Domain.Secrets.BundleSecrets.Open(start.Bundle, secretKeys) };
        var outcome = await RunAsync(start, began, unbounded, cancellationToken);
        // Every import road passes here: the metrics count them all, with the outcome the coordinator reported.
        var result = outcome.Report is null ? KuiperMeter.ImportOutcome.TimedOut : KuiperMeter.ImportOutcome.Of(outcome.Report, outcome.Unavailable);
        KuiperMeter.RecordImport(start.Mode, start.Apply, result, System.Diagnostics.Stopwatch.GetElapsedTime(began), outcome.Report);
        if (start.Apply != ImportApply.Never) Imported?.Invoke();
        return outcome;
    }

    private async Task<ImportOutcome> RunAsync(StartImport start, long began, bool unbounded, CancellationToken cancellationToken)
    {
        TimeSpan Left() => unbounded ? Timeout.InfiniteTimeSpan : Remaining(began);
        IActorRef importer;
        try
        {
            importer = system.ActorOf(leasedImports(await LocateAsync(Remaining(began), cancellationToken)));
        }
        catch (CoordinatorUnavailableException e)
        {
            return ImportOutcome.NothingApplied(ImportReplies.NotSent(e.Message));
        }
        try
        {
            var answer = await importer.Ask<object>(start, Left(), cancellationToken);
            return ImportOutcome.Of(await _transfer.UnwrapAsync<ImportCompleted>(answer, importer));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: an import still waiting for its turn is dropped, never run after nobody waits.
            importer.Tell(LeasedImport.Abandon.Instance);
            throw;
        }
        catch (AskTimeoutException)
        {
            return await TimedOutAsync(importer);
        }
        catch (TransferFailedException refused)
        {
            await ForgetAsync(cancellationToken);
            return refused.Answered
                ? ImportOutcome.OutcomeUnknown(ImportReplies.AnswerNotReceived(refused.Message), ImportOutcome.AnswerLost)
                : ImportOutcome.NothingApplied(ImportReplies.NotSent(refused.Message));
        }
    }

    /// <summary>The request's bound passed: dropped if its turn had not come (nothing applied), else it runs on.</summary>
    private async Task<ImportOutcome> TimedOutAsync(IActorRef importer)
    {
        try
        {
            var abandoned = await importer.Ask<LeasedImport.Abandoned>(LeasedImport.Abandon.Instance, TimeSpan.FromSeconds(10));
            if (abandoned.Dropped)
                return ImportOutcome.NothingApplied(
                    $"the import did not start within {requestTimeout} (other writes held the turn); it was dropped, nothing was applied");
        }
        catch (AskTimeoutException)
        {
            // It ended meanwhile (its answer went nowhere): its outcome is the status's.
        }
        return ImportOutcome.OutcomeUnknown(
            $"the import did not finish within {requestTimeout}; it runs on and may be partly applied: see GET /data/import/status for its outcome",
            ImportOutcome.TimedOut);
    }

    /// <summary>Creates, replaces or deletes single resources under a lease; the items that failed and why.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ChangeAsync(ChangeResources change, CancellationToken cancellationToken)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        var changer = system.ActorOf(leasedImports(await LocateAsync(Remaining(began), cancellationToken)));
        try
        {
            return (await AskLocalAsync<ResourcesChanged>(changer, change, Remaining(began), cancellationToken)).Errors;
        }
        catch (Exception e) when (e is CoordinatorUnavailableException or OperationCanceledException)
        {
            // Dropped if its turn has not come: never applied after nobody waits.
            changer.Tell(LeasedImport.Abandon.Instance);
            throw;
        }
    }

    /// <summary>Every stored resource, read on this node between writes.</summary>
    public async Task<Bundle> ExportAsync(CancellationToken cancellationToken)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        var reader = system.ActorOf(leasedExports(await LocateAsync(Remaining(began), cancellationToken)));
        try
        {
            return (await AskLocalAsync<ExportSnapshot>(reader, ExportAll.Instance, Remaining(began), cancellationToken)).Bundle;
        }
        catch (Exception e) when (e is CoordinatorUnavailableException or OperationCanceledException)
        {
            // Nobody waits for it: its lease is given back (or never taken).
            system.Stop(reader);
            throw;
        }
    }

    /// <summary>The last import's report (the status).</summary>
    public async Task<ImportReport> StatusAsync(CancellationToken cancellationToken) =>
        (await AskAsync<ImportStatus>(GetImportStatus.Instance, cancellationToken)).Report;

    /// <summary>The newest <paramref name="limit"/> reports, newest first.</summary>
    public async Task<IReadOnlyList<ImportReport>> HistoryAsync(int limit, CancellationToken cancellationToken) =>
        (await AskAsync<ImportHistory>(new GetImportHistory(limit), cancellationToken)).Reports;

    /// <summary>How far an import is, from its holder (through the coordinator, which knows who holds the lease).</summary>
    public Task<ImportProgress> ProgressAsync(string importId, CancellationToken cancellationToken) =>
        AskAsync<ImportProgress>(new GetImportProgress(importId), cancellationToken);

    /// <summary>Cancels a running import between stages; not running: nothing is cancelled.</summary>
    public Task<ImportCancelAnswer> CancelAsync(string importId, CancellationToken cancellationToken) =>
        AskAsync<ImportCancelAnswer>(new CancelImport(importId), cancellationToken);

    public Task<ImportKeyClaim> ClaimKeyAsync(ClaimImportKey claim, CancellationToken cancellationToken) =>
        AskAsync<ImportKeyClaim>(claim, cancellationToken);

    public Task<ImportKeySettled> SettleKeyAsync(SettleImportKey settle, CancellationToken cancellationToken) =>
        AskAsync<ImportKeySettled>(settle, cancellationToken);

    /// <summary>A question through the proxy; from a coordinator on another node a large answer comes in chunks.</summary>
    private async Task<T> AskAsync<T>(object question, CancellationToken cancellationToken)
    {
        try
        {
            return await _transfer.AskAsync<T>(await proxy(cancellationToken), question, QuestionTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            throw new CoordinatorUnavailableException($"the import coordinator did not answer within {QuestionTimeout.TotalSeconds:0}s; try again");
        }
        catch (TransferFailedException e)
        {
            throw new CoordinatorUnavailableException(e.Message, e);
        }
    }

    /// <summary>A holder on this node: its refusal (the coordinator ended, a partition did not answer) is the failure.</summary>
    private async Task<T> AskLocalAsync<T>(IActorRef holder, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _transfer.UnwrapAsync<T>(await holder.Ask<object>(message, timeout, cancellationToken), holder);
        }
        catch (AskTimeoutException)
        {
            throw new CoordinatorUnavailableException($"the request did not get its turn and finish within {timeout}; try again");
        }
        catch (TransferFailedException e)
        {
            await ForgetAsync(cancellationToken);
            throw new CoordinatorUnavailableException(e.Message, e);
        }
    }

    /// <summary>
    /// The coordinator itself, not its proxy: a holder watches it, and its lease ends if it does. Located once per oldest
    /// member, not per request: one round trip less to the coordinator's node.
    /// </summary>
    private async Task<IActorRef> LocateAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _transfer.LocateSingletonAsync(await proxy(cancellationToken), role, timeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            await ForgetAsync(cancellationToken);
            throw new CoordinatorUnavailableException($"the import coordinator was not found within {timeout}");
        }
    }

    private async Task ForgetAsync(CancellationToken cancellationToken) => _transfer.Forget(await proxy(cancellationToken));

    private TimeSpan Remaining(long began) => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond,
        (requestTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(began)).Ticks));
}

/// <summary>The coordinator, or the lease it grants, could not be had in time: nothing was done. Answered 503 at the HTTP edge.</summary>
public sealed class CoordinatorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
