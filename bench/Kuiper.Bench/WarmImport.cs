using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Kuiper.Bench;

/// <summary>The figures of a warm node: import, export, dry run.</summary>
public sealed record WarmFigures(int Resources, double ImportP50, double ExportP50, double FloorMs, double DryRunP50)
{
    public double Ratio => ImportP50 / FloorMs;
}

/// <summary>
/// Imports a generated bundle over HTTP into one fresh node several times (--warmup of them first), exports it, and writes
/// the same rows into a bare SQLite file in one transaction (the floor). By default every run re-imports the same
/// bundle (a gateway re-synced from the same backup); with --vary every run changes every definition, so nothing
/// stored can be kept as it is. Before each import the same bundle is dry-run (?dryRun=1: every check, nothing
/// changed), so both see the same stored state. After the warm-up runs the node is left to settle (<see cref="Settling"/>).
/// </summary>
public static class WarmImport
{
    public static async Task<WarmFigures> RunAsync(BenchOptions options)
    {
        var (bundleJson, items) = BenchBundle.Build(options.N);
        var body = ImportBody.Of(bundleJson);
        Console.WriteLine($"warm: bundle of {items.Count} resources, {Encoding.UTF8.GetByteCount(bundleJson) / 1024} KiB");

        await using var node = await NodeUnderTest.StartAsync(options.NodeDll, "warm");
        var importMs = new List<double>();
        var dryRunMs = new List<double>();
        var exportMs = new List<double>();
        // Runs up to 0 are the warm-up (--warmup of them), not counted.
        for (var run = 1 - options.WarmUps; run <= options.Runs; run++)
        {
            var runBody = options.Vary ? ImportBody.Of(BenchBundle.Build(options.N, run + options.WarmUps).Json) : body;
            // A build without dry runs would import here instead, and the figure would mean nothing.
            var dryRun = (await ImportReply.PostAsync(node.Client, "/data/import?dryRun=1", runBody)).EnsureOk("dry run");
            var imported = (await ImportReply.PostAsync(node.Client, "/data/import", runBody)).EnsureOk("import");

            var watch = Stopwatch.StartNew();
            var exported = await node.Client.GetByteArrayAsync("/data/export");
            var exportedIn = watch.Elapsed.TotalMilliseconds;

            Console.WriteLine($"  run {run}: dry run {dryRun.Ms:F0} ms, import {imported.Ms:F0} ms, export {exportedIn:F0} ms ({exported.Length / 1024} KiB){(run <= 0 ? " (warm-up, not counted)" : "")}");
            if (run < 0) continue;
            if (run == 0)
            {
                await Settling.SettleAsync("warm node", [node]);
                continue;
            }
            importMs.Add(imported.Ms);
            dryRunMs.Add(dryRun.Ms);
            exportMs.Add(exportedIn);
        }

        var figures = new WarmFigures(items.Count, Stats.Median(importMs), Stats.Median(exportMs), SqliteFloor(items), Stats.Median(dryRunMs));
        Console.WriteLine(
            $"{(options.Vary ? "varying bundle: " : "")}import_n={figures.Resources} import_ms_p50={figures.ImportP50:F0} export_ms_p50={figures.ExportP50:F0} floor_ms={figures.FloorMs:F0} ratio={figures.Ratio:F1} dryrun_ms_p50={figures.DryRunP50:F0}");
        return figures;
    }

    // The floor: the same rows in one transaction on a bare SQLite file in WAL mode, best of three.
    private static double SqliteFloor(IReadOnlyList<(string Kind, string Name, string Definition)> items)
    {
        var best = double.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var file = Path.Combine(Path.GetTempPath(), $"kuiper-floor-{Guid.NewGuid():N}.db");
            try
            {
                using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
                connection.Open();
                Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE resources (kind TEXT, name TEXT, definition BLOB, PRIMARY KEY (kind, name));");
                var watch = Stopwatch.StartNew();
                using (var transaction = connection.BeginTransaction())
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO resources VALUES ($kind, $name, $definition)";
                    var kind = insert.Parameters.Add("$kind", SqliteType.Text);
                    var name = insert.Parameters.Add("$name", SqliteType.Text);
                    var definition = insert.Parameters.Add("$definition", SqliteType.Blob);
                    foreach (var item in items)
                    {
                        kind.Value = item.Kind;
                        name.Value = item.Name;
                        definition.Value = Encoding.UTF8.GetBytes(item.Definition);
                        insert.ExecuteNonQuery();
                    }
                    transaction.Commit();
                }
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            }
        }
        return best;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
