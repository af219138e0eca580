namespace Kuiper.Node.Http;

/// <summary><c>partial</c> and <c>stop</c>: <c>1</c> or <c>true</c> in any case means on (DECISIONS.md 7).</summary>
public static class QueryFlags
{
    public static bool IsOn(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase);
    }
}
