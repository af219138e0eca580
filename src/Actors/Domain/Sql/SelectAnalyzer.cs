namespace Kuiper.Domain.Sql;

/// <summary>
/// Validates a rule's SQL the way eKuiper's parser does (<c>xsql.GetStatementFromSql</c>) and extracts what
/// the configuration plane needs from it: the streams/tables read and the functions called.
/// It needs no runtime state: plugin functions are only known through
/// <see cref="SqlAnalyzerOptions.ResolveExternalFunction"/>.
/// </summary>
public static class SelectAnalyzer
{
    /// <summary>
    /// The error reported for statements nested deeper than <see cref="MaxNestingDepth"/> levels (or than the
    /// stack allows). This limit and message are this implementation's own; eKuiper has no such limit.
    /// </summary>
    public const string NestingError = "expression nests too deeply";

    /// <summary>Maximum nesting of parentheses, calls, CASE expressions and the like.</summary>
    public const int MaxNestingDepth = SelectParser.MaxDepth;

    public static SqlAnalysis Analyze(string sql) => Analyze(sql, SqlAnalyzerOptions.Default);

    public static SqlAnalysis Analyze(string sql, SqlAnalyzerOptions options)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(options);
        var parser = new SelectParser(sql, new FunctionCatalog(options.ResolveExternalFunction));
        try
        {
            // eKuiper dispatches on the first token's text, upper-cased.
            switch (parser.PeekStatementKeyword())
            {
                case "SELECT":
                    return Describe(sql, parser.ParseSelect());
                case "SHOW":
                    parser.ParseShow();
                    return SqlAnalysis.NotSelect(sql);
                case "DESCRIBE" or "EXPLAIN" or "DROP":
                    parser.ParseNamedStreamStatement();
                    return SqlAnalysis.NotSelect(sql);
                default:
                    // Includes CREATE STREAM/TABLE, whose own syntax is not checked here.
                    return SqlAnalysis.NotSelect(sql);
            }
        }
        catch (SqlParseException e)
        {
            return SqlAnalysis.Failed(sql, e.Message);
        }
        catch (InsufficientExecutionStackException)
        {
            // Not an eKuiper message: eKuiper accepts any nesting its (growable) stack allows.
            return SqlAnalysis.Failed(sql, NestingError);
        }
    }

    private static SqlAnalysis Describe(string sql, SelectStatement stmt)
    {
        var sources = new List<SqlSource> { new(stmt.SourceName, stmt.SourceAlias, null) };
        sources.AddRange(stmt.Joins.Select(j => new SqlSource(j.Name, j.Alias, j.Type)));

        var functions = SqlTree.Walk(stmt, includeFields: true, complete: true)
            .Select(node => node switch
            {
                CallExpr call => call.Name,
                WindowExpr window => window.Name,
                _ => null,
            })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return SqlAnalysis.Select(sql, sources, functions);
    }
}
