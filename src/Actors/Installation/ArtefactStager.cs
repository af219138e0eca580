using System.Security.Cryptography;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Installation;

/// <summary>What staging made of one kind's items: records to store, items to leave as they are, errors.</summary>
public sealed record StagedArtefacts(
    IReadOnlyDictionary<string, string> Records,
    IReadOnlySet<string> Skipped,
    IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// Checks, fetches (once, for the whole cluster) and stores the artefacts of an import before their partitions
/// store the records. Runs on the coordinator's node for imports, on the receiving node for uploads through
/// <c>/config/uploads</c>.
/// </summary>
/// <param name="beforeLocalRead">
/// Runs once before the first <c>file://</c> read of a staging: brings this node's uploads in line with what the
/// cluster stores (an upload received by another node, or staged by an earlier stage of this import).
/// </param>
public sealed class ArtefactStager(ArtefactStore store, FetchOptions fetchOptions, ArtefactPolicy policy,
    Func<CancellationToken, Task>? beforeLocalRead = null)
{
    /// <param name="existing">what is stored now (partial import) or nothing (full import, after the reset)</param>
    /// <param name="partial">a partial import: what exists is kept, refused or replaced as its kind declares</param>
    /// <param name="storeBlobs">false for a dry run: everything is fetched and checked, nothing is written</param>
    /// <param name="received">bytes the request carried, by the URI the item names (a multipart upload): not fetched</param>
    public async Task<StagedArtefacts> StageAsync(ResourceKind kind, IReadOnlyList<ResourceItem> items,
        IReadOnlyDictionary<string, string> existing, bool partial, CancellationToken cancellationToken, bool storeBlobs = true,
        IReadOnlyDictionary<string, byte[]>? received = null)
    {
        var localReadPrepared = beforeLocalRead is null;
        var artefactKind = kind.ToArtefactKind();
        var checker = ArtefactChecks.For(artefactKind, policy);
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        // The registry the checks see: what stays installed, and what this import staged before.
        var installed = existing.Values.Select(ArtefactRecord.Parse).OfType<ArtefactRecord>()
            .Select(r => r.ToInstalled(artefactKind)).ToList();

        using var fetcher = new ArtefactFetcher(fetchOptions);
        foreach (var item in items.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            if (partial && existing.ContainsKey(item.Name))
            {
                var policy = kind.Declaration().WhenStored;
                if (policy == WhenStoredOnPartialImport.Keep) { skipped.Add(item.Name); continue; }
                if (policy == WhenStoredOnPartialImport.Refuse) { errors[item.Name] = kind.Rules().AlreadyExists(item.Name); continue; }
            }

            var descriptor = checker.CheckDescriptor(item.Name, item.Definition, new InstalledSet(installed));
            if (descriptor.Error is { } descriptorError) { errors[item.Name] = descriptorError; continue; }

            var fetched = new Dictionary<string, FetchResult>(StringComparer.Ordinal);
            foreach (var uri in descriptor.Fetches.Distinct())
            {
                if (received is not null && received.TryGetValue(uri, out var carried))
                {
                    fetched[uri] = FetchResult.Ok(carried);
                    continue;
                }
                if (!localReadPrepared && uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
                {
                    localReadPrepared = true;
                    await beforeLocalRead!(cancellationToken);
                }
                var result = await fetcher.FetchAsync(uri, cancellationToken);
                fetched[uri] = result;
                if (!result.Succeeded) break;
            }

            var checkedItem = checker.Check(item.Name, item.Definition, new InstalledSet(installed), fetched);
            if (checkedItem.Plan is not { } plan) { errors[item.Name] = checkedItem.Error!; continue; }

            var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (uri, result) in fetched)
            {
                var sha = Convert.ToHexStringLower(SHA256.HashData(result.Bytes!));
                if (storeBlobs) await store.PutBlobAsync(sha, result.Bytes!, cancellationToken);
                blobs[uri] = sha;
            }
            var record = ArtefactRecord.From(plan, item.Definition, blobs);
            records[item.Name] = record.ToJson();
            installed.Add(record.ToInstalled(artefactKind));
        }
        return new StagedArtefacts(records, skipped, errors);
    }
}
