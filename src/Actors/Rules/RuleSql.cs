using System.Text.RegularExpressions;

namespace Kuiper.Actors.Rules;

/// <summary>TEMPORARY: FROM/JOIN names by pattern, until the SELECT analyzer lands.</summary>
public static partial class RuleSql
{
    public static IReadOnlyList<string> Sources(string sql) =>
        FromOrJoin().Matches(sql).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"\b(?:FROM|JOIN)\s+`?(\w+)`?", RegexOptions.IgnoreCase)]
    private static partial Regex FromOrJoin();
}
