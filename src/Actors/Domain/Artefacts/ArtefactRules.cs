using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Artefacts;

/// <summary>
/// Artefact partitions store the records the stager made (checked, fetched, and sorted by the partial-import
/// policy of <see cref="ResourceKinds"/> already); export shows their install descriptors.
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
        return Validated.Store(definition);
    }

    public string Exported(string stored) => ArtefactRecord.Parse(stored)?.Descriptor ?? stored;

    public bool ExportsAsStored => false;
}
