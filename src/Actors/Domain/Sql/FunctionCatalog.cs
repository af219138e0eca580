namespace Kuiper.Domain.Sql;

/// <summary>
/// Name resolution for function calls, in eKuiper's order: window functions and built-ins are matched
/// case-insensitively and normalised to lower case; anything else goes to the optional external resolver
/// (plugin, service and script functions are case-sensitive in eKuiper) and keeps its written name.
/// </summary>
internal sealed class FunctionCatalog(Func<string, SqlFunctionType?>? resolveExternal)
{
    private readonly Dictionary<string, SqlFunctionType> _external = new(StringComparer.Ordinal);

    public bool TryResolve(string written, out string name, out SqlFunctionType type)
    {
        var lower = written.ToLowerInvariant();
        if (BuiltinFunctions.WindowNames.Contains(lower))
        {
            name = lower;
            type = SqlFunctionType.Unknown;
            return true;
        }
        if (BuiltinFunctions.TryGet(lower, out type))
        {
            name = lower;
            return true;
        }
        name = written;
        if (resolveExternal is null)
        {
            type = SqlFunctionType.Scalar;
            _external[written] = type;
            return true;
        }
        if (resolveExternal(written) is { } resolved)
        {
            type = resolved;
            _external[written] = type;
            return true;
        }
        type = SqlFunctionType.Unknown;
        return false;
    }

    /// <summary>The built-in argument check for a resolved name; external functions are not checked here.</summary>
    public string? Validate(string name, IReadOnlyList<SqlExpr> args) => BuiltinFunctions.Validate(name, args);

    public bool IsAggregate(string name) =>
        BuiltinFunctions.TryGet(name, out var type)
            ? type == SqlFunctionType.Aggregate
            : _external.TryGetValue(name, out type) && type == SqlFunctionType.Aggregate;
}
