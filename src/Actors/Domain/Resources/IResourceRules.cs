using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Resources;

/// <summary>
/// The domain rules of one resource kind: how a definition from a bundle is checked and turned into what is
/// stored. Pure: no I/O, no actor state.
/// </summary>
public interface IResourceRules
{
    ResourceKind Kind { get; }

    /// <param name="name">the bundle key</param>
    /// <param name="definition">the bundle value</param>
    /// <param name="current">what is stored under that name now; null when absent or when a full import replaces everything</param>
    /// <param name="context">what the check needs from other kinds</param>
    Validated Validate(string name, string definition, string? current, ValidationContext context);

    /// <summary>Why a create failed: the name is taken.</summary>
    string AlreadyExists(string name);

    /// <summary>Why a delete failed: nothing has the name.</summary>
    string NotFound(string name);

    /// <summary>What export shows for a stored definition (artefacts store more than their descriptor).</summary>
    string Exported(string stored) => stored;

    /// <summary>True when <see cref="Exported"/> is the stored text itself: an export then need not copy the section.</summary>
    bool ExportsAsStored => true;
}

/// <summary>The definition to store, the reason it was refused, or neither: the resource is to be removed.</summary>
public readonly record struct Validated(string? Stored, string? Error)
{
    public static Validated Store(string stored) => new(stored, null);

    public static Validated Refuse(string error) => new(null, error);

    /// <summary>Valid, and what remains is nothing (a config whose last confKey was deleted).</summary>
    public static readonly Validated Remove = new(null, null);
}
