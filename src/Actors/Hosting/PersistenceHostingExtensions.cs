using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using Kuiper.Actors.Database;
using Kuiper.Actors.Fencing;
using LinqToDB;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuiper.Actors.Hosting;

public static class PersistenceHostingExtensions
{
    /// <summary>Journal and snapshot store on SQLite (one node) or PostgreSQL (a cluster), tables created on start.</summary>
    public static AkkaConfigurationBuilder WithKuiperPersistence(
        this AkkaConfigurationBuilder builder, PersistenceSettings settings, string dataDir)
    {
        var connectionString = JournalDatabase.EffectiveConnectionString(settings, dataDir);
        var provider = settings.Provider.ToLowerInvariant() switch
        {
            PersistenceSettings.Sqlite => ProviderName.SQLiteMS,
            PersistenceSettings.Postgres => ProviderName.PostgreSQL15,
            var other => throw new InvalidOperationException(
                $"Kuiper:Persistence:Provider must be '{PersistenceSettings.Sqlite}' or '{PersistenceSettings.Postgres}', not '{other}'"),
        };
        if (provider == ProviderName.SQLiteMS) PrepareSqlite(connectionString);
        // This actor system's journal writer: every write it makes carries the id, and the fence admits only the holder.
        var writer = Guid.NewGuid().ToString("N");
        if (provider != ProviderName.SQLiteMS) connectionString = WithWriter(connectionString, writer);
        var callTimeout = $"{(long)settings.CallTimeout.TotalMilliseconds}ms";
        return builder
            // A journal call that takes longer counts as failed; the breaker then fails the next ones at once.
            .AddHocon($$"""
                akka.persistence.journal.sql.circuit-breaker.call-timeout = {{callTimeout}}
                akka.persistence.snapshot-store.sql.circuit-breaker.call-timeout = {{callTimeout}}
                akka.persistence.max-concurrent-recoveries = {{MaxConcurrentRecoveries(provider)}}
                # Two writers on one persistence id are an error that stops the actor, never events silently dropped
                # (Akka's default discards the "old" writer's events, acknowledged ones included).
                akka.persistence.journal.sql.replay-filter.mode = fail
                """, HoconAddMode.Prepend)
            .AddHocon(JournalFence.Hocon(new PersistenceSettings { Provider = settings.Provider, ConnectionString = connectionString },
                Path.GetFullPath(dataDir), writer), HoconAddMode.Prepend)
            .WithSqlPersistence(connectionString, provider, autoInitialize: true,
                journalBuilder: journal => journal.WithHealthCheck(HealthStatus.Unhealthy, "akka-persistence-journal", [HealthTags.Ready]))
            // The plugin's own check does not notice a database that went away: ask the database itself.
            .WithHealthCheck("journal-database", (_, _, cancellationToken) => ProbeAsync(settings, dataDir, cancellationToken),
                HealthStatus.Unhealthy, [HealthTags.Ready], settings.CallTimeout);
    }

    /// <summary>
    /// On SQLite every partition recovers at once (Akka's default lets 50 at a time): a recovery mostly waits on
    /// its queries, so in turns of 50 the 192 partitions took 2.5 s after a start, and a first import waited for them
    /// (measured by bench/: first import 1.4 s, then 0.57 s; the node's CPU for the whole warm-up fell from 1.1 s to
    /// 0.3 s). PostgreSQL keeps the default: each recovery may hold a connection, and a server's default limit is 100.
    /// </summary>
    private static int MaxConcurrentRecoveries(string provider) => provider == ProviderName.SQLiteMS ? 256 : 50;

    private static async Task<HealthCheckResult> ProbeAsync(PersistenceSettings settings, string dataDir, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = JournalDatabase.Connect(settings, dataDir);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is DbException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"the journal's database does not answer: {e.Message}");
        }
    }

    /// <summary>
    /// The connection string with the writer id as a session setting of every connection it opens (set once, when a
    /// pooled connection is made), which the journal's fence trigger reads.
    /// </summary>
    private static string WithWriter(string connectionString, string writer)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c {JournalFence.SessionSetting}={writer}".Trim();
        return builder.ConnectionString;
    }

    /// <summary>
    /// WAL lets readers and the writer proceed together, and it is a property of the file, so it is set once
    /// here; the busy timeout makes a second connection wait for a lock instead of failing.
    /// </summary>
    private static void PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder) Directory.CreateDirectory(folder);
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;";
        command.ExecuteNonQuery();
    }
}
