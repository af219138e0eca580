using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuiper.Actors.Hosting;

public static class PersistenceHostingExtensions
{
    /// <summary>Journal and snapshot store on SQLite (one node) or PostgreSQL (a cluster), tables created on start.</summary>
    public static AkkaConfigurationBuilder WithKuiperPersistence(
        this AkkaConfigurationBuilder builder, PersistenceSettings settings, string dataDir)
    {
        var connectionString = EffectiveConnectionString(settings, dataDir);
        var provider = settings.Provider.ToLowerInvariant() switch
        {
            PersistenceSettings.Sqlite => ProviderName.SQLiteMS,
            PersistenceSettings.Postgres => ProviderName.PostgreSQL15,
            var other => throw new InvalidOperationException(
                $"Kuiper:Persistence:Provider must be '{PersistenceSettings.Sqlite}' or '{PersistenceSettings.Postgres}', not '{other}'"),
        };
        if (provider == ProviderName.SQLiteMS) PrepareSqlite(connectionString);
        var callTimeout = $"{(long)settings.CallTimeout.TotalMilliseconds}ms";
        return builder
            // A journal call that takes longer counts as failed; the breaker then fails the next ones at once.
            .AddHocon($$"""
                akka.persistence.journal.sql.circuit-breaker.call-timeout = {{callTimeout}}
                akka.persistence.snapshot-store.sql.circuit-breaker.call-timeout = {{callTimeout}}
                """, HoconAddMode.Prepend)
            .WithSqlPersistence(connectionString, provider, autoInitialize: true,
                journalBuilder: journal => journal.WithHealthCheck(HealthStatus.Unhealthy, "akka-persistence-journal", [HealthTags.Ready]))
            // The plugin's own check does not notice a database that went away: ask the database itself.
            .WithHealthCheck("journal-database", (_, _, cancellationToken) => ProbeAsync(settings, dataDir, cancellationToken),
                HealthStatus.Unhealthy, [HealthTags.Ready], settings.CallTimeout);
    }

    /// <summary>Opens the journal's database the way the journal does.</summary>
    public static DbConnection Connect(PersistenceSettings settings, string dataDir)
    {
        var connectionString = EffectiveConnectionString(settings, dataDir);
        return settings.Provider.Equals(PersistenceSettings.Postgres, StringComparison.OrdinalIgnoreCase)
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(connectionString);
    }

    /// <summary>
    /// <c>CREATE TABLE IF NOT EXISTS</c> beside the journal. On PostgreSQL two nodes creating the same table at once can
    /// still collide (unique violation on the catalog, "relation" or "type already exists"): then the other one made it.
    /// </summary>
    public static async Task CreateTableAsync(DbConnection connection, string createIfNotExists, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = createIfNotExists;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException e) when (e.SqlState is "23505" or "42P07" or "42710")
        {
        }
    }

    private static async Task<HealthCheckResult> ProbeAsync(PersistenceSettings settings, string dataDir, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Connect(settings, dataDir);
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

    public static string EffectiveConnectionString(PersistenceSettings settings, string dataDir) =>
        settings.ConnectionString.Length > 0
            ? settings.ConnectionString
            : settings.Provider.Equals(PersistenceSettings.Sqlite, StringComparison.OrdinalIgnoreCase)
                ? $"Data Source={Path.Combine(Path.GetFullPath(dataDir), "kuiper.db")}"
                : throw new InvalidOperationException("Kuiper:Persistence:ConnectionString is required for postgres");

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
