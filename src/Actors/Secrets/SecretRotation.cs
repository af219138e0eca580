using System.Data.Common;
using Akka.Actor;
using Akka.Cluster;
using Kuiper.Actors.Database;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Serialization;

namespace Kuiper.Actors.Secrets;

/// <summary>What a rotation did: the key everything is sealed with now (null: stored as given), the rows it rewrote, the keys it retired.</summary>
public sealed record RotationResult(string? Key, int JournalRows, int Snapshots, IReadOnlyList<string> Retired);

/// <summary>
/// <c>cluster secrets rotate</c>: every stored secret sealed again with the newest key, in place, while the cluster
/// runs. Journal rows and snapshots are rewritten through the node's own serializer (read as stored, resealed, written
/// back); what they mean does not change, so live partitions, which hold plaintext in memory, are not disturbed. Then
/// the older keys are retired: a node that holds only those no longer starts.
/// </summary>
/// <remarks>
/// Every member must already seal with the newest key (its role <c>secrets-key-&lt;id&gt;</c>), or a write of a member
/// with an older key could land after the pass. Passes repeat until one finds nothing to rewrite (at most
/// <see cref="MaxPasses"/>); only then are keys retired.
/// </remarks>
public sealed class SecretRotation(ActorSystem system, KuiperSettings settings)
{
    private const int MaxPasses = 3;
    private const int Page = 200;

    /// <summary>The stored forms that carry definitions (<see cref="SecretsAtRest"/>), as the journal names them.</summary>
    private static readonly string BatchStoredManifest = KuiperSerializer.Manifests[typeof(Kuiper.Messages.Partitions.BatchStored)];
    private static readonly string SnapshotManifest = KuiperSerializer.Manifests[typeof(Kuiper.Messages.Partitions.PartitionSnapshot)];

    /// <summary>Null and the reason when the rotation may not run; the result otherwise.</summary>
    public async Task<(RotationResult? Result, string? Refusal)> RunAsync(CancellationToken cancellationToken)
    {
        var serializer = (KuiperSerializer)system.Serialization.FindSerializerForType(typeof(Kuiper.Messages.Partitions.BatchStored));
        if (serializer.Secrets.Ring is null)
            return (null, "no key to rotate to: set Kuiper:Security:SecretsKeyFile (the new key's file first) on every node");
        var target = serializer.Secrets.SealingKey;
        var lagging = Cluster.Get(system).State.Members
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .Select(m => (Member: m, Key: SecretsHostingExtensions.SealingKeyOf(m.Roles)))
            .Where(m => m.Key != target)
            .Select(m => $"{m.Member.Address} ({m.Key ?? "stores them as given"})")
            .ToList();
        if (lagging.Count > 0)
            return (null, target is null
                ? $"this node stores secrets as given, but not every member does: {string.Join(", ", lagging)}; "
                  + "restart each with Kuiper:Security:SealSecretsAtRest=false first, then rotate"
                : $"not every member seals with key {target}: {string.Join(", ", lagging)}; "
                  + "restart each with the new key file first in Kuiper:Security:SecretsKeyFile, then rotate");

        int journalRows = 0, snapshots = 0;
        await using var connection = JournalDatabase.Connect(settings.Persistence, settings.DataDir);
        await connection.OpenAsync(cancellationToken);
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var rows = await RewriteJournalAsync(connection, serializer, cancellationToken);
            var snaps = await RewriteSnapshotsAsync(connection, serializer, cancellationToken);
            journalRows += rows;
            snapshots += snaps;
            if (rows + snaps == 0)
            {
                var retired = await new SealedKeysTable(settings.Persistence, settings.DataDir).RetireAllButAsync(target, cancellationToken);
                return (new RotationResult(target, journalRows, snapshots, retired), null);
            }
        }
        return (null, $"values not stored as this node stores them ({target ?? "as given"}) were still being written after {MaxPasses} passes: "
                      + "a member stores them otherwise; no key was retired");
    }

    private static async Task<int> RewriteJournalAsync(DbConnection connection, KuiperSerializer serializer, CancellationToken cancellationToken)
    {
        var rewritten = 0;
        long after = 0;
        while (true)
        {
            var rows = new List<(long Ordering, byte[] Message)>();
            await using (var command = JournalDatabase.Command(connection,
                             $"SELECT ordering, message FROM journal WHERE identifier = @serializer AND manifest = @manifest AND ordering > @after ORDER BY ordering LIMIT {Page}",
                             ("serializer", KuiperSerializer.SerializerId), ("manifest", BatchStoredManifest), ("after", after)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            if (rows.Count == 0) return rewritten;
            foreach (var (ordering, message) in rows)
            {
                if (Resealed(serializer, message, BatchStoredManifest) is not { } bytes) continue;
                rewritten += await JournalDatabase.ExecuteAsync(connection, "UPDATE journal SET message = @message WHERE ordering = @ordering",
                    cancellationToken, ("message", bytes), ("ordering", ordering));
            }
            after = rows[^1].Ordering;
        }
    }

    private static async Task<int> RewriteSnapshotsAsync(DbConnection connection, KuiperSerializer serializer, CancellationToken cancellationToken)
    {
        // A partition keeps few snapshots: their keys fit in memory, and each is read and written alone.
        var keys = new List<(string PersistenceId, long SequenceNr)>();
        await using (var command = JournalDatabase.Command(connection,
                         "SELECT persistence_id, sequence_number FROM snapshot WHERE serializer_id = @serializer AND manifest = @manifest",
                         ("serializer", KuiperSerializer.SerializerId), ("manifest", SnapshotManifest)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                keys.Add((reader.GetString(0), reader.GetInt64(1)));
        var rewritten = 0;
        foreach (var (persistenceId, sequenceNr) in keys)
        {
            byte[]? stored;
            await using (var command = JournalDatabase.Command(connection,
                             "SELECT snapshot FROM snapshot WHERE persistence_id = @id AND sequence_number = @nr",
                             ("id", persistenceId), ("nr", sequenceNr)))
                stored = await command.ExecuteScalarAsync(cancellationToken) as byte[];
            // Gone meanwhile: a newer snapshot replaced it.
            if (stored is null || Resealed(serializer, stored, SnapshotManifest) is not { } bytes) continue;
            rewritten += await JournalDatabase.ExecuteAsync(connection,
                "UPDATE snapshot SET snapshot = @snapshot WHERE persistence_id = @id AND sequence_number = @nr",
                cancellationToken, ("snapshot", bytes), ("id", persistenceId), ("nr", sequenceNr));
        }
        return rewritten;
    }

    private static byte[]? Resealed(KuiperSerializer serializer, byte[] stored, string manifest) =>
        serializer.Secrets.Reseal(serializer.ReadSealed(stored, manifest)) is { } resealed ? serializer.WithoutSealing(resealed) : null;
}
