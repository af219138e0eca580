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
        var stager = settings.Stager();
        return builder.WithSingleton<ImportCoordinator>(
            ImportCoordinator.SingletonName,
            (system, _, _) => ImportCoordinator.Props(PartitionRegions.Of(system), coordinatorSettings, stager,
                DistributedPubSub.Get(system).Mediator),
            new ClusterSingletonOptions { Role = Kuiper.Actors.Hosting.ClusterSettings.Role },
            createProxyToo: true);
    }
}
