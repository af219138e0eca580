using Kuiper.Actors.Partitions;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Imports;

/// <summary>An import cut into stages of batches, one batch per partition; each stage waits for the one before.</summary>
public sealed record ImportPlan(
    string ImportId,
    ImportMode Mode,
    IReadOnlyList<IReadOnlyList<ApplyBatch>> Stages,
    IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> Refused)
{
    /// <summary>
    /// Dependency order: configs are read by streams and sinks, uploads by every installer, plugins, schemas,
    /// services and scripts provide the types and functions that streams and rules use, rules read streams and tables.
    /// </summary>
    public static readonly IReadOnlyList<IReadOnlyList<ResourceKind>> KindOrder =
    [
        [ResourceKind.SourceConfig, ResourceKind.SinkConfig, ResourceKind.ConnectionConfig],
        [ResourceKind.Uploads],
        [ResourceKind.Schema, ResourceKind.NativePlugins, ResourceKind.PortablePlugins, ResourceKind.Service, ResourceKind.Scripts],
        [ResourceKind.Streams],
        [ResourceKind.Tables],
        [ResourceKind.Rules],
    ];

    public static string NotSupported(ResourceKind kind) =>
        $"importing {kind.BundleKey()} is not supported by this version of Kuiper.Actors; the item was not imported";

    /// <summary>A change of single resources: one stage, one batch per partition that the items hash to.</summary>
    public static ImportPlan ForChange(ChangeResources change)
    {
        var batches = change.Items
            .GroupBy(i => PartitionScheme.PartitionOf(i.Name))
            .Select(g => new ApplyBatch(change.Kind, g.Key, $"{change.ChangeId}/{change.Kind.RegionName()}/{g.Key}", false,
                g.ToList(), Operation: change.Operation))
            .ToList();
        return new ImportPlan(change.ChangeId, ImportMode.Partial, batches.Count > 0 ? [batches] : [],
            new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>());
    }

    /// <summary>
    /// A full import sends every partition of every stored kind a batch that replaces its contents (an empty
    /// batch clears it); a partial import only touches the partitions that receive resources.
    /// </summary>
    public static ImportPlan Build(string importId, Bundle bundle, ImportMode mode, Func<ResourceKind, bool> served)
    {
        var stages = new List<IReadOnlyList<ApplyBatch>>();
        var refused = new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>();
        var replaceAll = mode == ImportMode.Full;

        foreach (var kinds in KindOrder)
        {
            var stage = new List<ApplyBatch>();
            foreach (var kind in kinds)
            {
                var section = bundle[kind];
                if (!served(kind))
                {
                    if (section.Count > 0) refused[kind] = section.Keys.ToDictionary(k => k, _ => NotSupported(kind));
                    continue;
                }

                var byPartition = new List<ResourceItem>?[PartitionScheme.PartitionCount];
                foreach (var (name, definition) in section)
                    (byPartition[PartitionScheme.PartitionOf(name)] ??= []).Add(new ResourceItem(name, definition));

                for (var p = 0; p < PartitionScheme.PartitionCount; p++)
                {
                    if (byPartition[p] is null && !replaceAll) continue;
                    stage.Add(new ApplyBatch(kind, p, $"{importId}/{kind.RegionName()}/{p}", replaceAll,
                        (IReadOnlyList<ResourceItem>?)byPartition[p] ?? []));
                }
            }
            if (stage.Count > 0) stages.Add(stage);
        }
        return new ImportPlan(importId, mode, stages, refused);
    }
}
