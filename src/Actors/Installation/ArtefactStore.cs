using System.Data.Common;
using Kuiper.Actors.Database;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kuiper.Actors.Installation;

/// <summary>
/// The artefact tables beside the journal: fetched bytes, content-addressed (fetched once, read by every node),
/// and which node has installed what.
/// </summary>
public sealed class ArtefactStore
{
    private readonly PersistenceSettings _settings;
    private readonly string _dataDir;
    private readonly bool _postgres;
    private readonly SemaphoreSlim _created = new(1, 1);
    private bool _ready;

    public ArtefactStore(PersistenceSettings settings, string dataDir)
    {
        (_settings, _dataDir) = (settings, dataDir);
        _postgres = settings.Provider.Equals(PersistenceSettings.Postgres, StringComparison.OrdinalIgnoreCase);
    }

    public async Task PutBlobAsync(string sha256, byte[] content, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await JournalDatabase.ExecuteAsync(connection, "INSERT INTO kuiper_artefact_blobs (sha256, content) VALUES (@sha, @content) ON CONFLICT (sha256) DO NOTHING",
            cancellationToken, ("sha", sha256), ("content", content));
    }

    public async Task<byte[]?> GetBlobAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = JournalDatabase.Command(connection, "SELECT content FROM kuiper_artefact_blobs WHERE sha256 = @sha", ("sha", sha256));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>What one node reports about one artefact: installed (with its content hash) or the error.</summary>
    public async Task SetInstallStatusAsync(string node, string kind, string installKey, string contentHash, string? error,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await JournalDatabase.ExecuteAsync(connection, """
            INSERT INTO kuiper_artefact_installs (node, kind, install_key, content_hash, error, updated_at)
            VALUES (@node, @kind, @key, @hash, @error, @at)
            ON CONFLICT (node, kind, install_key) DO UPDATE
            SET content_hash = excluded.content_hash, error = excluded.error, updated_at = excluded.updated_at
            """, cancellationToken, ("node", node), ("kind", kind), ("key", installKey), ("hash", contentHash),
            ("error", (object?)error ?? DBNull.Value), ("at", DateTimeOffset.UtcNow.ToString("O")));
    }

    public async Task RemoveInstallStatusAsync(string node, string kind, string installKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await JournalDatabase.ExecuteAsync(connection, "DELETE FROM kuiper_artefact_installs WHERE node = @node AND kind = @kind AND install_key = @key",
            cancellationToken, ("node", node), ("kind", kind), ("key", installKey));
    }

    /// <summary>Every node's report on one artefact.</summary>
    public async Task<IReadOnlyList<NodeInstall>> InstallsAsync(string kind, string installKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = JournalDatabase.Command(connection,
            "SELECT node, content_hash, error FROM kuiper_artefact_installs WHERE kind = @kind AND install_key = @key ORDER BY node",
            ("kind", kind), ("key", installKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var installs = new List<NodeInstall>();
        while (await reader.ReadAsync(cancellationToken))
            installs.Add(new NodeInstall(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return installs;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = JournalDatabase.Connect(_settings, _dataDir);
        await connection.OpenAsync(cancellationToken);
        if (_ready) return connection;
        await _created.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                var blob = _postgres ? "BYTEA" : "BLOB";
                await JournalDatabase.CreateTableAsync(connection,
                    $"CREATE TABLE IF NOT EXISTS kuiper_artefact_blobs (sha256 VARCHAR(64) PRIMARY KEY, content {blob} NOT NULL)", cancellationToken);
                await JournalDatabase.CreateTableAsync(connection, """
                    CREATE TABLE IF NOT EXISTS kuiper_artefact_installs (
                        node VARCHAR(255) NOT NULL, kind VARCHAR(32) NOT NULL, install_key VARCHAR(255) NOT NULL,
                        content_hash VARCHAR(64) NOT NULL, error TEXT, updated_at VARCHAR(40) NOT NULL,
                        PRIMARY KEY (node, kind, install_key))
                    """, cancellationToken);
                _ready = true;
            }
        }
        finally
        {
            _created.Release();
        }
        return connection;
    }


}

public sealed record NodeInstall(string Node, string ContentHash, string? Error);
