using System.Data.Common;
using Akka.Actor;
using Akka.Configuration;
using Kuiper.Actors.Database;

namespace Kuiper.Actors.Fencing;

/// <summary>
/// One writer per persistence id, enforced by the journal's database. Every actor system writes to the journal under a
/// writer id of its own (on PostgreSQL a session setting of every journal connection, <see cref="SessionSetting"/>).
/// A persistent actor that has recovered claims its persistence id for that writer (<see cref="ClaimAsync"/>); on
/// PostgreSQL a trigger on the journal then refuses every event of that id written by anyone else, in the same
/// transaction as the insert, so a node cut off from the cluster cannot commit a write once the id moved elsewhere,
/// even before it notices. The claim also tells whether the journal holds events the claimant did not recover (another
/// writer got there in between): then the actor must recover again before it writes.
/// SQLite serves one node: the claims are kept and checked the same way, without the trigger.
/// </summary>
public sealed class JournalFence : IExtension
{
    public const string ConfigPath = "kuiper.journal-fence";

    /// <summary>The PostgreSQL session setting that carries the writer id (set at connection start-up, see <c>PersistenceHostingExtensions</c>).</summary>
    public const string SessionSetting = "kuiper.writer";

    /// <summary>The SQLSTATE the trigger raises: a write refused because another writer holds the persistence id.</summary>
    public const string FencedSqlState = "KF001";

    private readonly PersistenceSettings? _database;
    private readonly string _dataDir;
    private readonly SucceedOnce _schema;

    private JournalFence(Config config)
    {
        Writer = config.GetString("writer", "");
        var provider = config.GetString("provider", "");
        _dataDir = FromBase64(config.GetString("data-dir", ""));
        if (provider.Length > 0 && Writer.Length > 0)
            _database = new PersistenceSettings { Provider = provider, ConnectionString = FromBase64(config.GetString("connection-string", "")) };
        _schema = new SucceedOnce(() => CreateSchemaAsync(CancellationToken.None));
    }

    /// <summary>Off where the journal is not a database of ours (the in-memory journal of actor tests): every claim is granted.</summary>
    public bool Enabled => _database is not null;

    /// <summary>This actor system's writer id.</summary>
    public string Writer { get; }

    public static JournalFence Get(ActorSystem system) => system.WithExtension<JournalFence, JournalFenceProvider>();

    internal static JournalFence Create(ActorSystem system) =>
        new(system.Settings.Config.HasPath(ConfigPath) ? system.Settings.Config.GetConfig(ConfigPath) : Config.Empty);

    /// <summary>The HOCON that turns the fence on for a journal in <paramref name="settings"/>' database.</summary>
    /// <remarks>Connection strings may hold any character HOCON treats specially (quotes above all): they travel as base64.</remarks>
    public static string Hocon(PersistenceSettings settings, string dataDir, string writer) => $$"""
        {{ConfigPath}} {
          provider = "{{settings.Provider}}"
          connection-string = "{{ToBase64(settings.ConnectionString)}}"
          data-dir = "{{ToBase64(dataDir)}}"
          writer = "{{writer}}"
        }
        """;

