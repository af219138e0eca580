using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Artefacts;

/// <summary>
/// Artefact partitions store the records the stager made (checked and fetched already); export shows their
/// install descriptors.
/// </summary>
public sealed class ArtefactRules(ResourceKind kind) : IResourceRules
{
    public ResourceKind Kind => kind;

    public string AlreadyExists(string name) => kind == ResourceKind.Service ? $"service {name} exist" : $"{kind.BundleKey()} {name} already exists";

    public string NotFound(string name) => $"{kind.BundleKey()} {name} is not found";

    public Validated Validate(string name, string definition, string? current, ValidationContext context)
    {
        if (ArtefactRecord.Parse(definition) is null)
            return Validated.Refuse($"{kind.BundleKey()} {name} was not staged: import it through /data/import");
        if (current is not null && context.Upsert && kind == ResourceKind.Service) return Validated.Refuse(AlreadyExists(name));
        if (current is not null && context.Upsert && kind.InstallOnlyIfAbsent()) return Validated.Store(current);
        return Validated.Store(definition);
    }

    public string Exported(string stored) => ArtefactRecord.Parse(stored)?.Descriptor ?? stored;
}
