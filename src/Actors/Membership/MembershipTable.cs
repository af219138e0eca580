using System.Data.Common;
using Kuiper.Actors.Database;

namespace Kuiper.Actors.Membership;

/// <summary>
/// The cluster as the journal's PostgreSQL database knows it: the current cluster's epoch (bumped each time a node
/// forms a new cluster) and each member's last sign of life, written by the members themselves. A node may form a new
/// cluster only when no member of the current one has been seen for <c>aliveFor</c>; the database's clock decides.
/// </summary>
public sealed class MembershipTable(PersistenceSettings database, string dataDir, TimeSpan aliveFor)
{
    private const string Name = "kuiper";
    private const string Now = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint";
    private readonly SucceedOnce _schema = new(() => CreateSchemaAsync(database, dataDir));
    private readonly long _aliveForMs = (long)aliveFor.TotalMilliseconds;

    /// <summary>The addresses of the current cluster's members seen within the alive window, <paramref name="self"/> left out.</summary>
    public async Task<IReadOnlyList<string>> AliveMembersAsync(string self, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await AliveAsync(connection, null, self, cancellationToken);
    }

    /// <summary>
    /// Forms a new cluster if no member of the current one is alive: the epoch is bumped and <paramref name="self"/>
    /// recorded as its first member, in one transaction that holds the cluster row, so two nodes cannot both form.
    /// Null when a member is alive (join it instead).
    /// </summary>
    public async Task<long?> TryFormAsync(string self, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction,
            "INSERT INTO kuiper_cluster (name, epoch, formed_by, formed_at) VALUES (@name, 0, '', 0) ON CONFLICT (name) DO NOTHING",
            cancellationToken);
        var epoch = Convert.ToInt64(await ScalarAsync(connection, transaction,
            "SELECT epoch FROM kuiper_cluster WHERE name = @name FOR UPDATE", cancellationToken));
        if ((await AliveAsync(connection, transaction, self, cancellationToken)).Count > 0) return null;
        var formed = epoch + 1;
        await ExecuteAsync(connection, transaction,
            $"UPDATE kuiper_cluster SET epoch = @epoch, formed_by = @self, formed_at = {Now} WHERE name = @name",
            cancellationToken, ("epoch", formed), ("self", self));
        await BeatAsync(connection, transaction, self, formed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return formed;
    }

    /// <summary>The current cluster's epoch (0: none formed yet).</summary>
    public async Task<long> EpochAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt64(await ScalarAsync(connection, null,
            "SELECT COALESCE((SELECT epoch FROM kuiper_cluster WHERE name = @name), 0)", cancellationToken));
    }

    /// <summary>Records that <paramref name="self"/>, a member of <paramref name="epoch"/>, is alive; answers the current epoch.</summary>
    public async Task<long> BeatAsync(string self, long epoch, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await BeatAsync(connection, null, self, epoch, cancellationToken);
        return Convert.ToInt64(await ScalarAsync(connection, null,
            "SELECT COALESCE((SELECT epoch FROM kuiper_cluster WHERE name = @name), 0)", cancellationToken));
    }

    /// <summary>Removes <paramref name="self"/>'s row: a node that leaves gracefully does not hold a restart back.</summary>
    public async Task ForgetAsync(string self, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "DELETE FROM kuiper_cluster_members WHERE address = @self", cancellationToken, ("self", self));
    }

    private async Task<IReadOnlyList<string>> AliveAsync(DbConnection connection, DbTransaction? transaction, string self,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT m.address FROM kuiper_cluster_members m JOIN kuiper_cluster c ON c.name = @name AND m.epoch = c.epoch " +
            $"WHERE m.address <> @self AND m.seen_at > {Now} - @alive ORDER BY m.address",
            ("self", self), ("alive", _aliveForMs));
        var addresses = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) addresses.Add(reader.GetString(0));
        return addresses;
    }

    private static Task BeatAsync(DbConnection connection, DbTransaction? transaction, string self, long epoch, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            $"INSERT INTO kuiper_cluster_members (address, epoch, seen_at) VALUES (@self, @epoch, {Now}) " +
            "ON CONFLICT (address) DO UPDATE SET epoch = excluded.epoch, seen_at = excluded.seen_at",
            cancellationToken, ("self", self), ("epoch", epoch));

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.RunAsync().WaitAsync(cancellationToken);
        var connection = JournalDatabase.Connect(database, dataDir);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = JournalDatabase.Command(connection, sql, [("name", Name), .. parameters]);
        command.Transaction = transaction;
        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task CreateSchemaAsync(PersistenceSettings database, string dataDir)
    {
        await using var connection = JournalDatabase.Connect(database, dataDir);
        await connection.OpenAsync();
        await JournalDatabase.CreateTableAsync(connection,
            "CREATE TABLE IF NOT EXISTS kuiper_cluster (name VARCHAR(64) NOT NULL PRIMARY KEY, epoch BIGINT NOT NULL, " +
            "formed_by VARCHAR(255) NOT NULL, formed_at BIGINT NOT NULL)", CancellationToken.None);
        await JournalDatabase.CreateTableAsync(connection,
            "CREATE TABLE IF NOT EXISTS kuiper_cluster_members (address VARCHAR(255) NOT NULL PRIMARY KEY, epoch BIGINT NOT NULL, " +
            "seen_at BIGINT NOT NULL)", CancellationToken.None);
    }
}
