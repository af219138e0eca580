using System.Runtime.CompilerServices;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Sql;

namespace Kuiper.Domain.Sql;

/// <summary>A parse failure carrying eKuiper's exact message.</summary>
internal sealed class SqlParseException(string message) : Exception(message);

/// <summary>
/// Recursive-descent parser for eKuiper's SELECT dialect, reproducing eKuiper's grammar, error texts and
/// parse-time checks. Like eKuiper's parser it reads through a three-token look-back buffer, and a few of
/// its quirks (e.g. after a failed negative-number read) depend on exactly when tokens are pushed back.
/// </summary>
internal sealed class SelectParser
{
    private readonly SqlScanner _scanner;
    private readonly FunctionCatalog _functions;
    private readonly (SqlToken Token, string Literal)[] _ring = new (SqlToken, string)[3];
    private int _ringIndex;
    private int _pushedBack;
    private string _inFunc = "";
    private string _clause = "";
    private List<string>? _sourceNames;
    private int _depth;

    /// <summary>
    /// Nesting limit for parenthesised expressions, calls, CASE and the like. eKuiper has none (Go stacks
    /// grow); this keeps a hostile statement from overflowing the .NET stack.
    /// </summary>
    public const int MaxDepth = 1000;

    public SelectParser(string text, FunctionCatalog functions)
    {
        _scanner = new SqlScanner(text);
        _functions = functions;
    }

    private static SqlParseException Fail(string message) => new(message);

    private static string Q(string s) => GoQuote.Quote(s);

    // ---------------------------------------------------------------- token buffer

    private (SqlToken Token, string Literal) Scan()
    {
        if (_pushedBack > 0)
        {
            _pushedBack--;
            return _ring[(_ringIndex - _pushedBack + _ring.Length) % _ring.Length];
        }
        var t = _scanner.Scan();
        if (t.Token is not (SqlToken.Whitespace or SqlToken.Comment))
        {
            _ringIndex = (_ringIndex + 1) % _ring.Length;
            _ring[_ringIndex] = t;
        }
        return t;
    }

    private (SqlToken Token, string Literal) ScanSkippingWhitespace()
    {
        var t = Scan();
        while (t.Token is SqlToken.Whitespace or SqlToken.Comment)
        {
            t = Scan();
        }
        return t;
    }

    private void Unscan() => _pushedBack++;

    /// <summary>Like <see cref="ScanSkippingWhitespace"/>, but a '-' directly followed by digits is read as a negative number.</summary>
    private (SqlToken Token, string Literal) ScanWithNegativeNumber()
    {
        var t = ScanSkippingWhitespace();
        if (t.Token == SqlToken.Sub && _scanner.TryScanNegativeNumber() is { } negative)
        {
            t = negative;
        }
        return t;
    }

    // ---------------------------------------------------------------- statements

    /// <summary>The first token's literal, upper-cased, without consuming it (how eKuiper picks the statement kind).</summary>
    public string PeekStatementKeyword()
    {
        var (_, lit) = ScanSkippingWhitespace();
        Unscan();
        return lit.ToUpperInvariant();
    }

    public SelectStatement ParseSelect()
    {
        var stmt = new SelectStatement();
        var (tok, lit) = ScanSkippingWhitespace();
        if (tok != SqlToken.Select)
        {
            throw Fail($"Found {Q(lit)}, Expected SELECT.\n");
        }
        _clause = "select";
        ParseFields(stmt.Fields);
        _clause = "from";
        ParseSource(stmt);
        _clause = "join";
        ParseJoins(stmt.Joins);
        _sourceNames ??= StreamNames(stmt);
        _clause = "where";
        stmt.Condition = ParseCondition();
        _clause = "groupby";
        ParseDimensions(stmt.Dimensions);
        _clause = "having";
        stmt.Having = ParseHaving();
        _clause = "orderby";
        ParseSorts(stmt.SortFields);
        _clause = "limit";
        stmt.Limit = ParseLimit();
        _clause = "";

        (tok, lit) = ScanSkippingWhitespace();
        if (tok == SqlToken.Semicolon)
        {
            // A statement ended by ';' skips the statement-level validation (as in eKuiper).
            return stmt;
        }
        if (tok != SqlToken.Eof)
        {
            throw Fail($"found {Q(lit)}, expected EOF.");
        }
        SelectValidator.Validate(stmt, _functions);
        return stmt;
    }

