namespace Kuiper.Actors.Resources;

/// <summary>eKuiper's <c>ValidateID</c>: names of streams, tables and rules created over REST.</summary>
public static class ResourceId
{
    public static string? Check(string id)
    {
        if (id.Length == 0) return "id cannot be empty";
        if (id.Trim().Length != id.Length) return $"id '{id}' contains leading or trailing whitespace";
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return $"id '{id}' contains invalid characters: only alphanumeric, hyphens and underscores are allowed";
        return null;
    }
}
