using System.Text.RegularExpressions;

namespace Kuiper.Actors.Streams;

/// <summary>TEMPORARY: which source config a stream reads (TYPE, CONF_KEY), until the DDL parser lands.</summary>
public static partial class StreamSourceConfig
{
    public static (string Type, string ConfKey) Of(string statement)
    {
        var type = Option(statement, "TYPE");
        var confKey = Option(statement, "CONF_KEY");
        return (type.Length == 0 ? "mqtt" : type, confKey.Length == 0 ? "default" : confKey);
    }

    private static string Option(string statement, string name)
    {
        foreach (Match m in Options().Matches(statement))
            if (m.Groups[1].Value.Equals(name, StringComparison.OrdinalIgnoreCase)) return m.Groups[2].Value;
        return "";
    }

    [GeneratedRegex("\\b([A-Z_]+)\\s*=\\s*\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Options();
}
