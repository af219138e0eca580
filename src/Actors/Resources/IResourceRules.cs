using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Resources;

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
}

/// <summary>Either the definition to store or the reason it was refused.</summary>
public readonly record struct Validated(string? Stored, string? Error)
{
    public static Validated Store(string stored) => new(stored, null);

    public static Validated Refuse(string error) => new(null, error);
}
