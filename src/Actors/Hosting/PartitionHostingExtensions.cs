using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Pattern;
using Akka.Hosting;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Hosting;

public static class PartitionHostingExtensions
{
    /// <summary>How long a partition that stopped on a journal failure waits before it starts (and recovers) again.</summary>
    public static readonly TimeSpan MinBackOff = TimeSpan.FromSeconds(1), MaxBackOff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A partition stops when the journal fails a write or its recovery; the entity is a back-off supervisor that
    /// starts it again (1 s doubling to 30 s) instead of each message retrying at once against a database that is down.
    /// The hand-off message still reaches the partition and stops the supervisor with it.
    /// </summary>
    private static Props WithBackOff(Props partition) =>
        BackoffSupervisor.Props(Backoff.OnStop(partition, "partition", MinBackOff, MaxBackOff, 0.2, maxNrOfRetries: -1)
            .WithFinalStopMessage(message => message is StopPartition));

    /// <summary>
    /// One shard region per declared resource kind, each made of persistent partition entities; read them back
    /// with <see cref="PartitionRegions.Of"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithResourcePartitions(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, _) =>
        {
            var sharding = ClusterSharding.Get(system);
            var settings = ClusterShardingSettings.Create(system)
                .WithStateStoreMode(StateStoreMode.DData)
                .WithRememberEntities(false);
            foreach (var declaration in ResourceKinds.Declarations)
                sharding.Start(
                    declaration.RegionName,
                    entityId => WithBackOff(ResourcePartition.Props(declaration.Rules, entityId)),
                    settings,
                    new PartitionMessageExtractor(),
                    sharding.DefaultShardAllocationStrategy(settings),
                    // The default PoisonPill would drop commands queued behind it during a rebalance.
                    StopPartition.Instance);
        });
}