    /// <summary>SHOW STREAMS|TABLES.</summary>
    public void ParseShow()
    {
        ScanSkippingWhitespace();
        var (_, lit1) = ScanSkippingWhitespace();
        lit1 = lit1.ToUpperInvariant();
        if (lit1 is not ("STREAMS" or "TABLES"))
        {
            throw Fail($"found {Q(lit1)}, expected keyword streams or tables.");
        }
        var (tok2, lit2) = ScanSkippingWhitespace();
        if (tok2 is not (SqlToken.Eof or SqlToken.Semicolon))
        {
            throw Fail($"found {Q(lit2)}, expected semecolon or EOF.");
        }
    }

    /// <summary>DESCRIBE|EXPLAIN|DROP STREAM|TABLE name.</summary>
    public void ParseNamedStreamStatement()
    {
        ScanSkippingWhitespace();
        var (_, lit1) = ScanSkippingWhitespace();
        lit1 = lit1.ToUpperInvariant();
        if (lit1 is not ("STREAM" or "TABLE"))
        {
            throw Fail($"found {Q(lit1)}, expected keyword stream or table.");
        }
        var (tok2, lit2) = ScanSkippingWhitespace();
        if (tok2 != SqlToken.Ident)
        {
            throw Fail($"found {Q(lit2)}, expected {(lit1 == "STREAM" ? "stream" : "table")} name.");
        }
    }

    private static List<string> StreamNames(SelectStatement stmt)
    {
        var names = new List<string> { stmt.SourceName };
        if (stmt.SourceAlias is not null)
        {
            names.Add(stmt.SourceAlias);
        }
        foreach (var join in stmt.Joins)
        {
            names.Add(join.Name);
            if (join.Alias is not null)
            {
                names.Add(join.Alias);
            }
        }
        return names;
    }

    // ---------------------------------------------------------------- clauses

