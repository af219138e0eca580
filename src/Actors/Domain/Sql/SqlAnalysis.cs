namespace Kuiper.Domain.Sql;

/// <summary>Join kinds of eKuiper's SELECT dialect.</summary>
public enum SqlJoinType
{
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

/// <summary>eKuiper's function types (<c>ast.FuncType</c>).</summary>
public enum SqlFunctionType
{
    Unknown = -1,
    Scalar,
    Aggregate,
    /// <summary>Multi-column functions such as <c>changed_cols</c>, only allowed in the select clause.</summary>
    Columns,
    /// <summary>Set-returning functions such as <c>unnest</c>.</summary>
    SetReturning,
    /// <summary>Window functions such as <c>row_number</c> (not the GROUP BY windows).</summary>
    Window,
    /// <summary><c>dedup_trigger</c>.</summary>
    Trigger,
}

/// <summary>A stream or table the statement reads: the FROM source (<see cref="JoinType"/> null) or a joined one.</summary>
/// <param name="Name">The name as eKuiper resolves it, e.g. <c>demo</c> or an MQTT-topic-like <c>topic/+/#</c>.</param>
/// <param name="Alias">The <c>AS</c> alias, or null.</param>
/// <param name="JoinType">Null for the FROM source, else the join kind.</param>
public sealed record SqlSource(string Name, string? Alias, SqlJoinType? JoinType);

/// <summary>Settings for <see cref="SelectAnalyzer"/>.</summary>
public sealed class SqlAnalyzerOptions
{
    public static SqlAnalyzerOptions Default { get; } = new();

    /// <summary>
    /// Resolves a function that is not an eKuiper built-in (native or portable plugin function, external service
    /// function, JavaScript function), receiving the name as written. Return its type, or null when no such function
    /// exists: the analysis then fails with eKuiper's <c>function &lt;name&gt; not found</c>.
    /// When this is null (the default), every unknown name is accepted as a scalar function, because the
    /// analyzer has no plugin registry; plugin functions' own argument checks are never run.
    /// </summary>
    public Func<string, SqlFunctionType?>? ResolveExternalFunction { get; init; }
}

/// <summary>The outcome of <see cref="SelectAnalyzer.Analyze(string)"/>.</summary>
public sealed class SqlAnalysis
{
    private SqlAnalysis(string sql, string? error, bool isSelect, IReadOnlyList<SqlSource> sources, IReadOnlyList<string> functions)
    {
        Sql = sql;
        Error = error;
        IsSelect = isSelect;
        Sources = sources;
        Functions = functions;
    }

    /// <summary>The analysed statement.</summary>
    public string Sql { get; }

    /// <summary>eKuiper's parser error text, or null when the statement parsed.</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    /// <summary>
    /// False when the statement does not start with SELECT (eKuiper then reports
    /// <c>SQL &lt;sql&gt; is not a select statement.</c>). Only meaningful when <see cref="IsValid"/>.
    /// </summary>
    public bool IsSelect { get; }

    /// <summary>The FROM source then every joined source, in order. Empty unless a valid SELECT.</summary>
    public IReadOnlyList<SqlSource> Sources { get; }

    /// <summary>
    /// Every function called anywhere in the statement, in order of first appearance (select fields, joins,
    /// WHERE, GROUP BY including the window function, HAVING, ORDER BY; nested calls after their parent),
    /// without duplicates. Built-in and window names are lower case as eKuiper normalises them; other names
    /// are kept as written. Empty unless a valid SELECT.
    /// This is a superset of the list eKuiper's export builds (rule_migration.go walks <c>ast.Call</c> nodes):
    /// that one has duplicates, no GROUP BY window names (windows are not calls there), and misses calls in a
    /// window's <c>OVER (PARTITION BY ...)</c>, in a one-argument STATEWINDOW condition and in any GROUP BY
    /// window after the first. None of the extra names can match a plugin, so the export result is the same
    /// except for those missed calls.
    /// </summary>
    public IReadOnlyList<string> Functions { get; }

    /// <summary>
    /// The message eKuiper's rule validation gives for this statement, or null when it is a valid SELECT:
    /// <c>Parse SQL &lt;sql&gt; error: &lt;error&gt;.</c> or <c>SQL &lt;sql&gt; is not a select statement.</c>
    /// </summary>
    public string? RuleError =>
        Error is not null ? $"Parse SQL {Sql} error: {Error}."
        : !IsSelect ? $"SQL {Sql} is not a select statement."
        : null;

    internal static SqlAnalysis Failed(string sql, string error) => new(sql, error, false, [], []);

    internal static SqlAnalysis NotSelect(string sql) => new(sql, null, false, [], []);

    internal static SqlAnalysis Select(string sql, IReadOnlyList<SqlSource> sources, IReadOnlyList<string> functions) =>
        new(sql, null, true, sources, functions);
}
