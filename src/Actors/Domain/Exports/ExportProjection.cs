using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;

namespace Kuiper.Domain.Exports;

/// <summary>Stored definitions as export shows them (artefacts: their install descriptors).</summary>
public static class ExportProjection
{
    public static Bundle Project(Bundle stored) => new(stored.Sections.ToDictionary(
        section => section.Key,
        section => ResourceRulesCatalog.Stored.TryGetValue(section.Key, out var rules)
            ? (IReadOnlyDictionary<string, string>)section.Value.ToDictionary(r => r.Key, r => rules.Exported(r.Value))
            : section.Value));
}
