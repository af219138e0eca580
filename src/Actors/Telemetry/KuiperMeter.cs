using System.Diagnostics.Metrics;

namespace Kuiper.Actors.Telemetry;

/// <summary>
/// The node's one <see cref="Meter"/> (BCL instruments; the host chooses the exporter). Only what must be measured
/// inside an actor lives here; the import and fleet instruments are the HTTP edge's (<c>Kuiper.Node.Metrics</c>).
/// </summary>
public static class KuiperMeter
{
    public const string Name = "Kuiper";

    public static readonly Meter Meter = new(Name);

    /// <summary>From a partition's <c>Persist</c> call to its callback: one journal write of one batch event.</summary>
    public static readonly Histogram<double> JournalWrite = Meter.CreateHistogram<double>(
        "kuiper.journal.write.duration", "s", "time to write one batch event to the journal");
}
