namespace Kuiper.Actors.Database;

/// <summary>The journal's database (<c>Kuiper:Persistence</c>), which the tables kept beside the journal share.</summary>
public sealed class PersistenceSettings
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public string Provider { get; set; } = Sqlite;

    /// <summary>Empty: <c>Data Source=&lt;DataDir&gt;/kuiper.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long one journal call (and the readiness probe) may take before it counts as failed. An import while
    /// the database is down is answered 503 within about twice this.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
