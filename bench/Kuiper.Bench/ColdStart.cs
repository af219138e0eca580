namespace Kuiper.Bench;

/// <summary>The figures of fresh processes: start to /ping, idle memory, the first import.</summary>
public sealed record ColdFigures(double StartP50, double RssIdleP50, double HwmIdleP50, double FirstImportP50);

/// <summary>
/// K rounds, one after the other, each of two fresh processes, so that neither figure disturbs the other:
/// one answers /ping, then sits idle for 5 s with no traffic, and its VmRSS and VmHWM are read; the other gets,
/// right after its first /ping, the first POST /data/import of the 10,000-resource bundle (prepared before it
/// started). Both give a start-to-/ping time (Process.Start to the first 200).
/// </summary>
public static class ColdStart
{
    public const int ColdImportResources = 10_000;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(120);

    public static async Task<ColdFigures> RunAsync(BenchOptions options)
    {
        var body = ImportBody.Of(BenchBundle.Build(ColdImportResources).Json);
        var startMs = new List<double>();
        var idle = new List<MemoryUse>();
        var firstImportMs = new List<double>();
        for (var round = 1; round <= options.Starts; round++)
        {
            await using (var node = NodeUnderTest.Launch(options.NodeDll, $"idle{round}"))
            {
                var ping = await node.WaitForPingAsync(StartWithin);
                await Task.Delay(Idle);
                var memory = node.Memory();
                startMs.Add(ping.TotalMilliseconds);
                idle.Add(memory);
                Console.WriteLine($"  start {round}a: /ping after {ping.TotalMilliseconds:F0} ms; {Idle.TotalSeconds:F0} s idle: {memory}");
            }
            await using (var node = NodeUnderTest.Launch(options.NodeDll, $"cold{round}"))
            {
                var ping = await node.WaitForPingAsync(StartWithin);
                var import = (await ImportReply.PostAsync(node.Client, "/data/import", body)).EnsureOk("first import");
                startMs.Add(ping.TotalMilliseconds);
                firstImportMs.Add(import.Ms);
                Console.WriteLine($"  start {round}b: /ping after {ping.TotalMilliseconds:F0} ms; first import {import.Ms:F0} ms; then {node.Memory()}");
            }
        }

        var figures = new ColdFigures(Stats.Median(startMs), Stats.Median(idle.Select(m => m.RssMb).ToList()),
            Stats.Median(idle.Select(m => m.HwmMb).ToList()), Stats.Median(firstImportMs));
        Console.WriteLine($"cold_start_ms_p50={figures.StartP50:F0} min={startMs.Min():F0} max={startMs.Max():F0} processes={startMs.Count} (Process.Start to the first 200 from /ping)");
        Console.WriteLine($"rss_idle_mb_p50={figures.RssIdleP50:F0} hwm_mb_p50={figures.HwmIdleP50:F0} min={idle.Min(m => m.RssMb):F0} max={idle.Max(m => m.RssMb):F0} processes={idle.Count} (VmRSS/VmHWM after /ping and {Idle.TotalSeconds:F0} s idle)");
        Console.WriteLine($"first_import_cold_ms_p50={figures.FirstImportP50:F0} min={firstImportMs.Min():F0} max={firstImportMs.Max():F0} import_n={ColdImportResources} processes={firstImportMs.Count} (first POST /data/import right after /ping)");
        return figures;
    }
}
