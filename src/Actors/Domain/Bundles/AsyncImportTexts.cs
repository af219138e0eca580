using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Bundles;

/// <summary>
/// The <c>message</c> of an async import task. eKuiper's for a task that ended: the import's reply JSON on
/// <c>finish</c>, <c>err:&lt;error&gt;, response:&lt;the import status as JSON, or null&gt;</c> on <c>error</c>. Ours
/// where eKuiper has none: a cancelled task says what was applied, an interrupted one which node stopped.
/// </summary>
public static class AsyncImportTexts
{
    /// <summary>eKuiper's text of a failed task (<c>fmt.Errorf("err:%v, response:%v", ...)</c>).</summary>
    public static string Failed(string error, string? responseJson = null) => $"err:{error}, response:{responseJson ?? "null"}";

    public const string CancelledBeforeStart = "cancelled before it started: nothing was imported";

    /// <summary>What a cancelled import applied before it stopped, per kind, from its report's counts.</summary>
    public static string Cancelled(ImportReport report)
    {
        if (report.Apply == ImportApply.Never)
            return $"cancelled: a dry run, nothing was changed; every item: GET /data/imports/{report.ImportId}";
        IReadOnlyDictionary<ResourceKind, ImportCounts> counts = report.Counts ?? new Dictionary<ResourceKind, ImportCounts>();
        string List(Func<ImportCounts, int> count)
        {
            var kinds = ResourceKinds.All.Where(k => counts.TryGetValue(k, out var c) && count(c) > 0)
                .Select(k => $"{k.BundleKey()} {count(counts[k])}").ToList();
            return kinds.Count == 0 ? "nothing" : string.Join(", ", kinds);
        }
        return $"cancelled: imported {List(c => c.Imported)}; removed {List(c => c.Removed)}; not imported {List(c => c.Failed)}; " +
               $"every item: GET /data/imports/{report.ImportId}";
    }

    /// <summary>A task that was running when the node running it stopped, and whose import left no report.</summary>
    public static string Interrupted(string node, string importId) =>
        Failed($"interrupted: node {node} stopped while it was running this import; what it imported before it stopped stays " +
               $"imported and is listed in GET /data/imports/{importId} if the import was recorded");

    /// <summary>A task that waited on a node that stopped: its request was held there, in memory.</summary>
    public static string LostBeforeStart(string node) =>
        Failed($"interrupted: node {node} stopped before this task started (its request was held there); nothing was imported");
}
