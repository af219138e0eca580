using Npgsql;

namespace Kuiper.Tests.Harness;

/// <summary>
/// A fresh database on the PostgreSQL server that <c>scripts/test.sh</c> starts (KUIPER_TEST_POSTGRES holds its
/// admin connection string). Dropped when disposed.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private const string Variable = "KUIPER_TEST_POSTGRES";
    private readonly string _admin;

    private PostgresDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>The node arguments that put its journal on this database.</summary>
    public string[] NodeArgs => ["--Kuiper:Persistence:Provider=postgres", $"--Kuiper:Persistence:ConnectionString={ConnectionString}"];

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable)
                    ?? throw new InvalidOperationException($"{Variable} is not set: run the tests with scripts/test.sh, which starts PostgreSQL");
        var database = new PostgresDatabase(admin, $"kuiper_{Guid.NewGuid():N}");
        await database.ExecuteAsync(admin, $"CREATE DATABASE {database.Name}");
        return database;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
