using System.Text.Json;
using Kuiper.Actors.Installation;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>A stored artefact: its bundle key and its record.</summary>
public sealed record StoredArtefact(string Key, ArtefactRecord Record);

/// <summary>
/// What the plugin, service and schema endpoints read: stored artefacts by their install key, their details with
/// each node's install state (ours: <c>nodes</c>), and the bytes the cluster fetched for one.
/// </summary>
public static class ArtefactReads
{
    /// <summary>
    /// The artefact installed as <paramref name="installKey"/> (<c>&lt;type&gt;_&lt;name&gt;</c> for native plugins and
    /// schemas, the name otherwise), under that bundle key or, when an import used another key, under that one.
    /// </summary>
    public static async Task<StoredArtefact?> FindAsync(ResourceKind kind, string installKey, ResourceStore resources, CancellationToken ct)
    {
        var stored = await resources.ReadKindAsync(kind, ct);
        if (stored.TryGetValue(installKey, out var json) && ArtefactRecord.Parse(json) is { } record) return new StoredArtefact(installKey, record);
        return stored.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => ArtefactRecord.Parse(r.Value) is { } other ? new StoredArtefact(r.Key, other) : null)
            .FirstOrDefault(a => a?.Record.InstallKey == installKey);
    }

    /// <summary>Every stored artefact of a kind, by bundle key.</summary>
    public static async Task<IReadOnlyList<StoredArtefact>> AllAsync(ResourceKind kind, ResourceStore resources, CancellationToken ct) =>
        (await resources.ReadKindAsync(kind, ct)).OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => ArtefactRecord.Parse(r.Value) is { } record ? new StoredArtefact(r.Key, record) : null)
            .OfType<StoredArtefact>().ToList();

    /// <summary>The bytes fetched for an artefact when it was stored, by the URI they came from: a rewrite re-checks them, not a new download.</summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>> FetchedBytesAsync(ArtefactRecord record, ArtefactStore store, CancellationToken ct)
    {
        var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (uri, sha) in record.Fetched)
            if (await store.GetBlobAsync(sha, ct) is { } blob) bytes[uri] = blob;
        return bytes;
    }

    /// <summary>One artefact's details as JSON, or <paramref name="missing"/>.</summary>
    public static async Task<IResult> OneAsync(ResourceKind kind, string installKey, Func<IResult> missing, ResourceStore resources, ArtefactStore store,
        CancellationToken ct)
    {
        if (await FindAsync(kind, installKey, resources, ct) is not { } found) return missing();
        return PlainReplies.Json(JsonSerializer.Serialize(await DetailsAsync(kind, found, store, ct), GoJsonLimits.Serializer));
    }

    /// <summary>Every artefact of a kind with its details, sorted by key.</summary>
    public static async Task<IResult> AllDetailsAsync(ResourceKind kind, ResourceStore resources, ArtefactStore store, CancellationToken ct)
    {
        var details = new List<object>();
        foreach (var artefact in await AllAsync(kind, resources, ct)) details.Add(await DetailsAsync(kind, artefact, store, ct));
        return PlainReplies.Json(JsonSerializer.Serialize(details, GoJsonLimits.Serializer));
    }

    /// <summary>Names as a JSON array, sorted (eKuiper's order is its map's, random).</summary>
    public static IResult Names(IEnumerable<string> names) =>
        PlainReplies.Json(JsonSerializer.Serialize(names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));

    /// <summary>The name part of an install key: after <c>&lt;type&gt;_</c> for native plugins and schemas.</summary>
    public static string NameOf(ResourceKind kind, string installKey) =>
        kind is ResourceKind.NativePlugins or ResourceKind.Schema && installKey.IndexOf('_') is var at and >= 0 ? installKey[(at + 1)..] : installKey;

    /// <summary>Each node's install state of the artefact (ours): installed with this content, or the error it met.</summary>
    public static async Task<IEnumerable<object>> NodesAsync(ResourceKind kind, ArtefactRecord record, ArtefactStore store, CancellationToken ct) =>
        (await store.InstallsAsync(kind.BundleKey(), record.InstallKey, ct))
        .Select(i => new { node = i.Node, installed = i.Error is null && i.ContentHash == record.ContentHash, error = i.Error });

    private static async Task<object> DetailsAsync(ResourceKind kind, StoredArtefact artefact, ArtefactStore store, CancellationToken ct)
    {
        var record = artefact.Record;
        return new
        {
            name = NameOf(kind, record.InstallKey),
            version = record.Version ?? "",
            sources = record.Sources,
            sinks = record.Sinks,
            functions = record.Functions,
            descriptor = GoJsonLimits.Parse(record.Descriptor).RootElement,
            nodes = await NodesAsync(kind, record, store, ct),
        };
    }

    public static IResult NotFound(string message) => ErrorEnvelope.Result(message, ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
}
