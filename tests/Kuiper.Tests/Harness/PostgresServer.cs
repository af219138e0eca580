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

    /// <param name="alsoListenOn">
    /// an IPv4 address/prefix (e.g. <c>10.199.7.1/24</c>): the server also listens on that address, which must exist,
    /// and trusts clients of that subnet; the connection string still names 127.0.0.1
    /// </param>
    public static async Task<PostgresServer> StartAsync(string? alsoListenOn = null)
    {
        var server = new PostgresServer();
        server.ConnectionString = (await server.ScriptAsync("start", alsoListenOn)).Trim();
        return server;
    }

    /// <summary>The admin connection string with another host, e.g. the address a network namespace reaches the server at.</summary>
    public string ConnectionStringFor(string host) =>
        new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Host = host }.ConnectionString;

    /// <summary>Stops the server, keeping its data: every connection is refused until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => ScriptAsync("pause");

    public Task ResumeAsync() => ScriptAsync("resume");

    private async Task<string> ScriptAsync(string action, string? argument = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(NodeBuild.RepoRoot, "scripts", "postgres.sh"));
        info.ArgumentList.Add(action);
        info.ArgumentList.Add(_dir);
        if (argument is not null) info.ArgumentList.Add(argument);
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
