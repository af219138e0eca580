using Akka.Cluster.Hosting;
using Akka.Hosting;
using Kuiper.Actors.Imports;

namespace Kuiper.Actors.Hosting;

public static class CoordinatorHostingExtensions
{
    /// <summary>
    /// The import coordinator as a cluster singleton (imports are serialized cluster-wide), with a proxy on every
    /// node registered under <see cref="ImportCoordinator"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithImportCoordinator(this AkkaConfigurationBuilder builder, ImportSettings settings)
    {
        var coordinatorSettings = new CoordinatorSettings(settings.BatchRetryInterval, settings.BatchAttempts);
        return builder.WithSingleton<ImportCoordinator>(
            ImportCoordinator.SingletonName,
            (_, registry, _) => ImportCoordinator.Props(PartitionRegionKeys.From(registry), coordinatorSettings),
            new ClusterSingletonOptions { Role = Kuiper.Actors.Hosting.ClusterSettings.Role },
            createProxyToo: true);
    }
}
