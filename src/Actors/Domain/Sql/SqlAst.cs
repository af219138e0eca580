using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Sql;

namespace Kuiper.Domain.Sql;

// The syntax tree eKuiper's parser builds. ToString() reproduces the text eKuiper's String() methods
// give, because some parse errors print an expression (e.g. an aggregate call in GROUP BY).

internal abstract class SqlExpr;

internal sealed class ParenExpr(SqlExpr inner) : SqlExpr
{
    public SqlExpr Inner { get; } = inner;

    public override string ToString() => "parenExpr:{ " + Inner + " }";
}

internal sealed class IndexExpr(SqlExpr index) : SqlExpr
{
    public SqlExpr Index { get; } = index;

    public override string ToString() => Index.ToString() ?? "";
}

internal sealed class ColonExpr(SqlExpr start, SqlExpr end) : SqlExpr
{
    /// <summary>The value eKuiper uses for an open end (<c>a[2:]</c>).</summary>
    public const long OpenEnd = int.MinValue;

    public SqlExpr Start { get; } = start;
    public SqlExpr End { get; } = end;

    public override string ToString() => "ColonExpr:{ start:{ " + Start + " }, end:{ " + End + " } }";
}

internal sealed class BooleanLiteral(bool value) : SqlExpr
{
    public bool Value { get; } = value;

    public override string ToString() => Value ? "true" : "false";
}

internal sealed class TimeLiteral(SqlToken unit) : SqlExpr
{
    public SqlToken Unit { get; } = unit;

    public override string ToString() => Unit.Text();
}

internal sealed class IntegerLiteral(long value) : SqlExpr
{
    public long Value { get; } = value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed class NumberLiteral(double value) : SqlExpr
{
    public double Value { get; } = value;

    public override string ToString() => GoStrconv.FormatFloat(Value);
}

internal sealed class StringLiteral(string value) : SqlExpr
{
    public string Value { get; } = value;

    public override string ToString() => Value;
}

internal sealed class Wildcard : SqlExpr
{
    public List<SqlField> Replace { get; } = [];
    public List<string> Except { get; } = [];

    public override string ToString() => "*";
}

internal sealed class FieldRef(string streamName, string name) : SqlExpr
{
    public const string DefaultStream = "$$default";

    public string StreamName { get; } = streamName;
    public string Name { get; } = name;

    public override string ToString() => StreamName + "." + Name;
}

internal sealed class MetaRef(string streamName, string name) : SqlExpr
{
    public string StreamName { get; } = streamName;
    public string Name { get; } = name;

    public override string ToString() => "metaRef:{ streamName:" + StreamName + ", fieldName:" + Name + " }";
}

internal sealed class JsonFieldRef(string name) : SqlExpr
{
    public string Name { get; } = name;

    public override string ToString() => "jsonFieldName:" + Name;
}

internal sealed class ColFuncField(string name, SqlExpr expr) : SqlExpr
{
    public string Name { get; } = name;
    public SqlExpr Expr { get; } = expr;

    public override string ToString()
    {
        var e = Name.Length > 0 ? "name: " + Name + ", " : "";
        return "colFuncField:{ " + e + "expr:{ " + Expr + " } }";
    }
}

internal sealed class BinaryExpr(SqlToken op, SqlExpr? lhs, SqlExpr? rhs) : SqlExpr
{
    public SqlToken Op { get; } = op;
    public SqlExpr? Lhs { get; } = lhs;
    public SqlExpr? Rhs { get; set; } = rhs;

    public override string ToString()
    {
        // Operator chains (a+b+c+...) nest as deep as they are long.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (Lhs is null || Rhs is null)
        {
            return "";
        }
        var t = Op.Text();
        return t == "[]"
            ? "binaryExpr:{ " + Lhs + "[" + Rhs + "] }"
            : "binaryExpr:{ " + Lhs + " " + t + " " + Rhs + " }";
    }
}

internal sealed class BetweenExpr(SqlExpr lower, SqlExpr higher) : SqlExpr
{
    public SqlExpr Lower { get; } = lower;
    public SqlExpr Higher { get; } = higher;

    public override string ToString() => "betweenExpr:{ " + Lower + ", " + Higher + " }";
}

internal sealed class LikePattern(SqlExpr expr, string? regex) : SqlExpr
{
    public SqlExpr Expr { get; } = expr;

    /// <summary>The compiled regular expression text; null when the pattern is not a string literal.</summary>
    public string? Regex { get; } = regex;

    public override string ToString() => "likePattern:" + Regex;
}

internal sealed class ValueSetExpr : SqlExpr
{
    public List<SqlExpr> Literals { get; } = [];

