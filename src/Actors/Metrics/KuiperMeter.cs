using System.Diagnostics.Metrics;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Metrics;

/// <summary>
/// The node's one <see cref="Meter"/> (BCL instruments; the host chooses the exporter). Every import, whichever road
/// it came by, is counted where it ends: in <c>CoordinatorClient</c>, on the node that held it.
/// Labels are bounded: mode, apply, outcome and the resource kind, never a resource name.
/// </summary>
public static class KuiperMeter
{
    public const string Name = "Kuiper";

    public static readonly Meter Meter = new(Name);

    /// <summary>From a partition's <c>Persist</c> call to its callback: one journal write of one batch event.</summary>
    public static readonly Histogram<double> JournalWrite = Meter.CreateHistogram<double>(
        "kuiper.journal.write.duration", "s", "time to write one batch event to the journal");

    private static readonly Counter<long> Imports = Meter.CreateCounter<long>(
        "kuiper.imports", description: "imports that ended on this node, by mode, apply and outcome");

    private static readonly Histogram<double> ImportDuration = Meter.CreateHistogram<double>(
        "kuiper.import.duration", "s", "from the request to the outcome, by mode and outcome");

    private static readonly Counter<long> ImportItems = Meter.CreateCounter<long>(
        "kuiper.import.items", description: "items of imports that ended on this node, by kind and result (imported, failed, removed)");

    /// <summary>What an import ended as; the label value.</summary>
    public static class ImportOutcome
    {
        public const string Succeeded = "succeeded";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";
        public const string Unavailable = "unavailable";
        public const string TimedOut = "timeout";

        public static string Of(ImportReport report, string? unavailable) =>
            unavailable is not null ? Unavailable : report.Cancelled ? Cancelled : report.Succeeded ? Succeeded : Failed;
    }

    public static void RecordImport(ImportMode mode, ImportApply apply, string outcome, TimeSpan elapsed, ImportReport? report)
    {
        var modeLabel = mode == ImportMode.Partial ? "partial" : "full";
        var applyLabel = apply switch
        {
            ImportApply.Never => "dry-run",
            ImportApply.OnlyIfAllSucceed => "atomic",
            _ => "always",
        };
        Imports.Add(1, new("mode", modeLabel), new("apply", applyLabel), new("outcome", outcome));
        ImportDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("mode", modeLabel), new("outcome", outcome));

        // A dry run stores nothing: its counts would double the real import's.
        if (apply == ImportApply.Never || report?.Counts is not { } counts) return;
        foreach (var (kind, count) in counts)
        {
            var kindLabel = new KeyValuePair<string, object?>("kind", kind.BundleKey());
            if (count.Imported > 0) ImportItems.Add(count.Imported, kindLabel, new("result", "imported"));
            if (count.Failed > 0) ImportItems.Add(count.Failed, kindLabel, new("result", "failed"));
            if (count.Removed > 0) ImportItems.Add(count.Removed, kindLabel, new("result", "removed"));
        }
    }
}
