using Kuiper.Domain.Resources;
using Kuiper.Domain.Secrets;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Partitions;

/// <summary>
/// The state of one partition entity and its pure decision function:
/// <c>state + ApplyBatch -> BatchStored</c>, <c>state + BatchStored -> state</c>.
/// </summary>
public sealed class PartitionState
{
    /// <summary>How many batch outcomes are remembered, so that a retried batch is answered, not re-applied.</summary>
    public const int RememberedBatches = 64;

    private readonly Dictionary<string, string> _resources;
    private readonly LinkedList<BatchOutcome> _recent = new();

    public PartitionState() => _resources = new Dictionary<string, string>(StringComparer.Ordinal);

    public PartitionState(PartitionSnapshot snapshot)
    {
        _resources = new Dictionary<string, string>(snapshot.Resources, StringComparer.Ordinal);
        foreach (var outcome in snapshot.RecentBatches) _recent.AddLast(outcome);
    }

    public IReadOnlyDictionary<string, string> Resources => _resources;

    public BatchOutcome? Outcome(string batchId) => _recent.FirstOrDefault(o => o.BatchId == batchId);

    public BatchStored Decide(ApplyBatch batch, IResourceRules rules)
    {
        var stored = new Dictionary<string, string>(batch.Items.Count, StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var item in batch.Items)
        {
            var result = DecideItem(batch, item, rules);
            // An error may quote what was sent: it is answered, recorded and logged, so its secrets are masked here.
            if (result.Error is { } error) errors[item.Name] = SecretText.MaskMessage(error);
            else if (result.Stored is { } definition) stored[item.Name] = definition;
            else removed.Add(item.Name);
        }
        return new BatchStored(batch.BatchId, batch.ReplaceAll, stored, errors, removed.Count > 0 ? removed : null);
    }

    /// <summary>
    /// One item's outcome. A check that throws (a bug, or an input no check foresaw) refuses that item alone: thrown
    /// out of the entity it would restart it, and the retried batch would throw again and stall the import behind it.
    /// </summary>
    private Validated DecideItem(ApplyBatch batch, ResourceItem item, IResourceRules rules)
    {
        try
        {
            if (batch.Operation != BatchOperation.Delete && !rules.Kind.IsArtefact())
            {
                var (definition, secretError) = KeepStoredSecrets(item, rules.Kind);
                if (secretError is not null) return Validated.Refuse(secretError);
                item = item with { Definition = definition };
            }
            var current = batch.ReplaceAll ? null : _resources.GetValueOrDefault(item.Name);
            return (batch.Operation, current) switch
            {
                (BatchOperation.Delete, null) => Validated.Refuse(rules.NotFound(item.Name)),
                (BatchOperation.Delete, _) => Validated.Remove,
                (BatchOperation.Create, not null) => Validated.Refuse(rules.AlreadyExists(item.Name)),
                (BatchOperation.Set, null) => Validated.Refuse(rules.NotFound(item.Name)),
                (BatchOperation.Set, _) => rules.Validate(item.Name, item.Definition, null,
                    (batch.Context ?? ValidationContext.None) with { Upsert = false }),
                // Re-importing what is stored: every stored form passes the full-import checks again (they depend
                // on the text alone), so an identical definition is kept without parsing it once more.
                _ when batch.ReplaceAll && _resources.TryGetValue(item.Name, out var same) && same == item.Definition =>
                    Validated.Store(same),
                _ => rules.Validate(item.Name, item.Definition, current, batch.Context ?? ValidationContext.None),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Validated.Refuse($"{rules.Kind.BundleKey()} {item.Name} could not be checked: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// A definition read back masked and sent again keeps the secrets stored under its name (docs/decisions.md#secrets):
    /// each <c>"******"</c> where a secret was takes the stored value. A sealed secret never reaches a partition (the
    /// node that took the request opens what it can): one that does was sealed with a key this cluster lacks, and is
    /// refused rather than stored as a password. The definition to decide on, or the item's error.
    /// </summary>
    private (string Definition, string? Error) KeepStoredSecrets(ResourceItem item, ResourceKind kind)
    {
        var definition = item.Definition;
        // Both markers are rare: an ordinal search keeps the common definition off the JSON scanner.
        if (definition.Contains(SecretEnvelope.Prefix, StringComparison.Ordinal) && SecretText.SealedKeyIds(definition) is [var keyId, ..])
            return (definition, $"{kind.BundleKey()} {item.Name}: a secret is sealed with key {keyId}, which this node does not have: "
                                + "import it where that key is configured, or send the value itself");
        if (!definition.Contains(SecretText.Masked, StringComparison.Ordinal)) return (definition, null);
        var (kept, error) = SecretText.Restore(definition, _resources.GetValueOrDefault(item.Name));
        return error is null ? (kept!, null) : (definition, $"{kind.BundleKey()} {item.Name}: {error}");
    }

    /// <summary>
    /// True when applying <paramref name="stored"/> would leave the resources exactly as they are. Such a batch
    /// need not be persisted: a retry of it meets the same state and gets the same answer.
    /// </summary>
    public bool ChangesNothing(BatchStored stored)
    {
        if (stored.Removed is { Count: > 0 }) return false;
        if (stored.ReplaceAll && stored.Stored.Count != _resources.Count) return false;
        foreach (var (name, definition) in stored.Stored)
            if (!_resources.TryGetValue(name, out var current) || current != definition) return false;
        return true;
    }

    /// <summary>What applying <paramref name="stored"/> would do, name by name (a check-only batch's answer).</summary>
    public BatchChanges Changes(BatchStored stored)
    {
        List<string> added = [], changed = [], unchanged = [];
        foreach (var (name, definition) in stored.Stored)
        {
            if (!_resources.TryGetValue(name, out var current)) added.Add(name);
            else if (current == definition) unchanged.Add(name);
            else changed.Add(name);
        }
        var removed = stored.ReplaceAll
            ? _resources.Keys.Where(name => !stored.Stored.ContainsKey(name)).ToList()
            : (stored.Removed ?? []).ToList();
        return new BatchChanges(added, changed, removed, unchanged);
    }

    public void Apply(BatchStored stored)
    {
        if (stored.ReplaceAll) _resources.Clear();
        foreach (var (name, definition) in stored.Stored) _resources[name] = definition;
        foreach (var name in stored.Removed ?? []) _resources.Remove(name);
        _recent.AddLast(new BatchOutcome(stored.BatchId, stored.Errors));
        while (_recent.Count > RememberedBatches) _recent.RemoveFirst();
    }

    /// <summary>A copy of the resources alone, for a reader (the state itself changes with the next batch).</summary>
    public Dictionary<string, string> CopyResources() => new(_resources, StringComparer.Ordinal);

    public PartitionSnapshot ToSnapshot() =>
        new(new Dictionary<string, string>(_resources, StringComparer.Ordinal), _recent.ToList());
}
