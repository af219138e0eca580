namespace Kuiper.Domain.Sql;

/// <summary>Argument checks and construction of eKuiper's GROUP BY window functions.</summary>
internal static class WindowValidation
{
    /// <summary>Returns the window type for a window function name (NotWindow otherwise); throws on bad arguments.</summary>
    public static SqlWindowType Validate(string name, IReadOnlyList<SqlExpr> args)
    {
        switch (name)
        {
            case "statewindow":
                if (args.Count is not (1 or 2))
                {
                    throw new SqlParseException($"The arguments for {name} should be 1 or 2.\n");
                }
                return SqlWindowType.State;
            case "tumblingwindow":
                CheckTimeWindow(name, 2, args);
                return SqlWindowType.Tumbling;
            case "hoppingwindow":
                CheckTimeWindow(name, 3, args);
                return SqlWindowType.Hopping;
            case "sessionwindow":
                CheckTimeWindow(name, 3, args);
                return SqlWindowType.Session;
            case "slidingwindow":
                if (args.Count is not (2 or 3))
                {
                    throw new SqlParseException($"The arguments for {name} should be 2 or 3.\n");
                }
                CheckTimeWindow(name, args.Count, args);
                return SqlWindowType.Sliding;
            case "countwindow":
                CheckCountWindow(args);
                return SqlWindowType.Count;
            default:
                return SqlWindowType.NotWindow;
        }
    }

    private static void CheckTimeWindow(string name, int expected, IReadOnlyList<SqlExpr> args)
    {
        if (args.Count != expected)
        {
            throw new SqlParseException($"The arguments for {name} should be {expected}.\n");
        }
        if (args[0] is not TimeLiteral)
        {
            throw new SqlParseException(
                $"The 1st argument for {name} is expecting timer literal expression. One value of [dd|hh|mi|ss|ms].\n");
        }
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] is not IntegerLiteral)
            {
                throw new SqlParseException($"The {i} argument for {name} is expecting interger literal expression. \n");
            }
        }
    }

    private static void CheckCountWindow(IReadOnlyList<SqlExpr> args)
    {
        switch (args.Count)
        {
            case 1:
                if (args[0] is not IntegerLiteral { Value: > 0 })
                {
                    throw new SqlParseException($"Invalid parameter value {args[0]}.");
                }
                return;
            case 2:
                if (args[0] is IntegerLiteral length && args[1] is IntegerLiteral interval)
                {
                    if (length.Value < interval.Value)
                    {
                        throw new SqlParseException(
                            $"The second parameter value {interval.Value} should be less than the first parameter {length.Value}.");
                    }
                    return;
                }
                throw new SqlParseException($"Invalid parameter value {args[0]}, {args[1]}.");
            default:
                throw new SqlParseException("Invalid parameter count.");
        }
    }

    /// <summary>Builds the window from validated arguments.</summary>
    public static WindowExpr Build(string name, SqlWindowType type, IReadOnlyList<SqlExpr> args)
    {
        var window = new WindowExpr(name, type);
        switch (type)
        {
            case SqlWindowType.State:
                if (args.Count == 2)
                {
                    window.BeginCondition = args[0];
                    window.EmitCondition = args[1];
                }
                else
                {
                    window.SingleCondition = args[0];
                }
                break;
            case SqlWindowType.Count:
                window.Length = (IntegerLiteral)args[0];
                window.Interval = args.Count == 2 ? (IntegerLiteral)args[1] : null;
                break;
            default:
                window.TimeUnit = (TimeLiteral)args[0];
                window.Length = (IntegerLiteral)args[1];
                // For a sliding window the third argument is a delay, for the others an interval.
                window.Interval = args.Count > 2 && type != SqlWindowType.Sliding ? (IntegerLiteral)args[2] : new IntegerLiteral(0);
                break;
        }
        return window;
    }
}
