using Kuiper.Actors.Hosting;
using Kuiper.Actors.Installation;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Resources;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>What a single-artefact write came to: null error on success; a refused item is 400, an install that did not end in time 503.</summary>
/// <param name="AlreadyStored">a create found the name taken (by a write that got its turn first): nothing changed</param>
public sealed record ArtefactWriteResult(string? Error, int Status = StatusCodes.Status400BadRequest, bool AlreadyStored = false)
{
    /// <summary>The error as answered: it may quote a file URL, whose password is masked.</summary>
    public string? Error { get; } = Error is null ? null : Kuiper.Domain.Secrets.SecretText.MaskMessage(Error);

    public static readonly ArtefactWriteResult Done = new((string?)null);

    public bool Succeeded => Error is null;

    /// <summary>eKuiper's envelope with the endpoint's prefix, keeping the status.</summary>
    public IResult Envelope(string prefix) => ErrorEnvelope.Result(prefix.Length == 0 ? Error! : $"{prefix}: {Error}", status: Status);
}

/// <summary>
/// One artefact (plugin, service, schema, script, upload) created, replaced or deleted through the REST API, the way
/// an import does it: its files are fetched once with the import's safety rules and checked on this node, the record
/// is stored through the coordinator (durable on every node before the reply), and the reply waits, within
/// <c>Kuiper:Import:RequestTimeout</c>, until every Up member has installed (or removed) its files.
/// </summary>
public sealed class ArtefactWrites(KuiperSettings settings, ResourceStore resources, LocalArtefacts local, FleetInstalls fleet)
{
    /// <summary>Stores <paramref name="value"/> (a bundle item's JSON) under <paramref name="key"/>, replacing any stored one.</summary>
    /// <param name="received">bytes the request carried, by the URI the item names: not fetched</param>
    /// <param name="create">store only if the name is free when the write gets its turn (two concurrent creates: one wins)</param>
    public async Task<ArtefactWriteResult> StoreAsync(ResourceKind kind, string key, string value, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, byte[]>? received = null, FetchOptions? fetchOptions = null, bool create = false)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        // The others of the kind are what the checks see as installed (a function name taken by another plugin).
        var others = (await resources.ReadKindAsync(kind, cancellationToken)).Where(r => r.Key != key)
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var stager = settings.Stager(local.ReconcileAsync, fetchOptions);
        var staged = await stager.StageAsync(kind, [new ResourceItem(key, value)], others, partial: false, cancellationToken, received: received);
        if (staged.Errors.TryGetValue(key, out var refused)) return new ArtefactWriteResult(refused);

        var record = staged.Records[key];
        if (await resources.ChangeAsync(kind, create ? BatchOperation.Create : BatchOperation.Upsert, key, record, cancellationToken) is { } stored)
            return new ArtefactWriteResult(stored, AlreadyStored: create && stored == kind.Rules().AlreadyExists(key));

        local.AnnounceChange(Guid.NewGuid().ToString("N"));
        var parsed = ArtefactRecord.Parse(record)!;
        return await SettledAsync(kind, key, began, bound => fleet.InstalledAsync(kind, parsed.InstallKey, parsed.ContentHash, bound, cancellationToken), cancellationToken);
    }

    /// <summary>Deletes a stored artefact; false in <c>Found</c> when none is stored under <paramref name="key"/>.</summary>
    public async Task<(bool Found, ArtefactWriteResult Result)> DeleteAsync(ResourceKind kind, string key, CancellationToken cancellationToken)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        if (await resources.ReadOneAsync(kind, key, cancellationToken) is not { } stored) return (false, ArtefactWriteResult.Done);
        if (await resources.ChangeAsync(kind, BatchOperation.Delete, key, "", cancellationToken) is { } error)
            return (true, new ArtefactWriteResult(error));

        local.AnnounceChange(Guid.NewGuid().ToString("N"));
        if (ArtefactRecord.Parse(stored) is not { } record) return (true, ArtefactWriteResult.Done);
        return (true, await SettledAsync(kind, key, began, bound => fleet.RemovedAsync(kind, record.InstallKey, bound, cancellationToken), cancellationToken));
    }

    /// <summary>This node first (it answers as eKuiper does, after its own files), then every other member, within the bound.</summary>
    private async Task<ArtefactWriteResult> SettledAsync(ResourceKind kind, string key, long began, Func<TimeSpan, Task<FleetInstallOutcome>> everyMember, CancellationToken cancellationToken)
    {
        var outcome = await local.ReconcileAsync(cancellationToken);
        if (outcome.Error is { } passError) return new ArtefactWriteResult(LocalInstallReport.NotInstalled(passError), StatusCodes.Status503ServiceUnavailable);
        if (outcome.Failures.GetValueOrDefault(kind)?.GetValueOrDefault(key) is { } notHere) return new ArtefactWriteResult(notHere);
        var left = settings.Import.RequestTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(began);
        var fleetOutcome = await everyMember(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        return fleetOutcome.Error is { } notEverywhere
            ? new ArtefactWriteResult(notEverywhere, fleetOutcome.Pending ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest)
            : ArtefactWriteResult.Done;
    }
}
