using Kuiper.Actors.Metrics;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Metrics;

/// <summary>
/// Imports as the node that took the request saw them (every synchronous road ends in <c>ImportGateway</c>, which
/// calls <see cref="Record"/>); async import tasks are recorded where they end (<c>ImportTasks</c>). After a change,
/// the fleet gauges are read again soon.
/// </summary>
public sealed class ImportMetrics(FleetGauges fleet)
{
    public void Record(ImportMode mode, ImportApply apply, string outcome, TimeSpan elapsed, ImportReport? report)
    {
        KuiperMeter.RecordImport(mode, apply, outcome, elapsed, report);
        if (apply != ImportApply.Never) fleet.RefreshSoon();
    }
}
