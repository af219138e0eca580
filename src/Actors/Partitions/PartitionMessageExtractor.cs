using Akka.Cluster.Sharding;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Partitions;

/// <summary>One shard per partition: a partition entity never shares its shard, so rebalancing moves one at a time.</summary>
public sealed class PartitionMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        IPartitionCommand command => PartitionScheme.EntityId(command.Partition),
        _ => null,
    };

    public object EntityMessage(object message) => message;

    public string ShardId(object message) => message switch
    {
        IPartitionCommand command => command.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"Not a partition message: {message.GetType().Name}", nameof(message)),
    };

    public string ShardId(string entityId, object? messageHint = null) =>
        PartitionScheme.ParseEntityId(entityId).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
