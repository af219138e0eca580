using System.Text.Json.Serialization;
using Kuiper.Messages.Resources;

namespace Kuiper.Messages.Bundles;

/// <summary>
/// An eKuiper data bundle: for each kind, a map of resource name to its definition text
/// (DDL, rule JSON, or a JSON object as a string). Kinds that are absent are empty.
/// </summary>
public sealed record Bundle(IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> Sections)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static readonly Bundle Empty = new(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>());

    public IReadOnlyDictionary<string, string> this[ResourceKind kind] =>
        Sections.TryGetValue(kind, out var section) ? section : None;

    [JsonIgnore]
    public int Count => Sections.Values.Sum(s => s.Count);
}
