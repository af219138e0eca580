using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;

namespace Kuiper.Domain.Exports;

/// <summary>Stored definitions as export shows them (artefacts: their install descriptors).</summary>
public static class ExportProjection
{
    public static Bundle Project(Bundle stored) => new(stored.Sections.ToDictionary(
        section => section.Key,
        section => section.Key.Rules().ExportsAsStored
            ? section.Value
            : (IReadOnlyDictionary<string, string>)section.Value.ToDictionary(r => r.Key, r => section.Key.Rules().Exported(r.Value))));
}
