using Akka.Actor;
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
        var coordinatorSettings = settings.Patience();
        return builder.WithSingleton<ImportCoordinator>(
            ImportCoordinator.SingletonName,
            (system, _, _) => ImportCoordinator.Props(PartitionRegions.Of(system), coordinatorSettings, DistributedPubSub.Get(system).Mediator,
                new PartitionHistory(system)),
            new ClusterSingletonOptions { Role = Kuiper.Actors.Hosting.ClusterSettings.Role },
            createProxyToo: true);
    }

    /// <summary>
    /// The one way to the coordinator on this node (endpoints, provisioning, async tasks). What runs under its leases is
    /// this node's: the regions, settings and stager are made once (a stager's store checks its tables once).
    /// </summary>
    public static CoordinatorClient CoordinatorClient(ActorSystem system, KuiperSettings settings)
    {
        var registry = ActorRegistry.For(system);
        var (regions, patience, stager) = (PartitionRegions.Of(system), settings.Patience(), ImportStager(settings, registry));
        var exportReader = new PartitionReader(regions, patience, bounded: true);
        return new CoordinatorClient(system, registry.GetAsync<ImportCoordinator>, ClusterSettings.Role,
            coordinator => LeasedImport.Props(coordinator, regions, patience, stager),
            coordinator => LeasedExport.Props(coordinator, exportReader),
            settings.Import.RequestTimeout);
    }

    /// <summary>
    /// Imports stage their artefacts with this: before it reads file:// it lets this node's installer install what it
    /// misses (uploads received by another node, or stored by an earlier stage of the same import).
    /// </summary>
    private static Installation.ArtefactStager ImportStager(KuiperSettings settings, IReadOnlyActorRegistry registry) =>
        settings.Stager(ArtefactHostingExtensions.InstallMissingLocally(registry, settings.Import.RequestTimeout));
}
