using System.Diagnostics;

namespace Kuiper.Bench;

/// <summary>
/// Waits for node processes to go quiet before counted runs. After its first imports a fresh node (and more so each
/// node of a fresh cluster) spends seconds recompiling hot code at tier 1 in the background: measured, 40 to 80% of a
/// core per node for about 3 s on this 2-core machine, which counted runs would otherwise share the cores with.
/// </summary>
public static class Settling
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>Quiet: every node used under this share of one core over a window (idle nodes use 2 to 5%).</summary>
    private const double QuietShare = 0.15;

    /// <summary>Returns how long it took, or <paramref name="within"/> if the nodes never went quiet (the runs go ahead then).</summary>
    public static async Task<TimeSpan> WaitForQuietAsync(IReadOnlyList<NodeUnderTest> nodes, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            var before = nodes.Select(n => n.CpuTime).ToList();
            var window = Stopwatch.StartNew();
            await Task.Delay(Window);
            var busiest = nodes.Select((n, i) => (n.CpuTime - before[i]) / window.Elapsed).Max();
            if (busiest < QuietShare) return watch.Elapsed;
        }
        return within;
    }

    /// <summary>Waits and prints one line: <c>settled_ms=... label</c>.</summary>
    public static async Task SettleAsync(string label, IReadOnlyList<NodeUnderTest> nodes)
    {
        var within = TimeSpan.FromSeconds(30);
        var took = await WaitForQuietAsync(nodes, within);
        Console.WriteLine(took >= within
            ? $"  settled_ms=none {label}: still busy after {within.TotalSeconds:F0} s, measuring anyway"
            : $"  settled_ms={took.TotalMilliseconds:F0} {label} (every node under {QuietShare:P0} of a core over {Window.TotalMilliseconds:F0} ms)");
    }
}
