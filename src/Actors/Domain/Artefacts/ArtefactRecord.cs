using System.Text.Json;
using Kuiper.Domain.Artefacts;

namespace Kuiper.Domain.Artefacts;

/// <summary>
/// What a partition stores for an artefact: the descriptor export returns, what the artefact provides, the
/// bundle value it was checked from, and the SHA-256 of every file fetched for it (the bytes are in the blob
/// store, not the journal). Any node re-checks the value against those bytes to install it.
/// </summary>
public sealed record ArtefactRecord(
    string Descriptor,
    string InstallKey,
    string ContentHash,
    string? Version,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Sinks,
    IReadOnlyList<string> Functions,
    string Value,
    IReadOnlyDictionary<string, string> Fetched)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ArtefactRecord From(ArtefactPlan plan, string value, IReadOnlyDictionary<string, string> fetched) =>
        new(plan.Descriptor, plan.InstallKey, plan.ContentHash, plan.Version,
            plan.Provides.Sources, plan.Provides.Sinks, plan.Provides.Functions, value, fetched);

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static ArtefactRecord? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ArtefactRecord>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public InstalledArtefact ToInstalled(ArtefactKind kind) =>
        new(kind, InstallKey, Descriptor, ContentHash, [], Version, new ArtefactProvides(Sources, Sinks, Functions));
}