    private static string ToBase64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private static string FromBase64(string text) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));

    /// <summary>
    /// Makes this writer the only one allowed to append to <paramref name="persistenceId"/>, and tells whether the
    /// journal holds events beyond <paramref name="recoveredTo"/>, the last one the claimant recovered. A write of the
    /// previous holder still under way when the claim is made is waited for (its row lock), so it is either counted
    /// here or refused.
    /// </summary>
    public async Task<FenceClaim> ClaimAsync(string persistenceId, long recoveredTo, CancellationToken cancellationToken = default)
    {
        if (_database is null) return new FenceClaim(persistenceId, recoveredTo, recoveredTo);
        await using var connection = await OpenAsync(cancellationToken);
        await JournalDatabase.ExecuteAsync(connection,
            "INSERT INTO kuiper_journal_writers (persistence_id, writer, claimed_at) VALUES (@id, @writer, @at) " +
            "ON CONFLICT (persistence_id) DO UPDATE SET writer = excluded.writer, claimed_at = excluded.claimed_at",
            cancellationToken, ("id", persistenceId), ("writer", Writer), ("at", DateTimeOffset.UtcNow.ToString("O")));
        await using var highest = JournalDatabase.Command(connection,
            "SELECT COALESCE(MAX(sequence_number), 0) FROM journal WHERE persistence_id = @id", ("id", persistenceId));
        var journalHighest = Convert.ToInt64(await highest.ExecuteScalarAsync(cancellationToken));
        return new FenceClaim(persistenceId, recoveredTo, journalHighest);
    }

    /// <summary>Who holds <paramref name="persistenceId"/> now; null when nobody claimed it.</summary>
    public async Task<string?> HolderAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        if (_database is null) return null;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = JournalDatabase.Command(connection,
            "SELECT writer FROM kuiper_journal_writers WHERE persistence_id = @id", ("id", persistenceId));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.RunAsync();
        var connection = JournalDatabase.Connect(_database!, _dataDir);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// The claims table, and on PostgreSQL the trigger. Runs once per process, after the journal's own tables exist
    /// (a claim follows a recovery); on PostgreSQL under an advisory lock, since nodes starting together would race on
    /// the catalog. A writer without an id (a tool, or a release without fencing) may still append to an id nobody claimed.
    /// </summary>
    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = JournalDatabase.Connect(_database!, _dataDir);
        await connection.OpenAsync(cancellationToken);
        const string table = "CREATE TABLE IF NOT EXISTS kuiper_journal_writers (persistence_id VARCHAR(255) NOT NULL PRIMARY KEY, " +
                             "writer VARCHAR(64) NOT NULL, claimed_at VARCHAR(40) NOT NULL)";
        if (!JournalDatabase.IsPostgres(_database!))
        {
            await JournalDatabase.CreateTableAsync(connection, table, cancellationToken);
            return;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $$"""
            SELECT pg_advisory_xact_lock(4242001);
            {{table}};
            CREATE OR REPLACE FUNCTION kuiper_journal_fence() RETURNS trigger LANGUAGE plpgsql AS $fence$
            DECLARE
              me text := NULLIF(current_setting('{{SessionSetting}}', true), '');
            BEGIN
              IF me IS NULL THEN
                IF EXISTS (SELECT 1 FROM kuiper_journal_writers WHERE persistence_id = NEW.persistence_id) THEN
                  RAISE EXCEPTION 'fenced: % is held by a writer of the cluster; a writer without an id may not append to it',
                    NEW.persistence_id USING ERRCODE = '{{FencedSqlState}}';
                END IF;
                RETURN NEW;
              END IF;
              -- FOR SHARE: a claim (an update of this row) waits for this insert's transaction, and an insert waits for a claim.
              PERFORM 1 FROM kuiper_journal_writers WHERE persistence_id = NEW.persistence_id AND writer = me FOR SHARE;
              IF NOT FOUND THEN
                RAISE EXCEPTION 'fenced: % is now held by another node; this node''s write was refused',
                  NEW.persistence_id USING ERRCODE = '{{FencedSqlState}}';
              END IF;
              RETURN NEW;
            END
            $fence$;
            CREATE OR REPLACE TRIGGER kuiper_journal_fence BEFORE INSERT ON journal
              FOR EACH ROW EXECUTE FUNCTION kuiper_journal_fence();
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>The outcome of a claim: the claimant holds the id; <see cref="Stale"/> when it must recover again first.</summary>
public sealed record FenceClaim(string PersistenceId, long RecoveredTo, long JournalHighest)
{
    public bool Stale => JournalHighest > RecoveredTo;
}

public sealed class JournalFenceProvider : ExtensionIdProvider<JournalFence>
{
    public override JournalFence CreateExtension(ExtendedActorSystem system) => JournalFence.Create(system);
}
