using System.Data.Common;
using Kuiper.Actors.Database;

namespace Kuiper.Node.Provisioning;

/// <summary>What a node learnt when it asked for a file version.</summary>
public abstract record ProvisioningClaim
{
    /// <summary>This node holds the claim and imports the file. <see cref="TakenFrom"/>: the holder whose claim lapsed.</summary>
    public sealed record Granted(string? TakenFrom) : ProvisioningClaim;

    /// <summary>Another node holds a live claim: it is importing the file now.</summary>
    public sealed record HeldBy(string Holder, TimeSpan Age) : ProvisioningClaim;

    /// <summary>The file version was imported (or found unusable) already.</summary>
    public sealed record Done(string Holder, string Outcome) : ProvisioningClaim;
}

/// <summary>
/// One row per <c>init.json</c> version in the journal's database (table <c>kuiper_provisioning</c>), so that the
/// nodes of a cluster import each version exactly once: the first <c>INSERT ... ON CONFLICT DO NOTHING</c> wins, the
/// winner renews its claim while it imports and marks the row done at the end, and a claim left by a node that died
/// (not renewed for <c>ClaimTimeout</c>, or left by an earlier run of the same address) is taken over with a
/// compare-and-set. Times are the database's clock, so nodes with skewed clocks agree on a claim's age.
/// </summary>
/// <remarks>
/// A version is the file's SHA-256, not its modification time as eKuiper's marker file (<c>initialized&lt;mtime&gt;</c>)
/// has it: every node reads its own copy of the file, and copies of one version carry different times, so keying by time
/// would import one version once per node. The price: touching the file does not import it again; changing it does.
/// </remarks>
public sealed class ProvisioningClaims(PersistenceSettings settings, string dataDir)
{
    private readonly bool _postgres = settings.Provider.Equals(PersistenceSettings.Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>The database's clock, in Unix milliseconds.</summary>
    private string Now => _postgres
        ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
        : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    /// <summary>
    /// Asks for the version <paramref name="sha256"/> on behalf of <paramref name="node"/> (<c>address#uid</c>: an address
    /// names a node, the uid one run of it, so a restarted node takes over its own earlier claim at once).
    /// </summary>
    public async Task<ProvisioningClaim> ClaimAsync(string sha256, string node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (await JournalDatabase.ExecuteAsync(connection, $"""
                INSERT INTO kuiper_provisioning (file_sha256, claimed_by, claimed_at)
                VALUES (@sha, @node, {Now}) ON CONFLICT (file_sha256) DO NOTHING
                """, cancellationToken, ("sha", sha256), ("node", node)) == 1)
            return new ProvisioningClaim.Granted(null);

        await using var read = JournalDatabase.Command(connection,
            $"SELECT claimed_by, claimed_at, finished_at, outcome, {Now} FROM kuiper_provisioning WHERE file_sha256 = @sha", ("sha", sha256));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return await ClaimAsync(sha256, node, timeout, cancellationToken); // removed meanwhile
        var (holder, claimedAt, finished, outcome, now) =
            (reader.GetString(0), reader.GetInt64(1), !reader.IsDBNull(2), reader.IsDBNull(3) ? "" : reader.GetString(3), reader.GetInt64(4));
        await reader.DisposeAsync();

        if (finished) return new ProvisioningClaim.Done(holder, outcome);
        var age = TimeSpan.FromMilliseconds(Math.Max(0, now - claimedAt));
        var earlierRunOfThisNode = holder != node && AddressOf(holder) == AddressOf(node);
        if (age < timeout && !earlierRunOfThisNode) return new ProvisioningClaim.HeldBy(holder, age);

        // Take the lapsed claim over, unless another node did first (or the holder renewed it just now).
        var taken = await JournalDatabase.ExecuteAsync(connection, $"""
            UPDATE kuiper_provisioning SET claimed_by = @node, claimed_at = {Now}
            WHERE file_sha256 = @sha AND finished_at IS NULL AND claimed_by = @holder AND claimed_at = @at
            """, cancellationToken, ("node", node), ("sha", sha256), ("holder", holder), ("at", claimedAt));
        return taken == 1 ? new ProvisioningClaim.Granted(holder) : await ClaimAsync(sha256, node, timeout, cancellationToken);
    }

    /// <summary>Keeps the claim alive; false when it was lost (taken over, or the row is gone).</summary>
    public async Task<bool> RenewAsync(string sha256, string node, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await JournalDatabase.ExecuteAsync(connection, $"""
            UPDATE kuiper_provisioning SET claimed_at = {Now}
            WHERE file_sha256 = @sha AND claimed_by = @node AND finished_at IS NULL
            """, cancellationToken, ("sha", sha256), ("node", node)) == 1;
    }

    /// <summary>Marks the version imported, with what came of it (kept for operators; the status has the item errors).</summary>
    public async Task FinishAsync(string sha256, string node, string outcome, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await JournalDatabase.ExecuteAsync(connection, $"""
            UPDATE kuiper_provisioning SET finished_at = {Now}, outcome = @outcome
            WHERE file_sha256 = @sha AND claimed_by = @node
            """, cancellationToken, ("outcome", outcome), ("sha", sha256), ("node", node));
    }

    /// <summary>Gives the claim up unfinished, so that the import is tried again (here or by another node).</summary>
    public async Task ReleaseAsync(string sha256, string node, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await JournalDatabase.ExecuteAsync(connection, "DELETE FROM kuiper_provisioning WHERE file_sha256 = @sha AND claimed_by = @node AND finished_at IS NULL",
            cancellationToken, ("sha", sha256), ("node", node));
    }

    private static string AddressOf(string node) => node.Split('#')[0];

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = JournalDatabase.Connect(settings, dataDir);
        await connection.OpenAsync(cancellationToken);
        if (_created) return connection;
        await JournalDatabase.CreateTableAsync(connection, """
            CREATE TABLE IF NOT EXISTS kuiper_provisioning (
                file_sha256 VARCHAR(64) PRIMARY KEY, claimed_by VARCHAR(512) NOT NULL, claimed_at BIGINT NOT NULL,
                finished_at BIGINT, outcome TEXT)
            """, cancellationToken);
        _created = true;
        return connection;
    }

    private volatile bool _created;


}
