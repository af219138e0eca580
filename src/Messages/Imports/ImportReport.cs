using System.Text.Json.Serialization;
using Kuiper.Messages.Resources;

namespace Kuiper.Messages.Imports;

/// <summary>
/// The outcome of one import: for each kind, the resources that failed and why. An import with no errors
/// succeeded completely. This is what <c>GET /data/import/status</c> shows.
/// </summary>
public sealed record ImportReport(
    string ImportId,
    ImportMode Mode,
    DateTimeOffset CompletedAt,
    IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> Errors) : IKuiperMessage
{
    public static readonly ImportReport None = new(
        "", ImportMode.Full, DateTimeOffset.UnixEpoch, new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>());

    [JsonIgnore]
    public bool Succeeded => Errors.Values.All(e => e.Count == 0);
}
