using System.Text.RegularExpressions;
using Kuiper.Actors.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Streams;

/// <summary>TEMPORARY: name check only, until the DDL parser lands.</summary>
public sealed partial class StreamResourceRules(ResourceKind kind) : IResourceRules
{
    public ResourceKind Kind => kind;

    public Validated Validate(string name, string definition, string? current)
    {
        var m = Head().Match(definition);
        if (!m.Success) return Validated.Refuse($"Invalid {(kind == ResourceKind.Streams ? "stream" : "table")} statement: {definition}");
        if (m.Groups[2].Value != name) return Validated.Refuse($"Replace {name} fails: the sql statement must update the {name} source.");
        return Validated.Store(definition);
    }

    [GeneratedRegex(@"^\s*CREATE\s+(STREAM|TABLE)\s+(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex Head();
}
