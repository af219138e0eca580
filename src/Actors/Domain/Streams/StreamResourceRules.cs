using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Streams;

/// <summary>
/// Streams and tables, as eKuiper's import replaces them: the statement must parse as a CREATE of the right
/// kind for the key it is stored under, and replacing an existing one must keep SHARED and raise the version.
/// The statement is stored verbatim.
/// </summary>
public sealed class StreamResourceRules(ResourceKind kind) : IResourceRules
{
    private readonly StreamKind _kind = kind == ResourceKind.Tables ? StreamKind.Table : StreamKind.Stream;

    public ResourceKind Kind => kind;

    public string AlreadyExists(string name) => $"Create {StreamDefinition.KindWord(_kind)} fails: Item {name} already exists.";

    public string NotFound(string name) => $"{StreamDefinition.KindWord(_kind)} {name} is not found";

    public Validated Validate(string name, string definition, string? current, ValidationContext context)
    {
        var parsed = StreamStatementParser.ParseForKind(definition, _kind);
        if (parsed.Error is { } error) return Validated.Refuse(error);

        var existing = current is null ? null : StreamStatementParser.ParseForKind(current, _kind).Definition;
        return StreamReplaceRules.Check(name, parsed.Definition!, existing) is { } refused
            ? Validated.Refuse(refused)
            : Validated.Store(definition);
    }
}
