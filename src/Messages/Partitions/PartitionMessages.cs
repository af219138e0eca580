namespace Kuiper.Messages.Partitions;

using Kuiper.Messages.Resources;

/// <summary>
/// A message for one partition entity: the resources of one kind whose names hash to one partition.
/// The partition, not the resource, is the unit of persistence (one event per batch).
/// </summary>
public interface IPartitionCommand : IKuiperMessage
{
    ResourceKind Kind { get; }
    int Partition { get; }
}

/// <summary>One resource of a batch: its name (the bundle key) and its definition text.</summary>
public sealed record ResourceItem(string Name, string Definition);

/// <summary>
/// Validate and store a batch. <paramref name="ReplaceAll"/> (full import) drops every resource of the
/// partition that the batch does not carry. <paramref name="BatchId"/> makes a retried batch idempotent:
/// the partition answers a batch it has already applied with the same result. <paramref name="Context"/>
/// carries what validation needs from other kinds. <paramref name="CheckOnly"/>: decide every item exactly as an
/// apply would, answer with the errors and what would change, and change nothing. Replies <see cref="BatchApplied"/>.
/// </summary>
public sealed record ApplyBatch(
    ResourceKind Kind,
    int Partition,
    string BatchId,
    bool ReplaceAll,
    IReadOnlyList<ResourceItem> Items,
    ValidationContext? Context = null,
    BatchOperation Operation = BatchOperation.Upsert,
    bool CheckOnly = false) : IPartitionCommand;

/// <summary>What a batch does to each of its items.</summary>
public enum BatchOperation
{
    /// <summary>Store, replacing what is there (imports, PUT).</summary>
    Upsert,

    /// <summary>Store only if nothing has the name yet (POST).</summary>
    Create,

    /// <summary>Remove; the definition is ignored (DELETE).</summary>
    Delete,

    /// <summary>
    /// Store a definition derived from the stored one (a rule's start/stop rewrites <c>triggered</c>): validated,
    /// but not ordered by version against the definition it came from.
    /// </summary>
    Set,
}

/// <summary>
/// What a partition cannot know on its own. <paramref name="KnownSources"/>: the streams and tables a rule may
/// read (stored, or imported earlier in the same import); null when rules are checked without them, as on a
/// full import. <paramref name="Upsert"/>: the rule takes eKuiper's upsert path (partial import, REST) rather
/// than the full-import path.
/// </summary>
public sealed record ValidationContext(IReadOnlyCollection<string>? KnownSources, bool Upsert = false)
{
    public static readonly ValidationContext None = new((IReadOnlyCollection<string>?)null);
}

/// <summary>
/// The result of a batch: the items that failed and why; every other item is stored. <paramref name="JournalFailure"/>
/// is set when the journal did not take the batch at all: then every item is in <paramref name="Errors"/>.
/// <paramref name="SequenceNr"/>: the partition's journal position after the batch.
/// </summary>
public sealed record BatchApplied(
    ResourceKind Kind,
    int Partition,
    string BatchId,
    IReadOnlyDictionary<string, string> Errors,
    string? JournalFailure = null,
    BatchChanges? Changes = null,
    long SequenceNr = 0) : IKuiperMessage;

/// <summary>Replies <see cref="PartitionPosition"/>: how many events the partition has written.</summary>
public sealed record GetPartitionPosition(ResourceKind Kind, int Partition) : IPartitionCommand;

/// <summary>
/// A partition's position in the journal: replaying its events up to <paramref name="SequenceNr"/> gives its
/// resources as they were then (the import history's restore reads configurations that way).
/// </summary>
public sealed record PartitionPosition(ResourceKind Kind, int Partition, long SequenceNr) : IKuiperMessage;

/// <summary>What a checked batch would do to its partition, by resource name (the answer to a check-only batch).</summary>
public sealed record BatchChanges(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Unchanged);

/// <summary>Replies <see cref="PartitionContents"/>.</summary>
public sealed record GetPartitionContents(ResourceKind Kind, int Partition) : IPartitionCommand;

public sealed record PartitionContents(
    ResourceKind Kind,
    int Partition,
    IReadOnlyDictionary<string, string> Resources) : IKuiperMessage;

/// <summary>Sent by sharding to stop an entity on hand-off; unlike PoisonPill it queues behind pending commands.</summary>
public sealed record StopPartition : IKuiperMessage
{
    public static readonly StopPartition Instance = new();
}
