namespace Kuiper.Bench;

/// <summary>Each figure against issue 15's target, "ok" or "over"; "-" for a figure this run did not measure. Informational.</summary>
public static class Summary
{
    public static void Print(ColdFigures? cold, WarmFigures? warm, BigMemoryFigures? big, ClusterFigures? cluster)
    {
        Console.WriteLine("--- summary (issue 15 targets) ---");
        Line("rss idle", cold?.RssIdleP50, "MB", 100);
        // Judged once settled (5 s after the export's reply): what the gateway keeps. The reading at the reply is shown too.
        Line("rss after 100k, settled", big?.RssIdleMb, "MB", 300);
        Line("rss at the 100k reply", big?.RssAfterExportMb, "MB", 300);
        Line("start -> /ping", cold?.StartP50, "ms", 1000);
        Line("first cold 10k import", cold?.FirstImportP50, "ms", 800);
        Line("warm ratio", warm?.Ratio, "", 3.0, "F1");
        Line("export p50", warm?.ExportP50, "ms", 40);
        Line("cluster ratio", cluster?.Ratio, "", 1.3, "F2");
        // Issue 24: no target, the figures to compare before and after a change of where exports are assembled.
        Untargeted("export via coordinator", cluster?.ExportCoordinator);
        Untargeted("export via non-coordinator", cluster?.ExportOther);
        Console.WriteLine(Row("export ratio non/coord", cluster is null ? "-" : cluster.ExportRatio.ToString("F2"), "none", "-") +
                          (cluster is null ? "" : $"   (p90 {cluster.ExportOther.P90 / cluster.ExportCoordinator.P90:F2})"));
        Console.WriteLine(cluster is null || cluster.BigSkipped
            ? Row("500k via non-coordinator", "-", "accepted", "-")
            : Row($"{cluster.BigN / 1000}k via non-coordinator", cluster.BigStatus?.ToString() ?? "no reply", "accepted", cluster.BigAccepted ? "ok" : "over"));
    }

    private static void Line(string what, double? value, string unit, double target, string format = "F0")
    {
        // Judged as shown: a ratio printed 3.0 is within 3.0.
        var rounded = value is { } v ? Math.Round(v, format == "F0" ? 0 : int.Parse(format[1..])) : (double?)null;
        var shown = rounded is { } r ? $"{r.ToString(format)} {unit}".TrimEnd() : "-";
        var verdict = rounded is { } x ? (x <= target ? "ok" : "over") : "-";
        Console.WriteLine(Row(what, shown, $"<= {target.ToString(format == "F0" ? "F0" : "F1")} {unit}".TrimEnd(), verdict));
    }

    /// <summary>A p50 without a target, its p90 beside it.</summary>
    private static void Untargeted(string what, ExportFigures? figures) =>
        Console.WriteLine(Row(what, figures is null ? "-" : $"{figures.P50:F0} ms", "none", "-") + (figures is null ? "" : $"   (p90 {figures.P90:F0} ms, via {figures.Via})"));

    private static string Row(string what, string shown, string target, string verdict) =>
        $"{what,-26} {shown,10}   target {target,-10} {verdict}";
}
