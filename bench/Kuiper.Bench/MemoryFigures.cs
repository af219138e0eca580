namespace Kuiper.Bench;

public sealed record BigMemoryFigures(double RssAfterExportMb, double RssIdleMb, double HwmMb);

/// <summary>
/// The memory a node keeps for a big configuration: a fresh process imports the 100,000-resource bundle and
/// exports it; VmRSS right after the export's reply, again after 5 s idle, and VmHWM (the peak of the whole run).
/// </summary>
public static class MemoryFigures
{
    public const int Resources = 100_000;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    public static async Task<BigMemoryFigures> RunAsync(BenchOptions options)
    {
        var body = ImportBody.Of(BenchBundle.Build(Resources).Json);
        await using var node = await NodeUnderTest.StartAsync(options.NodeDll, "100k");
        var import = (await ImportReply.PostAsync(node.Client, "/data/import", body)).EnsureOk("100k import");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var exported = await node.Client.GetByteArrayAsync("/data/export");
        var exportMs = watch.Elapsed.TotalMilliseconds;
        var afterExport = node.Memory();
        await Task.Delay(Idle);
        var afterIdle = node.Memory();

        var figures = new BigMemoryFigures(afterExport.RssMb, afterIdle.RssMb, afterIdle.HwmMb);
        Console.WriteLine($"rss_after_100k_mb={figures.RssAfterExportMb:F0} rss_after_100k_idle_mb={figures.RssIdleMb:F0} hwm_mb={figures.HwmMb:F0} " +
                          $"import_ms={import.Ms:F0} export_ms={exportMs:F0} export_kib={exported.Length / 1024} (first import of {Resources} in a fresh node, then GET /data/export; idle = {Idle.TotalSeconds:F0} s later)");
        return figures;
    }
}
