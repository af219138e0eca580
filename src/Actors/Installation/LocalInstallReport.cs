using Kuiper.Domain.Resources;
using Kuiper.Domain.Artefacts;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Installation;

/// <summary>
/// What the node that answers an import adds to its reply (docs/decisions.md#answer-after-files): eKuiper installs before it answers,
/// so an item stored but not installed on this node is reported under the item, as eKuiper reports an install
/// failure. The import status keeps what the cluster stored; each node's install state is on the read endpoints.
/// </summary>
public static class LocalInstallReport
{
    /// <summary>The text for an item the pass did not install because the pass itself did not end.</summary>
    public static string NotInstalled(string why) => $"stored, but not installed on this node: {why}";

    /// <summary>
    /// The report with, for each artefact item of <paramref name="bundle"/> that the import did not refuse, the
    /// reason it is not installed on this node.
    /// </summary>
    public static ImportReport Merge(ImportReport report, Bundle bundle, ArtefactsReconciled outcome)
    {
        var errors = new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>(report.Errors);
        foreach (var kind in ResourceKinds.Artefacts)
        {
            var refused = report.Errors.GetValueOrDefault(kind) ?? new Dictionary<string, string>();
            var failed = outcome.Failures.GetValueOrDefault(kind) ?? new Dictionary<string, string>();
            Dictionary<string, string>? merged = null;
            foreach (var name in bundle[kind].Keys)
            {
                if (refused.ContainsKey(name)) continue;
                var why = outcome.Error is { } error ? NotInstalled(error) : failed.GetValueOrDefault(name);
                if (why is null) continue;
                (merged ??= new Dictionary<string, string>(refused, StringComparer.Ordinal))[name] = why;
            }
            if (merged is not null) errors[kind] = merged;
        }
        return report with { Errors = errors };
    }
}
