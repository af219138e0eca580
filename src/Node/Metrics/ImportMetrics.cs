using System.Diagnostics.Metrics;
using Kuiper.Actors.Telemetry;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Metrics;

/// <summary>
/// Imports as the node that took the request saw them: how many, how long, and items per kind. Recorded at the HTTP
/// edge (every import path ends in <see cref="Record"/>), so the actors stay free of metrics. Labels are bounded:
/// mode, apply, outcome and the resource kind, never a resource name.
/// </summary>
public sealed class ImportMetrics(FleetGauges fleet)
{
    private static readonly Counter<long> Imports = KuiperMeter.Meter.CreateCounter<long>(
        "kuiper.imports", description: "imports taken by this node, by mode, apply and outcome");

    private static readonly Histogram<double> Duration = KuiperMeter.Meter.CreateHistogram<double>(
        "kuiper.import.duration", "s", "from the request to the reply, by mode and outcome");

    private static readonly Counter<long> Items = KuiperMeter.Meter.CreateCounter<long>(
        "kuiper.import.items", description: "items of imports taken by this node, by kind and result (imported, failed, removed)");

    /// <summary>What an import ended as; the label value.</summary>
    public static class Outcome
    {
        public const string Succeeded = "succeeded";
        public const string Failed = "failed";
        public const string Unavailable = "unavailable";
        public const string TimedOut = "timeout";
    }

    public void Record(ImportMode mode, ImportApply apply, string outcome, TimeSpan elapsed, ImportReport? report)
    {
        var modeLabel = mode == ImportMode.Partial ? "partial" : "full";
        var applyLabel = apply switch
        {
            ImportApply.Never => "dry-run",
            ImportApply.OnlyIfAllSucceed => "atomic",
            _ => "always",
        };
        Imports.Add(1, new("mode", modeLabel), new("apply", applyLabel), new("outcome", outcome));
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("mode", modeLabel), new("outcome", outcome));

        // A dry run stores nothing: its counts would double the real import's.
        if (apply != ImportApply.Never && report?.Counts is { } counts)
        {
            foreach (var (kind, count) in counts)
            {
                var kindLabel = new KeyValuePair<string, object?>("kind", kind.BundleKey());
                if (count.Imported > 0) Items.Add(count.Imported, kindLabel, new("result", "imported"));
                if (count.Failed > 0) Items.Add(count.Failed, kindLabel, new("result", "failed"));
                if (count.Removed > 0) Items.Add(count.Removed, kindLabel, new("result", "removed"));
            }
        }
        if (apply != ImportApply.Never) fleet.RefreshSoon();
    }
}
