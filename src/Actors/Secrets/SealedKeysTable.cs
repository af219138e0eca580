using System.Data.Common;
using Kuiper.Actors.Database;
using Kuiper.Domain.Secrets;

namespace Kuiper.Actors.Secrets;

/// <summary>
/// The ids of the keys that stored secrets may be sealed with, kept beside the journal: a node registers its newest
/// key before it writes, and a rotation retires the others once nothing is sealed with them. A node lacking one of
/// them must not start (it could not read those secrets, and would write plaintext beside them).
/// </summary>
public sealed class SealedKeysTable(PersistenceSettings database, string dataDir)
{
    private const string Create =
        "CREATE TABLE IF NOT EXISTS kuiper_secret_keys (key_id VARCHAR(16) NOT NULL PRIMARY KEY, registered_at VARCHAR(40) NOT NULL)";

    /// <summary>
    /// The start-up check: null when this node may start (its newest key registered), else why not, naming the key
    /// ids it lacks. Without a ring, any registered key stops it.
    /// </summary>
    /// <param name="sealingKey">the key this node seals with, registered; null when it stores secrets as given</param>
    public async Task<string?> CheckAndRegisterAsync(SecretKeyRing? ring, string? sealingKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var missing = (await IdsAsync(connection, cancellationToken)).Where(id => ring?.Find(id) is null).ToList();
        if (missing.Count > 0)
            return ring is null
                ? $"stored secrets are sealed with key {string.Join(", ", missing)}, and Kuiper:Security:SecretsKeyFile names no key: "
                  + "configure the key file(s) the cluster uses; this node will not start and write plaintext beside them"
                : $"stored secrets are sealed with key {string.Join(", ", missing)}, which Kuiper:Security:SecretsKeyFile does not hold "
                  + $"(it holds {string.Join(", ", ring.Ids)}): add that key file; this node will not start without it";
        if (sealingKey is not null)
            await JournalDatabase.ExecuteAsync(connection,
                JournalDatabase.IsPostgres(database)
                    ? "INSERT INTO kuiper_secret_keys (key_id, registered_at) VALUES (@id, @at) ON CONFLICT (key_id) DO NOTHING"
                    : "INSERT OR IGNORE INTO kuiper_secret_keys (key_id, registered_at) VALUES (@id, @at)",
                cancellationToken, ("id", sealingKey), ("at", DateTimeOffset.UtcNow.ToString("O")));
        return null;
    }

    /// <summary>
    /// Forgets every key but <paramref name="keep"/> (null: every key), as nothing stored is sealed with them any more;
    /// the ids retired.
    /// </summary>
    public async Task<IReadOnlyList<string>> RetireAllButAsync(string? keep, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var retired = (await IdsAsync(connection, cancellationToken)).Where(id => id != keep).ToList();
        await JournalDatabase.ExecuteAsync(connection, "DELETE FROM kuiper_secret_keys WHERE key_id <> @keep", cancellationToken, ("keep", keep ?? ""));
        return retired;
    }

    private static async Task<IReadOnlyList<string>> IdsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = JournalDatabase.Command(connection, "SELECT key_id FROM kuiper_secret_keys ORDER BY key_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = JournalDatabase.Connect(database, dataDir);
        await connection.OpenAsync(cancellationToken);
        await JournalDatabase.CreateTableAsync(connection, Create, cancellationToken);
        return connection;
    }
}
