using Akka.Actor;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>
/// The stored resources one at a time, for the REST resource endpoints: read from the partitions (bounded: a partition
/// that cannot answer is a prompt 503), changed under the coordinator's lease like an import.
/// </summary>
public sealed class ResourceStore(ActorSystem system, CoordinatorClient coordinator, KuiperSettings settings, IHttpContextAccessor http)
{
    private PartitionReader? _reader;

    private PartitionReader Reader => _reader ??= new PartitionReader(PartitionRegions.Of(system), settings.Patience().Partitions, bounded: true);

    public Task<IReadOnlyDictionary<string, string>> ReadKindAsync(ResourceKind kind, CancellationToken cancellationToken) =>
        Reader.ReadKindAsync(kind, cancellationToken);

    public Task<string?> ReadOneAsync(ResourceKind kind, string name, CancellationToken cancellationToken) =>
        Reader.ReadOneAsync(kind, name, cancellationToken);

    /// <summary>Applies one change; null when it succeeded, else the partition's error.</summary>
    public async Task<string?> ChangeAsync(ResourceKind kind, BatchOperation operation, string name, string definition,
        CancellationToken cancellationToken)
    {
        var errors = await coordinator.ChangeAsync(
            new ChangeResources(Guid.NewGuid().ToString("N"), kind, operation, [new ResourceItem(name, definition)],
                http.HttpContext is { } context ? ImportOrigins.Of(context, system) : null), cancellationToken);
        return errors.GetValueOrDefault(name);
    }
}
