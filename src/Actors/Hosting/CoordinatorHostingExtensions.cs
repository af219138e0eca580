using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;

namespace Kuiper.Actors.Hosting;

public static class CoordinatorHostingExtensions
{
    /// <summary>
    /// The import coordinator as a cluster singleton (imports are serialized cluster-wide), with a proxy on every
    /// node registered under <see cref="ImportCoordinator"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithImportCoordinator(this AkkaConfigurationBuilder builder, KuiperSettings settings)
    {
        var coordinatorSettings = settings.Import.Patience();
        return builder.WithSingleton<ImportCoordinator>(
            ImportCoordinator.SingletonName,
            // Before it reads file:// the stager lets this node's installer install what it misses (uploads received
            // by another node, or stored by an earlier stage of the same import).
            (system, registry, _) => ImportCoordinator.Props(PartitionRegions.Of(system), coordinatorSettings,
                settings.Stager(ArtefactHostingExtensions.InstallMissingLocally(registry, settings.Import.RequestTimeout)),
                DistributedPubSub.Get(system).Mediator, new PartitionHistory(system)),
            new ClusterSingletonOptions { Role = Kuiper.Actors.Hosting.ClusterSettings.Role },
            createProxyToo: true);
    }
}
