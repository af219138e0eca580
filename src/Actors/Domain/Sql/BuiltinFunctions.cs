using Kuiper.Domain.Sql;
using Args = System.Collections.Generic.IReadOnlyList<Kuiper.Domain.Sql.SqlExpr>;

namespace Kuiper.Domain.Sql;

/// <summary>
/// eKuiper's built-in functions: their type and the argument checks the parser runs on them
/// (<c>validate function &lt;name&gt; error: ...</c>). Names are lower case; the parser lower-cases
/// a call name before looking it up here.
/// </summary>
internal static class BuiltinFunctions
{
    private sealed record Entry(SqlFunctionType Type, Func<Args, string?> Validate);

    /// <summary>Window functions handled by the parser itself (case-insensitive names).</summary>
    public static readonly IReadOnlySet<string> WindowNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "tumblingwindow", "hoppingwindow", "sessionwindow", "slidingwindow", "countwindow", "statewindow", "dedup_trigger",
    };

    /// <summary>Functions that accept <c>OVER (PARTITION BY ... WHEN ...)</c>.</summary>
    public static readonly IReadOnlySet<string> AnalyticNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "lag", "changed_col", "had_changed", "latest", "acc_sum", "acc_min", "acc_max", "acc_avg", "acc_count",
    };

    /// <summary>Functions that accept <c>OVER (PARTITION BY ... ORDER BY ...)</c>.</summary>
    public static readonly IReadOnlySet<string> OverWindowNames = new HashSet<string>(StringComparer.Ordinal) { "row_number" };

    private static readonly Dictionary<string, Entry> Entries = Build();

    public static bool TryGet(string lowerName, out SqlFunctionType type)
    {
        if (Entries.TryGetValue(lowerName, out var entry))
        {
            type = entry.Type;
            return true;
        }
        type = SqlFunctionType.Unknown;
        return false;
    }

    /// <summary>Runs the built-in argument check; returns eKuiper's message or null.</summary>
    public static string? Validate(string lowerName, Args args) =>
        Entries.TryGetValue(lowerName, out var entry) ? entry.Validate(args) : null;

    public static IEnumerable<string> Names => Entries.Keys;

    // ---- argument classification (pkg/ast/funcArgsValidator.go) ----

    internal static bool IsNumeric(SqlExpr e) => e is NumberLiteral or IntegerLiteral;
    internal static bool IsInteger(SqlExpr e) => e is IntegerLiteral;
    internal static bool IsFloat(SqlExpr e) => e is NumberLiteral;
    internal static bool IsString(SqlExpr e) => e is StringLiteral;
    internal static bool IsTime(SqlExpr e) => e is TimeLiteral;
    internal static bool IsFieldRef(SqlExpr e) => e is FieldRef;

    internal static bool IsBoolean(SqlExpr e) => e switch
    {
        BooleanLiteral => true,
        BinaryExpr b => b.Op is SqlToken.And or SqlToken.Or or SqlToken.Eq or SqlToken.Neq or SqlToken.Lt or SqlToken.Lte
            or SqlToken.Gt or SqlToken.Gte or SqlToken.Between or SqlToken.NotBetween or SqlToken.In or SqlToken.NotIn
            or SqlToken.Like or SqlToken.NotLike,
        _ => false,
    };

    // ---- shared validators (internal/binder/function/validator_funcs.go) ----

    private static string TypeError(int index, string expect) => $"Expect {expect} type for parameter {index + 1}";

    private static string? Len(int expected, int actual) =>
        actual != expected ? $"Expect {expected} arguments but found {actual}." : null;

    private static string? AtLeast(int min, int actual) =>
        actual < min ? $"At least has {min} argument but found {actual}." : null;

    private static bool NotNumber(SqlExpr e) => IsString(e) || IsTime(e) || IsBoolean(e);
    private static bool NotInt(SqlExpr e) => IsFloat(e) || IsString(e) || IsTime(e) || IsBoolean(e);
    private static bool NotString(SqlExpr e) => IsNumeric(e) || IsTime(e) || IsBoolean(e);
    private static bool NotDatetime(SqlExpr e) => IsNumeric(e) || IsString(e) || IsBoolean(e);

    private static string? NoArg(Args a) => Len(0, a.Count);
    private static string? OneArg(Args a) => Len(1, a.Count);

    private static string? OneNumber(Args a) =>
        Len(1, a.Count) ?? (NotNumber(a[0]) ? TypeError(0, "number - float or int") : null);

    private static string? TwoNumbers(Args a) =>
        Len(2, a.Count)
        ?? (NotNumber(a[0]) ? TypeError(0, "number - float or int") : null)
        ?? (NotNumber(a[1]) ? TypeError(1, "number - float or int") : null);

    private static string? TwoInts(Args a) =>
        Len(2, a.Count)
        ?? (NotInt(a[0]) ? TypeError(0, "int") : null)
        ?? (NotInt(a[1]) ? TypeError(1, "int") : null);

    internal static string? TwoStrings(Args a) =>
        Len(2, a.Count)
        ?? (NotString(a[0]) ? TypeError(0, "string") : null)
        ?? (NotString(a[1]) ? TypeError(1, "string") : null);

    private static string? OneString(Args a) => Len(1, a.Count) ?? (NotString(a[0]) ? TypeError(0, "string") : null);

    private static string? OneStringOneInt(Args a) =>
        Len(2, a.Count)
        ?? (NotString(a[0]) ? TypeError(0, "string") : null)
        ?? (NotInt(a[1]) ? TypeError(1, "int") : null);

    private static string? JsonPath(Args a) => Len(2, a.Count) ?? (!IsString(a[1]) ? TypeError(1, "string") : null);

    private static string? OneDatetime(Args a) => Len(1, a.Count) ?? (NotDatetime(a[0]) ? TypeError(0, "datetime") : null);

    private static string? OneOrThree(Args a) =>
        a.Count is not (1 or 3) ? $"Expect 1/3 arguments but found {a.Count}." : null;

    private static string? TwoOrThree(Args a) =>
        a.Count is not (2 or 3) ? $"Expect two or three arguments but found {a.Count}." : null;

    private static string? ValueAndBool(Args a) => Len(2, a.Count) ?? (!IsBoolean(a[1]) ? TypeError(1, "bool") : null);

    private static string? Fsp(Args a)
    {
        if (a.Count < 1)
        {
            return null;
        }
        if (a.Count > 1)
        {
            return "too many arguments";
        }
        return !IsInteger(a[0]) ? TypeError(0, "int") : null;
    }

    private static string? Any(Args a) => null;

    private static Dictionary<string, Entry> Build()
    {
        var d = new Dictionary<string, Entry>(StringComparer.Ordinal);

        void Add(SqlFunctionType type, Func<Args, string?> validate, params string[] names)
        {
            foreach (var name in names)
            {
                d.Add(name, new Entry(type, validate));
            }
        }

        const SqlFunctionType scalar = SqlFunctionType.Scalar;
        const SqlFunctionType agg = SqlFunctionType.Aggregate;

        // accumulate (funcs_acc.go)
        Add(scalar, OneOrThree, "acc_avg", "acc_max", "acc_min", "acc_sum", "acc_count");

        // aggregates (funcs_agg.go)
        Add(agg, OneNumber, "median", "avg", "max", "min", "sum", "stddev", "stddevs", "var", "vars");
        Add(agg, OneArg, "count", "collect", "merge_agg");
        Add(agg, ValueAndBool, "deduplicate", "last_value");
        Add(agg, TwoNumbers, "percentile_cont", "percentile_disc");

        // analytic (funcs_analytic.go)
        Add(scalar, a => Len(2, a.Count)
            ?? (IsNumeric(a[0]) || IsTime(a[0]) || IsString(a[0]) ? TypeError(0, "boolean") : null), "changed_col");
        Add(scalar, a => a.Count <= 1
            ? $"expect more than one arg but got {a.Count}"
            : IsNumeric(a[0]) || IsTime(a[0]) || IsString(a[0]) ? TypeError(0, "bool") : null, "had_changed");
        Add(scalar, Lag, "lag");
        Add(scalar, a => a.Count is not (1 or 2) ? $"expect one or two args but got {a.Count}" : null, "latest");

        // arrays (funcs_array.go)
        Add(scalar, Any, "array_create");
        Add(scalar, a => Len(2, a.Count), "array_position", "element_at", "array_contains", "array_remove",
            "array_last_position", "array_contains_any", "array_intersect", "array_union", "array_except", "repeat", "array_map");
        Add(scalar, a => Len(1, a.Count), "array_max", "array_min", "array_cardinality", "array_flatten", "array_distinct",
            "array_shuffle", "array_sort");
        Add(scalar, TwoOrThree, "sequence", "array_join");
        Add(scalar, a => AtLeast(1, a.Count), "array_concat");
        Add(scalar, OneArg, "kvpair_array_to_obj");

        // columns (funcs_cols.go)
        Add(SqlFunctionType.Columns, a => a.Count <= 2
            ? $"expect more than two args but got {a.Count}"
            : NotString(a[0]) ? TypeError(0, "string")
            : IsNumeric(a[1]) || IsTime(a[1]) || IsString(a[1]) ? TypeError(1, "bool") : null, "changed_cols");

        // date and time (funcs_datetime.go)
        Add(scalar, Fsp, "now", "cur_time");
        Add(scalar, NoArg, "cur_date");
        Add(scalar, a => Len(2, a.Count)
            ?? (NotDatetime(a[0]) ? TypeError(0, "datetime") : null)
            ?? (NotString(a[1]) ? TypeError(1, "string") : null), "format_time", "convert_tz");
        Add(scalar, a => Len(2, a.Count)
            ?? (NotDatetime(a[0]) ? TypeError(0, "datetime") : null)
            ?? (!IsString(a[1]) ? TypeError(1, "string") : null), "date_calc");
        // eKuiper reports parameter 1 for a bad second argument of date_diff.
        Add(scalar, a => Len(2, a.Count)
            ?? (NotDatetime(a[0]) ? TypeError(0, "datetime") : null)
            ?? (NotDatetime(a[1]) ? TypeError(0, "datetime") : null), "date_diff");
        Add(scalar, OneDatetime, "day_name", "day_of_month", "day_of_week", "day_of_year", "hour", "last_day",
            "microsecond", "minute", "month", "second");
        // eKuiper reports parameter 2 for month_name's only argument.
        Add(scalar, a => Len(1, a.Count) ?? (NotDatetime(a[0]) ? TypeError(1, "datetime") : null), "month_name");
        Add(scalar, a => Len(1, a.Count) ?? (NotDatetime(a[0]) ? TypeError(0, "int") : null), "from_days", "from_unix_time");

        // global state (funcs_global_state.go)
        Add(scalar, NoArg, "last_hit_count", "last_hit_time");
        Add(agg, NoArg, "last_agg_hit_count", "last_agg_hit_time");

        // incremental aggregates (funcs_inc_agg.go)
        Add(scalar, OneArg, "inc_count");
        Add(scalar, OneNumber, "inc_avg", "inc_max", "inc_min", "inc_sum", "inc_merge_agg", "inc_collect");
        Add(scalar, TwoNumbers, "inc_last_value");

        // math (funcs_math.go)
        Add(scalar, OneNumber, "abs", "acos", "asin", "atan", "ceiling", "cos", "cosh", "exp", "floor", "ln", "sign",
            "sin", "sinh", "sqrt", "tan", "tanh", "cot", "radians", "degrees");
        Add(scalar, TwoNumbers, "atan2", "mod", "power");
        Add(scalar, TwoInts, "bitand", "bitor", "bitxor");
        Add(scalar, a => Len(1, a.Count) ?? (NotInt(a[0]) ? TypeError(0, "int") : null), "bitnot");
        Add(scalar, a => a.Count is not (1 or 2)
            ? "Expect 1 or 2 arguments only"
            : NotNumber(a[0]) ? TypeError(0, "number - float or int") : null, "log");
        Add(scalar, a => a.Count is not (1 or 2)
            ? "Expect 1 or 2 arguments only"
            : NotNumber(a[0]) ? TypeError(0, "number - float or int")
            : a.Count == 2 && NotNumber(a[1]) ? TypeError(1, "number - float or int") : null, "round");
        Add(scalar, NoArg, "pi", "rand");
        Add(scalar, a => Len(3, a.Count)
            ?? (!IsInteger(a[1]) ? TypeError(1, "integer") : null)
            ?? (!IsInteger(a[2]) ? TypeError(2, "integer") : null), "conv");

        // miscellaneous (funcs_misc.go)
        Add(scalar, Any, "bypass");
        Add(scalar, OneString, "props", "parse_json", "md5", "sha1", "sha256", "sha384", "sha512", "crc32", "hex2dec", "dec2hex");
        Add(scalar, Cast, "cast");
        Add(scalar, OneArg, "to_seconds", "to_json", "isnull", "cardinality");
        Add(scalar, a => Len(1, a.Count)
            ?? (IsFloat(a[0]) || IsTime(a[0]) || IsBoolean(a[0]) ? TypeError(0, "int") : null), "chr");
        Add(scalar, Codec, "encode", "decode");
        Add(scalar, a => Len(2, a.Count)
            ?? (IsTime(a[0]) || IsBoolean(a[0]) || IsString(a[0]) ? TypeError(0, "number - float or int") : null)
            ?? (NotInt(a[1]) ? TypeError(1, "int") : null), "trunc");
        Add(scalar, a => a.Count == 0 ? "The arguments should be at least one." : null, "coalesce");
        Add(scalar, NoArg, "newuuid", "tstamp", "rule_id", "rule_start", "window_trigger", "window_start", "window_end", "event_time");
        Add(scalar, Mqtt, "mqtt");
        Add(scalar, Meta, "meta");
        Add(scalar, JsonPath, "json_path_query", "json_path_query_first", "json_path_exists");
        Add(scalar, a => Len(2, a.Count) ?? (NotNumber(a[0]) ? TypeError(0, "number - float or int") : null), "delay");
        Add(scalar, KeyedState, "get_keyed_state");

        // objects (funcs_obj.go)
        Add(scalar, OneArg, "keys", "values", "zip", "items", "obj_to_kvpair_array", "object_size");
        Add(scalar, a => Len(2, a.Count), "object");
        Add(scalar, a => AtLeast(2, a.Count), "object_concat", "erase", "object_pick");
        Add(scalar, ObjectConstruct, "object_construct");

        // set-returning (funcs_srf.go)
        Add(SqlFunctionType.SetReturning, OneArg, "unnest", "extract");

        // strings (funcs_str.go)
        Add(scalar, a =>
        {
            if (a.Count == 0)
            {
                return "The arguments should be at least one.";
            }
            for (var i = 0; i < a.Count; i++)
            {
                if (NotString(a[i]))
                {
                    return TypeError(i, "string");
                }
            }
            return null;
        }, "concat");
        Add(scalar, TwoStrings, "endswith", "indexof", "regexp_matches", "regexp_substr", "startswith");
        Add(scalar, OneArg, "length");
        Add(scalar, OneString, "lower", "ltrim", "numbytes", "reverse", "rtrim", "trim", "upper");
        Add(scalar, OneStringOneInt, "lpad", "rpad");
        Add(scalar, a =>
        {
            if (Len(3, a.Count) is { } err)
            {
                return err;
            }
            for (var i = 0; i < 3; i++)
            {
                if (NotString(a[i]))
                {
                    return TypeError(i, "string");
                }
            }
            return null;
        }, "regexp_replace");
        Add(scalar, Substring, "substring");
        Add(scalar, SplitValue, "split_value");
        Add(scalar, a => AtLeast(2, a.Count)
            ?? (!IsInteger(a[1]) ? TypeError(1, "integer") : null)
            ?? (a.Count == 3 && !IsString(a[2]) ? TypeError(2, "string") : null), "format");

        // window (funcs_window.go)
        Add(SqlFunctionType.Window, NoArg, "row_number");

        // stateful built-ins (funcs_trans.go)
        Add(scalar, TwoStrings, "compress", "decompress");

        return d;
    }

    private static string? Lag(Args a)
    {
        var l = a.Count;
        if (l is not (1 or 2 or 3 or 4))
        {
            return $"expect one two or three args but got {l}";
        }
        if (l >= 2)
        {
            if (IsFloat(a[1]) || IsTime(a[1]) || IsBoolean(a[1]) || IsString(a[1]) || IsFieldRef(a[1]))
            {
                return TypeError(1, "int");
            }
            if (a[1] is IntegerLiteral { Value: < 0 })
            {
                return "the index should not be a nagtive integer";
            }
        }
        if (l == 4 && (IsNumeric(a[3]) || IsTime(a[3]) || IsString(a[3])))
        {
            return TypeError(3, "bool");
        }
        return null;
    }

    private static string? Cast(Args a)
    {
        if (Len(2, a.Count) is { } err)
        {
            return err;
        }
        if (NotString(a[1]))
        {
            // eKuiper names parameter 1 here although it checks the second argument.
            return TypeError(0, "string");
        }
        if (a[1] is StringLiteral s && s.Value is not ("bigint" or "float" or "string" or "boolean" or "datetime" or "bytea"))
        {
            return "Expect one of following value for the 2nd parameter: bigint, float, string, boolean, datetime, bytea.";
        }
        return null;
    }

    private static string? Codec(Args a)
    {
        if (Len(2, a.Count) is { } err)
        {
            return err;
        }
        if (NotString(a[0]))
        {
            return TypeError(0, "string");
        }
        if (!IsString(a[1]))
        {
            return TypeError(1, "string");
        }
        return ((StringLiteral)a[1]).Value != "base64" ? "Only base64 is supported for the 2nd parameter." : null;
    }

    private static string? Mqtt(Args a)
    {
        if (Len(1, a.Count) is { } err)
        {
            return err;
        }
        if (IsInteger(a[0]) || IsTime(a[0]) || IsBoolean(a[0]) || IsString(a[0]) || IsFloat(a[0]))
        {
            return TypeError(0, "meta reference");
        }
        if (a[0] is MetaRef m && m.Name.ToLowerInvariant() is not ("topic" or "messageid"))
        {
            return "Parameter of mqtt function can be only topic or messageid.";
        }
        return null;
    }

    private static string? Meta(Args a)
    {
        if (Len(1, a.Count) is { } err)
        {
            return err;
        }
        if (a[0] is MetaRef)
        {
            return null;
        }
        var expr = a[0];
        while (expr is BinaryExpr b)
        {
            if (b.Lhs is MetaRef && b.Op == SqlToken.Arrow)
            {
                return null;
            }
            expr = b.Lhs!;
        }
        return TypeError(0, "meta reference");
    }

    private static string? KeyedState(Args a)
    {
        if (Len(3, a.Count) is { } err)
        {
            return err;
        }
        if (NotString(a[1]))
        {
            return TypeError(0, "string");
        }
        if (a[1] is StringLiteral s && s.Value is not ("bigint" or "float" or "string" or "boolean" or "datetime"))
        {
            return "expect one of following value for the 2nd parameter: bigint, float, string, boolean, datetime";
        }
        return null;
    }

    private static string? ObjectConstruct(Args a)
    {
        if (a.Count % 2 != 0)
        {
            return "the args must be key value pairs";
        }
        for (var i = 0; i < a.Count; i += 2)
        {
            if (NotString(a[i]))
            {
                return TypeError(i, "string");
            }
        }
        return null;
    }

    private static string? Substring(Args a)
    {
        var l = a.Count;
        if (l is not (2 or 3))
        {
            return "the arguments for substring should be 2 or 3";
        }
        if (NotString(a[0]))
        {
            return TypeError(0, "string");
        }
        for (var i = 1; i < l; i++)
        {
            if (NotInt(a[i]))
            {
                return TypeError(i, "int");
            }
        }
        if (a[1] is IntegerLiteral start)
        {
            if (start.Value < 0)
            {
                return "The start index should not be a nagtive integer.";
            }
            if (l == 3 && a[2] is IntegerLiteral end && end.Value < start.Value)
            {
                return "The end index should be larger than start index.";
            }
        }
        return null;
    }

    private static string? SplitValue(Args a)
    {
        if (a.Count != 3)
        {
            return "the arguments for split_value should be 3";
        }
        if (NotString(a[0]))
        {
            return TypeError(0, "string");
        }
        if (NotString(a[1]))
        {
            return TypeError(1, "string");
        }
        if (NotInt(a[2]))
        {
            return TypeError(2, "int");
        }
        return a[2] is IntegerLiteral { Value: < 0 } ? "The index should not be a nagtive integer." : null;
    }
}
