namespace Kuiper.Domain.Sql;

/// <summary>Pre-order traversal of a parsed statement.</summary>
internal static class SqlTree
{
    /// <summary>
    /// The expressions of a statement in eKuiper's walk order. With <paramref name="complete"/> false the walk
    /// matches eKuiper's <c>ast.Walk</c> exactly: only the first window of GROUP BY is visited (before the other
    /// dimensions) and a window's PARTITION BY and single STATEWINDOW condition are skipped. With it true every
    /// expression is visited, dimensions in written order.
    /// </summary>
    public static IEnumerable<SqlExpr> Walk(SelectStatement stmt, bool includeFields, bool complete)
    {
        var roots = new List<SqlExpr?>();
        if (includeFields)
        {
            roots.AddRange(stmt.Fields.Select(f => f.Expr));
        }
        roots.AddRange(stmt.Joins.Select(j => j.On));
        roots.Add(stmt.Condition);
        if (complete)
        {
            roots.AddRange(stmt.Dimensions);
        }
        else
        {
            roots.Add(stmt.Dimensions.OfType<WindowExpr>().FirstOrDefault());
            roots.AddRange(stmt.Dimensions.Where(d => d is not WindowExpr));
        }
        roots.Add(stmt.Having);
        roots.AddRange(stmt.SortFields.Select(s => s.Expr));
        var nodes = new List<SqlExpr>();
        foreach (var root in roots) Collect(root, complete, nodes);
        return nodes;
    }

    public static IEnumerable<SqlExpr> Walk(SqlExpr? expr, bool complete)
    {
        var nodes = new List<SqlExpr>();
        Collect(expr, complete, nodes);
        return nodes;
    }

    /// <summary>
    /// Pre-order into a list, eagerly: every rule's SQL is walked several times per import, and an iterator with a
    /// reversed child sequence per node cost more than the parse.
    /// </summary>
    private static void Collect(SqlExpr? expr, bool complete, List<SqlExpr> into)
    {
        // Iterative: operator chains such as a+b+c+... make trees as deep as they are long.
        var pending = new Stack<SqlExpr?>();
        var children = new List<SqlExpr?>();
        pending.Push(expr);
        while (pending.Count > 0)
        {
            if (pending.Pop() is not { } node)
            {
                continue;
            }
            into.Add(node);
            children.Clear();
            children.AddRange(Children(node, complete));
            for (var c = children.Count - 1; c >= 0; c--)
            {
                pending.Push(children[c]);
            }
        }
    }

    private static IEnumerable<SqlExpr?> Children(SqlExpr expr, bool complete)
    {
        switch (expr)
        {
            case BinaryExpr b:
                return [b.Lhs, b.Rhs];
            case CallExpr c:
                return c.Args
                    .Concat(c.Partition ?? [])
                    .Concat(c.SortFields.Select(s => s.Expr))
                    .Append(c.When);
            case ParenExpr p:
                return [p.Inner];
            case ColonExpr c:
                return [c.Start, c.End];
            case IndexExpr i:
                return [i.Index];
            case CaseExpr c:
                return new[] { c.Value }
                    .Concat(c.Whens.SelectMany(w => new[] { w.Condition, w.Result }))
                    .Append(c.Else);
            case ColFuncField f:
                return [f.Expr];
            case ValueSetExpr v:
                return v.Literals;
            case BetweenExpr b:
                return [b.Lower, b.Higher];
            case LikePattern l:
                return [l.Expr];
            case Wildcard w:
                return w.Replace.Select(f => f.Expr);
            case WindowExpr w:
                var children = new List<SqlExpr?>
                {
                    w.Length, w.Interval, w.Filter, w.TriggerCondition, w.BeginCondition, w.EmitCondition,
                };
                if (complete)
                {
                    children.Add(w.SingleCondition);
                    children.AddRange(w.Partition ?? []);
                }
                return children;
            default:
                return [];
        }
    }
}

/// <summary>eKuiper's statement-level parse-time validation (<c>xsql.Validate</c>).</summary>
internal static class SelectValidator
{
    public static void Validate(SelectStatement stmt, FunctionCatalog functions)
    {
        foreach (var dimension in stmt.Dimensions)
        {
            if (SqlTree.Walk(dimension, complete: false).OfType<CallExpr>().Any(c => functions.IsAggregate(c.Name)))
            {
                throw new SqlParseException($"Not allowed to call aggregate functions in GROUP BY clause: {dimension}.");
            }
        }

        var fieldNodes = stmt.Fields.SelectMany(f => SqlTree.Walk(f.Expr, complete: false)).ToList();
        var nested = fieldNodes.OfType<CallExpr>()
            .Any(c => c.Args.Any(a => SqlTree.Walk(a, complete: false).Any(IsSetReturning)));
        if (nested)
        {
            throw new SqlParseException("select clause shouldn't has nested set-returning-functions");
        }
        if (fieldNodes.Count(IsSetReturning) > 1)
        {
            throw new SqlParseException("select clause shouldn't has multi set-returning-functions");
        }

        var outsideFields = SqlTree.Walk(stmt, includeFields: false, complete: false).ToList();
        if (outsideFields.Any(n => n is CallExpr { Type: SqlFunctionType.Window }))
        {
            throw new SqlParseException("window functions can only be in select fields");
        }
        if (outsideFields.Any(IsSetReturning))
        {
            throw new SqlParseException("select statement shouldn't has srf except fields");
        }
    }

    private static bool IsSetReturning(SqlExpr e) => e is CallExpr { Type: SqlFunctionType.SetReturning };
}
