using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kuiper.Actors.Database;

/// <summary>
/// The database the journal lives in, for the tables we keep beside it (artefact blobs and installs, provisioning
/// claims): one way to open it, create a table, and run a statement with parameters, on SQLite and PostgreSQL.
/// </summary>
public static class JournalDatabase
{
    /// <summary>Opens the journal's database the way the journal does.</summary>
    public static DbConnection Connect(PersistenceSettings settings, string dataDir)
    {
        var connectionString = EffectiveConnectionString(settings, dataDir);
        return IsPostgres(settings) ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
    }

    /// <summary>The configured connection string, or SQLite's file in <paramref name="dataDir"/>.</summary>
    public static string EffectiveConnectionString(PersistenceSettings settings, string dataDir) =>
        settings.ConnectionString.Length > 0
            ? settings.ConnectionString
            : settings.Provider.Equals(PersistenceSettings.Sqlite, StringComparison.OrdinalIgnoreCase)
                ? $"Data Source={Path.Combine(Path.GetFullPath(dataDir), "kuiper.db")}"
                : throw new InvalidOperationException("Kuiper:Persistence:ConnectionString is required for postgres");

    public static bool IsPostgres(PersistenceSettings settings) =>
        settings.Provider.Equals(PersistenceSettings.Postgres, StringComparison.OrdinalIgnoreCase);

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

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>Runs a statement; the number of rows it changed.</summary>
    public static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
