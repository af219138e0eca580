using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Kuiper.Bench;
using Microsoft.Data.Sqlite;

// Usage: dotnet run -c Release --project bench/Kuiper.Bench -- [--n 10000] [--runs 7] [--vary] [--node path/Kuiper.Node.dll]
// Imports a generated bundle over HTTP into a fresh node several times, exports it, and writes the same
// payload into a bare SQLite file in one transaction (the floor). The last line is the result.
// By default every run re-imports the same bundle (a gateway re-synced from the same backup); with --vary every
// run changes every definition, so nothing stored can be kept as it is. Before each import the same bundle is
// dry-run (?dryRun=1: every check, nothing changed), so both see the same stored state. --node measures another build.
var n = Arg("--n", 10_000);
var runs = Arg("--runs", 7);
var vary = args.Contains("--vary");

var nodeDll = NodeArg() ?? FindNodeDll();
var (bundleJson, items) = BenchBundle.Build(n);
var body = JsonSerializer.Serialize(new { content = bundleJson });
Console.WriteLine($"bundle: {items.Count} resources, {Encoding.UTF8.GetByteCount(bundleJson) / 1024} KiB, node: {nodeDll}");

await using var node = await NodeUnderTest.StartAsync(nodeDll);

var importMs = new List<double>();
var dryRunMs = new List<double>();
var exportMs = new List<double>();
for (var run = 0; run <= runs; run++)
{
    var runBody = vary ? JsonSerializer.Serialize(new { content = BenchBundle.Build(n, run).Json }) : body;
    var watch = Stopwatch.StartNew();
    using (var response = await node.Client.PostAsync("/data/import?dryRun=1", new StringContent(runBody, Encoding.UTF8, "application/json")))
    {
        // A build without dry runs imports instead: the figure is then meaningless and said so below.
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"dry run failed: {(int)response.StatusCode} {text[..Math.Min(500, text.Length)]}");
    }
    var dryRun = watch.Elapsed.TotalMilliseconds;

    watch.Restart();
    using (var response = await node.Client.PostAsync("/data/import", new StringContent(runBody, Encoding.UTF8, "application/json")))
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import failed: {(int)response.StatusCode} {text[..Math.Min(500, text.Length)]}");
    }
    var imported = watch.Elapsed.TotalMilliseconds;

    watch.Restart();
    var exported = await node.Client.GetByteArrayAsync("/data/export");
    var exportedIn = watch.Elapsed.TotalMilliseconds;

    Console.WriteLine($"run {run}: dry run {dryRun:F0} ms, import {imported:F0} ms, export {exportedIn:F0} ms ({exported.Length / 1024} KiB){(run == 0 ? " (warm-up, not counted)" : "")}");
    if (run == 0) continue;
    importMs.Add(imported);
    dryRunMs.Add(dryRun);
    exportMs.Add(exportedIn);
}

var floorMs = SqliteFloor(items);
var importP50 = Median(importMs);
Console.WriteLine(
    $"{(vary ? "varying bundle: " : "")}import_n={items.Count} import_ms_p50={importP50:F0} export_ms_p50={Median(exportMs):F0} floor_ms={floorMs:F0} ratio={importP50 / floorMs:F1} dryrun_ms_p50={Median(dryRunMs):F0}");
return 0;

string? NodeArg()
{
    var i = Array.IndexOf(args, "--node");
    return i >= 0 && i + 1 < args.Length ? Path.GetFullPath(args[i + 1]) : null;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

// The floor: the same rows in one transaction on a bare SQLite file in WAL mode, best of three.
static double SqliteFloor(IReadOnlyList<(string Kind, string Name, string Definition)> items)
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

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static string FindNodeDll()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var dll = Path.Combine(dir.FullName, "src", "Node", "bin", "Release", "net10.0", "Kuiper.Node.dll");
        if (File.Exists(Path.Combine(dir.FullName, "Kuiper.Actors.sln")))
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build the node first: dotnet build -c Release", dll);
    }
    throw new DirectoryNotFoundException("Kuiper.Actors.sln not found");
}
