using System.Diagnostics;
using Npgsql;

namespace Kuiper.Bench;

/// <summary>
/// The PostgreSQL server of the cluster figures: the one $KUIPER_TEST_POSTGRES names (its admin connection string),
/// else a private one from scripts/postgres.sh, stopped by <see cref="Cleanup"/>. Databases made here are dropped there too.
/// </summary>
public sealed class PostgresServer
{
    private const string Variable = "KUIPER_TEST_POSTGRES";
    private readonly string _admin;

    private PostgresServer(string admin) => _admin = admin;

    public static async Task<PostgresServer> FindOrStartAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } admin)
        {
            Console.WriteLine($"postgres: ${Variable}");
            return new PostgresServer(admin);
        }
        var script = Path.Combine(BenchOptions.RepoRoot(), "scripts", "postgres.sh");
        var dir = Path.Combine(Path.GetTempPath(), $"kuiper-bench-pg-{Guid.NewGuid():N}");
        Cleanup.Register($"PostgreSQL in {dir}", () => Bash(script, "stop", dir).WaitForExit(30_000));
        using var start = Bash(script, "start", dir);
        var output = await start.StandardOutput.ReadToEndAsync();
        await start.WaitForExitAsync();
        if (start.ExitCode != 0)
            throw new InvalidOperationException($"scripts/postgres.sh start failed ({start.ExitCode}): {await start.StandardError.ReadToEndAsync()}");
        Console.WriteLine($"postgres: a private server in {dir}");
        return new PostgresServer(output.Trim().Split('\n')[^1]);
    }

    /// <summary>A fresh database; returns the node arguments that put a node's journal on it.</summary>
    public async Task<string[]> CreateDatabaseAsync(string purpose)
    {
        var name = $"kuiper_bench_{purpose}_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE {name}");
        Cleanup.Register($"database {name}", () =>
        {
            NpgsqlConnection.ClearAllPools();
            ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)").GetAwaiter().GetResult();
        });
        var connection = new NpgsqlConnectionStringBuilder(_admin) { Database = name }.ConnectionString;
        return ["--Kuiper:Persistence:Provider=postgres", $"--Kuiper:Persistence:ConnectionString={connection}"];
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Process Bash(string script, string action, string dir)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, action, dir }) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
    }
}
