using System.Data.Common;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Node.Http;

namespace Kuiper.Node.Provisioning;

/// <summary>
/// eKuiper's start-up ruleset (<c>internal/server/rule_init.go</c>): <c>&lt;DataDir&gt;/init.json</c>, a ruleset file
/// (streams, tables, rules), is imported once per version when the node starts, cluster-wide exactly once
/// (<see cref="ProvisioningClaims"/>). The import waits until the node is an Up member and the coordinator answers, then
/// goes through the coordinator like any import (a partial import of the three kinds, recorded as the status: its item
/// errors show in <c>GET /data/import/status</c>); what came of it is logged and kept with the claim. eKuiper reads
/// <c>data/init.json</c> then <c>etc/init.json</c> and marks each done with an <c>initialized&lt;mtime&gt;</c> file in
/// that folder; here there is one folder, and the version is the file's content (see <see cref="ProvisioningClaims"/>).
/// </summary>
public sealed class StartupProvisioning(
    KuiperSettings settings,
    CoordinatorClient coordinator,
    IServiceProvider services,
    ILogger<StartupProvisioning> logger) : BackgroundService
{
    public const string FileName = "init.json";

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    private TimeSpan ClaimTimeout => settings.Provisioning.ClaimTimeout;

    private TimeSpan Poll => TimeSpan.FromTicks(Math.Clamp(ClaimTimeout.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(15).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        try
        {
            await ProvisionAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A failure here must not stop the node (the host would): it is logged, and the file is tried at the next start.
            logger.LogError(e, "fail to import {File}: {Reason}", FileName, e.Message);
        }
    }

    private async Task ProvisionAsync(CancellationToken stopping)
    {
        var path = Path.Combine(Path.GetFullPath(settings.DataDir), FileName);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            logger.LogInformation("init rules file {Path} does not exist", path);
            return;
        }
        if (file.Length > UriFetcher.MaxFileBytes)
        {
            logger.LogError("fail to read init file: {Path} is larger than {Limit} bytes", path, UriFetcher.MaxFileBytes);
            return;
        }
        var content = await File.ReadAllBytesAsync(path, stopping);
        var version = Convert.ToHexStringLower(SHA256.HashData(content));
        logger.LogInformation("found {File} version {Version} (modified {Modified:O})", FileName, version, file.LastWriteTimeUtc);

        var node = await NodeReadyAsync(stopping);
        var claims = new ProvisioningClaims(settings.Persistence, settings.DataDir);
        string? lastHolder = null;
        while (true)
        {
            ProvisioningClaim claim;
            try
            {
                claim = await claims.ClaimAsync(version, node, ClaimTimeout, stopping);
            }
            catch (DbException e)
            {
                logger.LogWarning("cannot claim {File} version {Version} ({Reason}); trying again in {Delay}", FileName, version, e.Message, RetryAfterFailure);
                await Task.Delay(RetryAfterFailure, stopping);
                continue;
            }

            switch (claim)
            {
                case ProvisioningClaim.Done done:
                    logger.LogInformation("{File} version {Version} was imported already, by {Node}: {Outcome}", FileName, version, done.Holder, done.Outcome);
                    return;
                case ProvisioningClaim.HeldBy held:
                    if (held.Holder != lastHolder)
                        logger.LogInformation("{File} version {Version} is being imported by {Node}; waiting", FileName, version, held.Holder);
                    lastHolder = held.Holder;
                    await Task.Delay(Poll, stopping);
                    continue;
                case ProvisioningClaim.Granted granted:
                    if (granted.TakenFrom is { } lapsed)
                        logger.LogWarning("{File} version {Version}: taking over from {Node}, whose claim was not renewed", FileName, version, lapsed);
                    var (outcome, report) = await ImportAsync(content, version, node, claims, stopping);
                    if (outcome is null)
                    {
                        await claims.ReleaseAsync(version, node, stopping);
                        await Task.Delay(RetryAfterFailure, stopping);
                        continue;
                    }
                    // The outcome is told once the version is marked done: a node killed after the line is not asked again.
                    await claims.FinishAsync(version, node, outcome, stopping);
                    report();
                    return;
            }
        }
    }

    /// <summary>
    /// What came of the import, or null when it was not stored (and is to be tried again); and the log line that tells
    /// it, for once it is marked done.
    /// </summary>
    private async Task<(string? Outcome, Action Report)> ImportAsync(byte[] content, string version, string node, ProvisioningClaims claims,
        CancellationToken stopping)
    {
        var (ruleset, error) = BundleCodec.Parse(content, BundleShape.Ruleset);
        if (error is not null)
        {
            // eKuiper logs this and marks the file done all the same; so does this node: the file is read again once it changes.
            return ($"invalid import file: {error}", () => logger.LogError("fail to import ruleset: invalid import file: {Error}", error));
        }
        logger.LogInformation("start to initialize ruleset");
        if (ruleset!.Count == 0) return (RulesetReplies.Imported(ruleset, ImportReport.None), () => { });

        using var importing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewing = RenewAsync(claims, version, node, importing.Token);
        ImportOutcome outcome;
        try
        {
            outcome = await coordinator.ImportAsync(ruleset, ImportMode.Partial, stopping);
        }
        finally
        {
            await importing.CancelAsync();
            await renewing;
        }

        if (outcome.Unavailable is { } unavailable)
        {
            logger.LogWarning("fail to import {File} version {Version}: {Reason}; trying again in {Delay}", FileName, version, unavailable, RetryAfterFailure);
            return (null, () => { });
        }
        var imported = RulesetReplies.Imported(ruleset, outcome.Report!);
        if (RulesetReplies.Failures(outcome.Report!, int.MaxValue) is var (failures, _))
            return ($"{imported}; failed: {failures}", () => logger.LogError(
                "{File} version {Version}: {Imported}; failed: {Failures} (GET /data/import/status lists them)", FileName, version, imported, failures));
        return (imported, () => logger.LogInformation("{File} version {Version}: {Imported}", FileName, version, imported));
    }

    /// <summary>Renews the claim every quarter of its timeout while the import runs.</summary>
    private async Task RenewAsync(ProvisioningClaims claims, string version, string node, CancellationToken importing)
    {
        try
        {
            while (true)
            {
                await Task.Delay(ClaimTimeout / 4, importing);
                if (!await claims.RenewAsync(version, node, importing))
                    logger.LogWarning("{File} version {Version}: the claim was taken over while this node imported it", FileName, version);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (DbException e)
        {
            logger.LogWarning("{File} version {Version}: cannot renew the claim ({Reason})", FileName, version, e.Message);
        }
    }

    /// <summary>Waits until this node is an Up member and the coordinator answers; returns the node's claim name.</summary>
    private async Task<string> NodeReadyAsync(CancellationToken stopping)
    {
        var cluster = Akka.Cluster.Cluster.Get(services.GetRequiredService<ActorSystem>());
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(stopping);
        while (true)
        {
            try
            {
                await coordinator.StatusAsync(stopping);
                break;
            }
            catch (CoordinatorUnavailableException)
            {
            }
        }
        return $"{cluster.SelfAddress}#{cluster.SelfUniqueAddress.Uid}";
    }
}

public static class StartupProvisioningExtensions
{
    /// <summary>Imports <c>&lt;DataDir&gt;/init.json</c> once per version, cluster-wide, when the node is ready.</summary>
    public static IServiceCollection AddStartupProvisioning(this IServiceCollection services) =>
        services.AddHostedService<StartupProvisioning>();
}