    public SqlExpr? ParseCondition()
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Where)
        {
            Unscan();
            return null;
        }
        return ParseExpr();
    }

    private long? ParseLimit()
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Limit)
        {
            Unscan();
            return null;
        }
        return ParseExpr() is IntegerLiteral count ? count.Value : throw Fail("limit should be integer");
    }

    private void ParseSource(SelectStatement stmt)
    {
        var (tok, lit) = ScanSkippingWhitespace();
        if (tok != SqlToken.From)
        {
            throw Fail($"found {Q(lit)}, expected FROM.");
        }
        (stmt.SourceName, stmt.SourceAlias) = ParseSourceLiteral();
    }

    /// <summary>A source name: identifiers and the MQTT topic characters / # + (concatenated), with an optional AS alias.</summary>
    private (string Name, string? Alias) ParseSourceLiteral()
    {
        var segments = new List<string>();
        string? alias = null;
        while (true)
        {
            var (tok, lit) = ScanSkippingWhitespace();
            if (!tok.IsSourceNameToken())
            {
                Unscan();
                break;
            }
            segments.Add(lit);
            var (tok1, lit1) = ScanSkippingWhitespace();
            if (tok1 == SqlToken.As)
            {
                var (tok2, lit2) = ScanSkippingWhitespace();
                if (tok2 != SqlToken.Ident)
                {
                    throw Fail($"found {Q(lit)}, expected JOIN key word.");
                }
                alias = lit2.Length > 0 ? lit2 : null;
            }
            else if (tok1.IsSourceNameToken())
            {
                segments.Add(lit1);
            }
            else
            {
                Unscan();
                break;
            }
        }
        return (string.Concat(segments), alias);
    }

    private void ParseJoins(List<SqlJoin> joins)
    {
        while (true)
        {
            var (tok, lit) = ScanSkippingWhitespace();
            SqlJoinType type;
            switch (tok)
            {
                case SqlToken.Inner: type = SqlJoinType.Inner; break;
                case SqlToken.Left: type = SqlJoinType.Left; break;
                case SqlToken.Right: type = SqlJoinType.Right; break;
                case SqlToken.Full: type = SqlJoinType.Full; break;
                case SqlToken.Cross: type = SqlJoinType.Cross; break;
                default:
                    Unscan();
                    return;
            }
            if (ScanSkippingWhitespace().Token != SqlToken.Join)
            {
                throw Fail($"found {Q(lit)}, expected JOIN key word.");
            }
            var (name, alias) = ParseSourceLiteral();
            SqlExpr? on = null;
            if (ScanSkippingWhitespace().Token == SqlToken.On)
            {
                if (type == SqlJoinType.Cross)
                {
                    throw Fail("On expression is not required for cross join type.\n");
                }
                on = ParseExpr();
            }
            else
            {
                Unscan();
            }
            joins.Add(new SqlJoin(name, alias, type, on));
        }
    }

    private void ParseDimensions(List<SqlExpr> dimensions)
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Group)
        {
            Unscan();
            return;
        }
        var (t1, l1) = ScanSkippingWhitespace();
        if (t1 != SqlToken.By)
        {
            throw Fail($"found {Q(l1)}, expected BY statement.");
        }
        while (true)
        {
            dimensions.Add(ParseExpr());
            if (ScanSkippingWhitespace().Token != SqlToken.Comma)
            {
                Unscan();
                break;
            }
        }
    }

    private SqlExpr? ParseHaving()
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Having)
        {
            Unscan();
            return null;
        }
        return ParseExpr();
    }

    private void ParseSorts(List<SqlSortField> sorts)
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Order)
        {
            Unscan();
            return;
        }
        var (t1, l1) = ScanSkippingWhitespace();
        if (t1 != SqlToken.By)
        {
            throw Fail($"found {Q(l1)}, expected BY keyword.");
        }
        while (true)
        {
            var (t, _) = ScanSkippingWhitespace();
            if (t == SqlToken.Comma)
            {
                continue;
            }
            if (t != SqlToken.Ident)
            {
                Unscan();
                return;
            }
            // eKuiper reads the name sections first, then re-reads them as an expression.
            Unscan();
            var names = ParseFieldNameSections(isSubField: false);
            string name;
            string? stream = null;
            if (names.Count == 2)
            {
                stream = names[0];
                name = names[1];
                Unscan();
                Unscan();
            }
            else
            {
                name = names[0];
            }
            Unscan();
            var sort = new SqlSortField(name, stream, ascending: true, ParseExpr());
            sorts.Add(sort);
            var (t2, _) = ScanSkippingWhitespace();
            if (t2 == SqlToken.Desc)
            {
                sort.Ascending = false;
            }
            else if (t2 != SqlToken.Asc)
            {
                Unscan();
            }
        }
    }

    // ---------------------------------------------------------------- fields

    private void ParseFields(List<SqlField> fields)
    {
        while (true)
        {
            fields.Add(ParseField());
            if (ScanSkippingWhitespace().Token != SqlToken.Comma)
            {
                Unscan();
                return;
            }
        }
    }

    private SqlField ParseField()
    {
        var expr = ParseExpr();
        var name = NameOf(expr);
        var alias = ParseAlias();
        if (alias.Length > 0 && name == "*")
        {
            throw Fail("alias is not supported for *");
        }
        // INVISIBLE marks a field that is computed but not emitted.
        if (ScanSkippingWhitespace().Token != SqlToken.Invisible)
        {
            Unscan();
        }
        return new SqlField(expr, name, alias.Length > 0 ? alias : null);
    }

    private static string NameOf(SqlExpr expr) => expr switch
    {
        FieldRef f => f.Name,
        CallExpr c => c.Name,
        Wildcard => "*",
        _ => "",
    };

    private string ParseAlias()
    {
        if (ScanSkippingWhitespace().Token != SqlToken.As)
        {
            Unscan();
            return "";
        }
        var (tok, lit) = ScanSkippingWhitespace();
        return tok == SqlToken.Ident ? lit : throw Fail($"found {Q(lit)}, expected as alias.");
    }

    private List<string> ParseFieldNameSections(bool isSubField)
    {
        var sections = new List<string>();
        while (true)
        {
            var (tok, lit) = ScanSkippingWhitespace();
            if (tok is not (SqlToken.Ident or SqlToken.Asterisk))
            {
                Unscan();
                break;
            }
            sections.Add(lit);
            if (sections.Count > 1)
            {
                break;
            }
            var (tok1, _) = ScanSkippingWhitespace();
            if (isSubField || tok1 != SqlToken.Dot)
            {
                Unscan();
                break;
            }
        }
        return sections.Count > 0 ? sections : throw Fail("Cannot find any field name.\n");
    }

    // ---------------------------------------------------------------- expressions

    public SqlExpr ParseExpr()
    {
        // The root's right-hand side holds the tree built so far; operators are inserted by precedence.
        var root = new BinaryExpr(SqlToken.Illegal, null, ParseUnaryExpr(isSubField: false));
        while (true)
        {
            var (op, _) = ScanSkippingWhitespace();
            if (!op.IsOperator())
            {
                Unscan();
                return root.Rhs!;
            }
            switch (op)
            {
                case SqlToken.Asterisk:
                    op = SqlToken.Mul;
                    break;
                case SqlToken.LBracket:
                    op = SqlToken.Subset;
                    Unscan();
                    break;
                case SqlToken.In:
                    Unscan();
                    break;
                case SqlToken.Not:
                {
                    var (afterNot, lit) = ScanSkippingWhitespace();
                    switch (afterNot)
                    {
                        case SqlToken.In:
                            op = SqlToken.NotIn;
                            Unscan();
                            break;
                        case SqlToken.Between:
                            InsertBetween(root, SqlToken.NotBetween);
                            continue;
                        case SqlToken.Like:
                            op = SqlToken.NotLike;
                            break;
                        default:
                            throw Fail($"found {Q(lit)}, expected expression");
                    }
                    break;
                }
                case SqlToken.Between:
                    InsertBetween(root, SqlToken.Between);
                    continue;
            }

            var rhs = ParseUnaryExpr(isSubField: op is SqlToken.Arrow or SqlToken.Dot);
            if (op == SqlToken.Dot)
            {
                op = SqlToken.Arrow;
            }
            if (op is SqlToken.Like or SqlToken.NotLike)
            {
                string? regex = null;
                if (rhs is StringLiteral pattern)
                {
                    regex = LikePatterns.ToRegex(pattern.Value);
                    if (GoRegexSyntax.Check(regex) is { } error)
                    {
                        throw Fail("invalid LIKE pattern: " + error);
                    }
                }
                rhs = new LikePattern(rhs, regex);
            }
            var node = root;
            while (node.Rhs is BinaryExpr r && r.Op.Precedence() < op.Precedence())
            {
                node = r;
            }
            node.Rhs = new BinaryExpr(op, node.Rhs, rhs);
        }
    }

    private void InsertBetween(BinaryExpr root, SqlToken op)
    {
        var node = root;
        while (node.Rhs is BinaryExpr r && r.Op.Precedence() < op.Precedence())
        {
            node = r;
        }
        var lhs = node.Rhs;
        var lower = ParseUnaryExpr(isSubField: false);
        var (and, _) = ScanSkippingWhitespace();
        if (and != SqlToken.And)
        {
            throw Fail($"expect AND expression after between but found {and.Text()}");
        }
        var higher = ParseUnaryExpr(isSubField: false);
        node.Rhs = new BinaryExpr(op, lhs, new BetweenExpr(lower, higher));
    }

    private SqlExpr ParseUnaryExpr(bool isSubField)
    {
        if (++_depth > MaxDepth)
        {
            throw new InsufficientExecutionStackException();
        }
        RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            return ParseUnaryExprCore(isSubField);
        }
        finally
        {
            _depth--;
        }
    }

    private SqlExpr ParseUnaryExprCore(bool isSubField)
    {
        var (tok1, _) = ScanSkippingWhitespace();
        switch (tok1)
        {
            case SqlToken.LParen:
            {
                var inner = ParseExpr();
                var (tok2, lit2) = ScanSkippingWhitespace();
                if (tok2 != SqlToken.RParen)
                {
                    throw Fail($"found {Q(lit2)}, expected right paren.");
                }
                return new ParenExpr(inner);
            }
            case SqlToken.LBracket:
                return ParseBracketExpr();
            case SqlToken.In:
                return ParseValueSetExpr();
        }
        Unscan();

        var (tok, lit) = ScanWithNegativeNumber();
        switch (tok)
        {
            case SqlToken.Case:
                return ParseCaseExpr();
            case SqlToken.Ident:
                if (ScanSkippingWhitespace().Token == SqlToken.LParen)
                {
                    return ParseCall(lit);
                }
                Unscan();
                Unscan();
                return FieldReference(ParseFieldNameSections(isSubField), isSubField);
            case SqlToken.String or SqlToken.SingleQuote:
                return new StringLiteral(lit);
            case SqlToken.Integer:
                GoStrconv.TryAtoi(lit, out var integer);
                return new IntegerLiteral(integer);
            case SqlToken.Number:
                return GoStrconv.TryParseFloat64(lit, out var number)
                    ? new NumberLiteral(number)
                    : throw Fail($"found {Q(lit)}, invalid number value.");
            case SqlToken.True or SqlToken.False:
                return new BooleanLiteral(tok == SqlToken.True);
            case SqlToken.Asterisk:
                return ParseAsterisk();
        }
        if (tok.IsTimeLiteral())
        {
            return new TimeLiteral(tok);
        }
        throw Fail($"found {Q(lit)}, expected expression.");
    }

    /// <summary>
    /// Builds a field (or, inside meta()/mqtt(), a metadata) reference. <c>a.b</c> where <c>a</c> is not a
    /// known source name becomes the JSON access <c>a-&gt;b</c>.
    /// </summary>
    private SqlExpr FieldReference(List<string> n, bool isSubField)
    {
        var meta = _inFunc is "meta" or "mqtt";
        if (n.Count == 2)
        {
            if (_sourceNames is { Count: > 0 } && !_sourceNames.Contains(n[0]))
            {
                SqlExpr lhs = meta ? new MetaRef(FieldRef.DefaultStream, n[0]) : new FieldRef(FieldRef.DefaultStream, n[0]);
                return new BinaryExpr(SqlToken.Arrow, lhs, new JsonFieldRef(n[1]));
            }
            return meta ? new MetaRef(n[0], n[1]) : new FieldRef(n[0], n[1]);
        }
        if (isSubField)
        {
            return new JsonFieldRef(n[0]);
        }
        return meta ? new MetaRef(FieldRef.DefaultStream, n[0]) : new FieldRef(FieldRef.DefaultStream, n[0]);
    }

    private SqlExpr ParseValueSetExpr()
    {
        if (ScanSkippingWhitespace().Token == SqlToken.LParen)
        {
            var set = new ValueSetExpr();
            while (true)
            {
                try
                {
                    set.Literals.Add(ParseExpr());
                }
                catch (SqlParseException e)
                {
                    throw Fail("expect elements for IN expression, but " + e.Message);
                }
                if (ScanSkippingWhitespace().Token != SqlToken.Comma)
                {
                    Unscan();
                    break;
                }
            }
            var (tok, lit) = ScanSkippingWhitespace();
            if (tok != SqlToken.RParen)
            {
                throw Fail($"expect ) for IN expression, but got {Q(lit)}");
            }
            return set;
        }
        Unscan();
        try
        {
            return ParseUnaryExpr(isSubField: false);
        }
        catch (SqlParseException e)
        {
            throw Fail("expect expression after IN, but got error " + e.Message);
        }
    }

    private SqlExpr ParseBracketExpr()
    {
        var (tok2, lit2) = ScanWithNegativeNumber();
        switch (tok2)
        {
            case SqlToken.RBracket:
                return new ColonExpr(new IntegerLiteral(0), new IntegerLiteral(ColonExpr.OpenEnd));
            case SqlToken.Integer:
            {
                if (!GoStrconv.TryAtoi(lit2, out var start))
                {
                    throw Fail($"The start index {lit2} is not an int value in bracket expression.");
                }
                var (tok3, _) = ScanSkippingWhitespace();
                if (tok3 == SqlToken.RBracket)
                {
                    return new IndexExpr(new IntegerLiteral(start));
                }
                if (tok3 == SqlToken.Colon)
                {
                    return ParseColonExpr(new IntegerLiteral(start));
                }
                break;
            }
            case SqlToken.Colon:
                return ParseColonExpr(new IntegerLiteral(0));
            default:
            {
                Unscan();
                SqlExpr start;
                try
                {
                    start = ParseExpr();
                }
                catch (SqlParseException)
                {
                    throw Fail($"The start index {lit2} is invalid in bracket expression.");
                }
                var (tok3, _) = ScanSkippingWhitespace();
                if (tok3 == SqlToken.RBracket)
                {
                    return new IndexExpr(start);
                }
                if (tok3 == SqlToken.Colon)
                {
                    return ParseColonExpr(start);
                }
                break;
            }
        }
        throw Fail($"Unexpected token {Q(lit2)}. when parsing bracket expressions.");
    }

    private SqlExpr ParseColonExpr(SqlExpr start)
    {
        var (tok, lit) = ScanWithNegativeNumber();
        switch (tok)
        {
            case SqlToken.Integer:
            {
                if (!GoStrconv.TryAtoi(lit, out var end))
                {
                    throw Fail($"The end index {lit} is not an int value in bracket expression.");
                }
                var (tok1, lit1) = ScanSkippingWhitespace();
                return tok1 == SqlToken.RBracket
                    ? new ColonExpr(start, new IntegerLiteral(end))
                    : throw Fail($"Found {Q(lit1)}, expected right bracket.");
            }
            case SqlToken.RBracket:
                return new ColonExpr(start, new IntegerLiteral(ColonExpr.OpenEnd));
        }
        Unscan();
        SqlExpr endExpr;
        try
        {
            endExpr = ParseExpr();
        }
        catch (SqlParseException)
        {
            throw Fail($"The end index {lit} is invalid in bracket expression.");
        }
        var (tok2, lit2) = ScanSkippingWhitespace();
        return tok2 == SqlToken.RBracket
            ? new ColonExpr(start, endExpr)
            : throw Fail($"Found {Q(lit2)}, expected right bracket.");
    }

    private CaseExpr ParseCaseExpr()
    {
        var c = new CaseExpr();
        var (first, _) = ScanSkippingWhitespace();
        Unscan();
        if (first != SqlToken.When)
        {
            c.Value = ParseExpr();
        }
        while (true)
        {
            var (tok, _) = ScanSkippingWhitespace();
            switch (tok)
            {
                case SqlToken.When:
                {
                    var condition = ParseExpr();
                    if (c.Value is null && !BuiltinFunctions.IsBoolean(condition))
                    {
                        throw Fail("invalid CASE expression, WHEN expression must be a bool condition");
                    }
                    if (ScanSkippingWhitespace().Token != SqlToken.Then)
                    {
                        throw Fail("invalid CASE expression, THEN expected after WHEN");
                    }
                    c.Whens.Add(new WhenClause(condition, ParseExpr()));
                    break;
                }
                case SqlToken.Else:
                    if (c.Whens.Count == 0)
                    {
                        throw Fail("invalid CASE expression, WHEN expected before ELSE");
                    }
                    c.Else = ParseExpr();
                    break;
                case SqlToken.End:
                    if (c.Whens.Count == 0)
                    {
                        throw Fail("invalid CASE expression, WHEN expected before END");
                    }
                    return c;
                default:
                    throw Fail("invalid CASE expression, END expected");
            }
        }
    }

    private SqlExpr ParseAsterisk()
    {
        if (_inFunc is "meta" or "mqtt")
        {
            var (tok, _) = ScanSkippingWhitespace();
            if (tok is SqlToken.Except or SqlToken.Replace)
            {
                throw Fail($"{Q(tok.Text())} is not supported in meta function");
            }
            Unscan();
            return new MetaRef(FieldRef.DefaultStream, "*");
        }
        var wildcard = new Wildcard();
        while (true)
        {
            var (tok, _) = ScanSkippingWhitespace();
            if (tok == SqlToken.Except)
            {
                var (tok1, lit1) = ScanSkippingWhitespace();
                if (tok1 != SqlToken.LParen)
                {
                    throw Fail($"Found {Q(lit1)} after EXCEPT, expect left parentheses.");
                }
                wildcard.Except.Clear();
                while (true)
                {
                    var (t, l) = ScanSkippingWhitespace();
                    if (t == SqlToken.Ident)
                    {
                        wildcard.Except.Add(l);
                    }
                    else if (t == SqlToken.RParen)
                    {
                        break;
                    }
                    else if (t != SqlToken.Comma)
                    {
                        throw Fail($"Found {Q(l)} in EXCEPT");
                    }
                }
            }
            else if (tok == SqlToken.Replace)
            {
                var (tok1, lit1) = ScanSkippingWhitespace();
                if (tok1 != SqlToken.LParen)
                {
                    throw Fail($"Found {Q(lit1)} after REPLACE, expect left parentheses.");
                }
                wildcard.Replace.Clear();
                while (true)
                {
                    wildcard.Replace.Add(ParseField());
                    var (t, l) = ScanSkippingWhitespace();
                    if (t == SqlToken.RParen)
                    {
                        break;
                    }
                    if (t != SqlToken.Comma)
                    {
                        throw Fail($"Found {Q(l)} in REPLACE");
                    }
                }
            }
            else
            {
                Unscan();
                return wildcard;
            }
        }
    }

    // ---------------------------------------------------------------- function calls and windows

    private SqlExpr ParseCall(string written)
    {
        if (!_functions.TryResolve(written, out var name, out var type))
        {
            throw Fail($"function {written} not found");
        }
        _inFunc = name;
        try
        {
            if (type == SqlFunctionType.Columns && _clause != "select")
            {
                throw Fail($"function {written} can only be used inside the select clause");
            }
            var args = new List<SqlExpr>();
            while (true)
            {
                if (ScanSkippingWhitespace().Token == SqlToken.RParen)
                {
                    break;
                }
                Unscan();
                var arg = ParseExpr();
                args.Add(type == SqlFunctionType.Columns ? new ColFuncField(NameOf(arg), arg) : arg);
                var (tok, lit) = ScanSkippingWhitespace();
                if (tok != SqlToken.Comma)
                {
                    if (tok != SqlToken.RParen)
                    {
                        throw Fail($"found function call {Q(name)}, expected ), but with {Q(lit)}.");
                    }
                    break;
                }
            }

            var windowType = WindowValidation.Validate(name, args);
            if (windowType != SqlWindowType.NotWindow)
            {
                var window = WindowValidation.Build(name, windowType, args);
                window.Filter = ParseFilter();
                ParseWindowOver(window);
                return window;
            }

            if (name == "dedup_trigger")
            {
                type = SqlFunctionType.Trigger;
                ValidateDedupTrigger(args);
            }
            else if (_functions.Validate(name, args) is { } error)
            {
                throw Fail($"validate function {name} error: {error}");
            }
            if (name == "deduplicate")
            {
                // eKuiper passes the whole row to deduplicate as a hidden first argument.
                args.Insert(0, new Wildcard());
            }
            var call = new CallExpr(name, type, args);
            ParseOver(call);
            return call;
        }
        finally
        {
            _inFunc = "";
        }
    }

    private static void ValidateDedupTrigger(List<SqlExpr> args)
    {
        if (args.Count != 4)
        {
            throw Fail("dedup_trigger function should have 4 arguments");
        }
        for (var i = 0; i < 3; i++)
        {
            if (args[i] is not FieldRef)
            {
                throw Fail($"dedup_trigger function should have fieldRef as the {i + 1} argument");
            }
        }
        if (args[3] is not IntegerLiteral)
        {
            throw Fail("dedup_trigger function should have integer as the fourth argument");
        }
    }

    private SqlExpr? ParseFilter()
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Filter)
        {
            Unscan();
            return null;
        }
        var (tok, lit) = ScanSkippingWhitespace();
        if (tok != SqlToken.LParen)
        {
            throw Fail($"Found {Q(lit)} after FILTER, expect parentheses.");
        }
        (tok, lit) = ScanSkippingWhitespace();
        if (tok != SqlToken.Where)
        {
            throw Fail($"Found {Q(lit)} after FILTER(, expect WHERE.");
        }
        var expr = ParseExpr();
        (tok, lit) = ScanSkippingWhitespace();
        if (tok != SqlToken.RParen)
        {
            throw Fail($"Found {Q(lit)} after FILTER, expect right parentheses.");
        }
        return expr;
    }

    private void ParseWindowOver(WindowExpr window)
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Over)
        {
            Unscan();
            return;
        }
        var (tok, lit) = ScanSkippingWhitespace();
        if (tok != SqlToken.LParen)
        {
            throw Fail($"Found {Q(lit)} after OVER, expect parentheses.");
        }
        window.TriggerCondition = ParseWhen();
        window.Partition = ParsePartitionBy();
        (tok, lit) = ScanSkippingWhitespace();
        if (tok != SqlToken.RParen)
        {
            throw Fail($"Found {Q(lit)} after OVER, expect right parentheses.");
        }
    }

    private void ParseOver(CallExpr call)
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Over)
        {
            Unscan();
            return;
        }
        var analytic = BuiltinFunctions.AnalyticNames.Contains(call.Name);
        var overWindow = BuiltinFunctions.OverWindowNames.Contains(call.Name);
        if (!analytic && !overWindow)
        {
            throw Fail($"Found OVER after non analytic function {call.Name}");
        }
        var (tok1, _) = ScanSkippingWhitespace();
        if (tok1 != SqlToken.LParen)
        {
            throw Fail($"Found {Q(tok1.Text())} after OVER, expect parentheses.");
        }
        call.Partition = ParsePartitionBy();
        if (overWindow)
        {
            ParseSorts(call.SortFields);
        }
        if (analytic)
        {
            call.When = ParseWhen();
        }
        var (next, _) = ScanSkippingWhitespace();
        if (call.Partition is null && call.SortFields.Count == 0 && call.When is null)
        {
            throw Fail($"Found {Q(next.Text())} after OVER (, expect partition by or when.");
        }
        if (next != SqlToken.RParen)
        {
            throw Fail($"Found {Q(next.Text())}, expect right parentheses after OVER ");
        }
    }

    private List<SqlExpr>? ParsePartitionBy()
    {
        if (ScanSkippingWhitespace().Token != SqlToken.Partition)
        {
            Unscan();
            return null;
        }
        var (t1, l1) = ScanSkippingWhitespace();
        if (t1 != SqlToken.By)
        {
            throw Fail($"found {Q(l1)}, expected by after partition.");
        }
        var exprs = new List<SqlExpr>();
        while (true)
        {
            exprs.Add(ParseExpr());
            if (ScanSkippingWhitespace().Token != SqlToken.Comma)
            {
                Unscan();
                return exprs;
            }
        }
    }

    private SqlExpr? ParseWhen()
    {
        if (ScanSkippingWhitespace().Token != SqlToken.When)
        {
            Unscan();
            return null;
        }
        return ParseExpr();
    }
}
