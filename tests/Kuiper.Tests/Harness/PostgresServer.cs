using System.Diagnostics;

namespace Kuiper.Tests.Harness;

/// <summary>
/// A private PostgreSQL server (Debian's, through <c>scripts/postgres.sh</c>) that a test may stop and start again:
/// a real database outage, without touching the server the other tests share.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"kuiper-pg-{Guid.NewGuid():N}");

    private PostgresServer()
    {
    }

    /// <summary>The admin connection string (database <c>postgres</c>).</summary>
    public string ConnectionString { get; private set; } = "";

    public string[] NodeArgs => ["--Kuiper:Persistence:Provider=postgres", $"--Kuiper:Persistence:ConnectionString={ConnectionString}"];

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        server.ConnectionString = (await server.ScriptAsync("start")).Trim();
        return server;
    }

    /// <summary>Stops the server, keeping its data: every connection is refused until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => ScriptAsync("pause");

    public Task ResumeAsync() => ScriptAsync("resume");

    private async Task<string> ScriptAsync(string action)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(NodeBuild.RepoRoot, "scripts", "postgres.sh"));
        info.ArgumentList.Add(action);
        info.ArgumentList.Add(_dir);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {action} failed: {await error}");
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await ScriptAsync("stop");
    }
}
