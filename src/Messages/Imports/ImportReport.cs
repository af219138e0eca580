using System.Text.Json.Serialization;
using Kuiper.Messages.Resources;

namespace Kuiper.Messages.Imports;

/// <summary>
/// The outcome of one import: for each kind, the resources that failed and why. An import with no errors
/// succeeded completely. This is what <c>GET /data/import/status</c> shows, and one entry of the import history.
/// The members after <paramref name="Errors"/> came later: reports recorded before them read back with the defaults.
/// </summary>
/// <param name="Origin">who asked, where and when; null for reports recorded before history existed</param>
/// <param name="Counts">per kind: items imported, failed and removed</param>
/// <param name="Apply">atomic and dry-run imports say so</param>
/// <param name="Positions">every partition's journal position right after the import, by persistence id: the configuration it left</param>
/// <param name="Cancelled">stopped between stages on request: what the counts say was applied stays</param>
/// <param name="Change">a write of single resources through the REST API (release 0.3.0), recorded in the history beside
/// the imports; never the import status. Null: an import (as every report of an earlier release)</param>
public sealed record ImportReport(
    string ImportId,
    ImportMode Mode,
    DateTimeOffset CompletedAt,
    IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> Errors,
    ImportOrigin? Origin = null,
    IReadOnlyDictionary<ResourceKind, ImportCounts>? Counts = null,
    ImportApply Apply = ImportApply.Always,
    bool Cancelled = false,
    IReadOnlyDictionary<string, long>? Positions = null,
    ResourceChange? Change = null) : IKuiperMessage
{
    public static readonly ImportReport None = new(
        "", ImportMode.Full, DateTimeOffset.UnixEpoch, new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>());

    [JsonIgnore]
    public bool Succeeded => Errors.Values.All(e => e.Count == 0);
}

/// <summary>Where an import came from: the node that took the request, the token's issuer (if any), when, and what it restores.</summary>
public sealed record ImportOrigin(string Node, DateTimeOffset RequestedAt, string? RequestedBy = null, string? RestoreOf = null);

/// <summary>What a REST write changed: one kind, one operation, the names it named.</summary>
public sealed record ResourceChange(ResourceKind Kind, Kuiper.Messages.Partitions.BatchOperation Operation, IReadOnlyList<string> Names);

/// <summary>How many items of one kind an import stored, refused and removed.</summary>
public sealed record ImportCounts(int Imported, int Failed, int Removed);
