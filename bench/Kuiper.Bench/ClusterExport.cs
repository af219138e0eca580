using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Kuiper.Bench;

/// <summary>GET /data/export through one node: the median and the 90th percentile of the counted runs.</summary>
public sealed record ExportFigures(string Via, double P50, double P90);

/// <summary>
/// GET /data/export of what the cluster holds (the bench's bundle, after the cluster imports) through the node hosting
/// the import coordinator and through another node: --warmup uncounted exports from each, then every node settles
/// (<see cref="Settling"/>), then --runs counted exports from each. The two nodes take turns, and which goes first
/// alternates run by run, so that whatever else the shared machine does falls on both alike. Every body, warm-ups
/// included, must be byte-identical to the first one, which must hold the bundle's resources: the bench fails otherwise.
/// </summary>
public static class ClusterExport
{
    private static readonly string[] Sections = ["streams", "tables", "rules", "sourceConfig", "sinkConfig"];

    public static async Task<(ExportFigures Coordinator, ExportFigures Other)> RunAsync(
        NodeUnderTest coordinatorNode, NodeUnderTest other, IReadOnlyList<NodeUnderTest> nodes, int resources, int warmUps, int runs)
    {
        var reference = await ExportAsync(coordinatorNode);
        var counted = CountResources(reference.Body);
        if (counted != resources)
            throw new InvalidOperationException(
                $"the export through {coordinatorNode.Name} holds {counted} resources in {string.Join(", ", Sections)}, not the {resources} imported");
        Console.WriteLine($"  export: {reference.Body.Length / 1024} KiB, {counted} resources, via {coordinatorNode.Name} (coordinator) and {other.Name}");

        var pair = new[] { coordinatorNode, other };
        var ms = pair.ToDictionary(n => n, _ => new List<double>());
        var cpuMs = pair.ToDictionary(n => n, _ => new double[nodes.Count]);
        for (var run = 1 - warmUps; run <= runs; run++)
        {
            if (run == 1) await Settling.SettleAsync("cluster export", nodes);
            // Runs up to 0 are the warm-up. The coordinator's node goes first in odd runs, the other in even ones.
            foreach (var node in run % 2 != 0 ? pair : pair.Reverse())
            {
                var cpuBefore = nodes.Select(n => n.CpuTime).ToList();
                var export = await ExportAsync(node);
                var cpuAfter = nodes.Select(n => n.CpuTime).ToList();
                EnsureSame(reference, export);
                Console.WriteLine($"  export {(run <= 0 ? $"warm-up {run + warmUps}" : $"run {run}")} via {node.Name}: {export.Ms:F0} ms{(run <= 0 ? " (not counted)" : "")}");
                if (run <= 0) continue;
                ms[node].Add(export.Ms);
                for (var i = 0; i < nodes.Count; i++) cpuMs[node][i] += (cpuAfter[i] - cpuBefore[i]).TotalMilliseconds;
            }
        }
        // The CPU each process spent per counted export, by the node asked: where the export is read, encoded and carried.
        foreach (var node in pair)
            Console.WriteLine($"  export via {node.Name} cpu_ms_per_export " +
                              string.Join(" ", nodes.Select((n, i) => $"{n.Name}={cpuMs[node][i] / runs:F0}")));
        Console.WriteLine($"  export bodies identical: every export via {coordinatorNode.Name} and {other.Name}, {reference.Body.Length} bytes each");

        return (Figures(coordinatorNode), Figures(other));

        ExportFigures Figures(NodeUnderTest node) => new(node.Name, Stats.Median(ms[node]), Stats.Percentile(ms[node], 90));
    }

    private sealed record Export(string Node, byte[] Body, double Ms);

    /// <summary>One GET /data/export, timed from the request to the last byte of the body.</summary>
    private static async Task<Export> ExportAsync(NodeUnderTest node)
    {
        var watch = Stopwatch.StartNew();
        using var response = await node.Client.GetAsync("/data/export");
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"export via {node.Name} failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500))}");
        return new Export(node.Name, body, ms);
    }

    /// <summary>Throws, naming the first byte that differs and keeping both bodies in files, unless they are the same bytes.</summary>
    private static void EnsureSame(Export reference, Export export)
    {
        if (reference.Body.AsSpan().SequenceEqual(export.Body)) return;
        var at = reference.Body.AsSpan().CommonPrefixLength(export.Body);
        var files = new[] { reference, export }.Select((e, i) =>
        {
            var file = Path.Combine(Path.GetTempPath(), $"kuiper-bench-export-{i}-{e.Node}.json");
            File.WriteAllBytes(file, e.Body);
            return file;
        }).ToList();
        throw new InvalidOperationException(
            $"EXPORT BODIES DIFFER: via {export.Node} {export.Body.Length} bytes, via {reference.Node} (first export) {reference.Body.Length} bytes; " +
            $"first difference at byte {at}: {Around(export.Body, at)} vs {Around(reference.Body, at)}; both kept: {string.Join(", ", files)}");

        static string Around(byte[] body, int at) =>
            JsonSerializer.Serialize(Encoding.UTF8.GetString(body, Math.Max(0, at - 40), Math.Min(body.Length, at + 40) - Math.Max(0, at - 40)));
    }

    /// <summary>The entries of the bundle's sections in an export: one per stream, table, rule and config plugin.</summary>
    private static int CountResources(byte[] body)
    {
        using var export = JsonDocument.Parse(body);
        return Sections.Sum(section => export.RootElement.TryGetProperty(section, out var entries) && entries.ValueKind == JsonValueKind.Object
            ? entries.EnumerateObject().Count()
            : 0);
    }
}
