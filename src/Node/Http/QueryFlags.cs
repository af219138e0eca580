using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary><c>partial</c> and <c>stop</c>: <c>1</c> or <c>true</c> in any case means on (docs/decisions.md#query-flags).</summary>
public static class QueryFlags
{
    public static bool IsOn(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The options of an import, synchronous or async: <c>partial</c>, <c>stop</c>, and ours, <c>atomic</c> (apply only if
    /// every item would succeed, docs/decisions.md#atomic-and-dry-run) and <c>dryRun</c> (every check, nothing changed; it wins over atomic).
    /// </summary>
    public static (ImportMode Mode, ImportApply Apply, bool Stop) ImportOptions(HttpRequest request) =>
        (IsOn(request, "partial") ? ImportMode.Partial : ImportMode.Full,
            IsOn(request, "dryRun") ? ImportApply.Never
            : IsOn(request, "atomic") ? ImportApply.OnlyIfAllSucceed
            : ImportApply.Always,
            IsOn(request, "stop"));
}