    public override string ToString() =>
        "valueSetExpr:{ " + (Literals.Count > 0 ? "literalExprs:[" + string.Join(", ", Literals) + "]" : "") + " }";
}

internal sealed class WhenClause(SqlExpr condition, SqlExpr result)
{
    public SqlExpr Condition { get; } = condition;
    public SqlExpr Result { get; } = result;

    public override string ToString() => "whenClause:{ " + Condition + " }";
}

internal sealed class CaseExpr : SqlExpr
{
    public SqlExpr? Value { get; set; }
    public List<WhenClause> Whens { get; } = [];
    public SqlExpr? Else { get; set; }

    public override string ToString()
    {
        var sb = new StringBuilder("caseExprValue:{ ");
        if (Value is not null)
        {
            sb.Append("value:{ ").Append(Value).Append(" }");
        }
        if (Whens.Count > 0)
        {
            if (Value is not null)
            {
                sb.Append(", ");
            }
            sb.Append("whenClauses:[");
            sb.Append(string.Join(", ", Whens.Select(w => "{ " + w + " }")));
            sb.Append(']');
        }
        return sb.Append(" }").ToString();
    }
}

internal sealed class SqlSortField(string name, string? streamName, bool ascending, SqlExpr expr)
{
    public string Name { get; } = name;
    public string? StreamName { get; } = streamName;
    public bool Ascending { get; set; } = ascending;
    public SqlExpr Expr { get; } = expr;
}

internal sealed class CallExpr(string name, SqlFunctionType type, List<SqlExpr> args) : SqlExpr
{
    public string Name { get; } = name;
    public SqlFunctionType Type { get; } = type;
    public List<SqlExpr> Args { get; } = args;
    public List<SqlExpr>? Partition { get; set; }
    public List<SqlSortField> SortFields { get; } = [];
    public SqlExpr? When { get; set; }

    public override string ToString()
    {
        var args = Args.Count > 0 ? ", args:[" + string.Join(", ", Args) + "]" : "";
        var when = When is not null ? ", when:{ " + When + " }" : "";
        return "Call:{ name:" + Name + args + when + " }";
    }
}

internal enum SqlWindowType
{
    NotWindow,
    Tumbling,
    Hopping,
    Sliding,
    Session,
    Count,
    State,
}

internal sealed class WindowExpr(string name, SqlWindowType type) : SqlExpr
{
    /// <summary>The (lower-case) window function name as written, e.g. <c>tumblingwindow</c>.</summary>
    public string Name { get; } = name;
    public SqlWindowType Type { get; } = type;
    public TimeLiteral? TimeUnit { get; set; }
    public IntegerLiteral? Length { get; set; }
    public IntegerLiteral? Interval { get; set; }
    public SqlExpr? SingleCondition { get; set; }
    public SqlExpr? BeginCondition { get; set; }
    public SqlExpr? EmitCondition { get; set; }
    public SqlExpr? Filter { get; set; }
    public SqlExpr? TriggerCondition { get; set; }
    public List<SqlExpr>? Partition { get; set; }

    public override string ToString()
    {
        var typeName = Type switch
        {
            SqlWindowType.NotWindow => "NOT_WINDOW",
            SqlWindowType.Tumbling => "TUMBLING_WINDOW",
            SqlWindowType.Hopping => "HOPPING_WINDOW",
            SqlWindowType.Sliding => "SLIDING_WINDOW",
            SqlWindowType.Session => "SESSION_WINDOW",
            SqlWindowType.Count => "COUNT_WINDOW",
            _ => "",
        };
        var unit = TimeUnit is not null ? ", timeUnit: " + TimeUnit + " " : "";
        var filter = Filter is not null ? ", " + Filter : "";
        return "window:{ windowType:" + typeName + unit + filter + " }";
    }
}

internal sealed class SqlField(SqlExpr expr, string name, string? alias)
{
    public SqlExpr Expr { get; } = expr;
    public string Name { get; } = name;
    public string? Alias { get; } = alias;
}

internal sealed class SqlJoin(string name, string? alias, SqlJoinType type, SqlExpr? on)
{
    public string Name { get; } = name;
    public string? Alias { get; } = alias;
    public SqlJoinType Type { get; } = type;
    public SqlExpr? On { get; } = on;
}

internal sealed class SelectStatement
{
    public List<SqlField> Fields { get; } = [];
    public string SourceName { get; set; } = "";
    public string? SourceAlias { get; set; }
    public List<SqlJoin> Joins { get; } = [];
    public SqlExpr? Condition { get; set; }
    public List<SqlExpr> Dimensions { get; } = [];
    public SqlExpr? Having { get; set; }
    public List<SqlSortField> SortFields { get; } = [];
    public long? Limit { get; set; }
}
