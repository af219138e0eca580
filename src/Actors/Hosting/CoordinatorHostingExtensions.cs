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
            // Handed over when its node leaves: the import under way finishes first (see ImportCoordinator.HandOver).
            new ClusterSingletonOptions { Role = Kuiper.Actors.Hosting.ClusterSettings.Role, TerminationMessage = ImportCoordinator.HandOver.Instance },
            createProxyToo: true);
    }

    /// <summary>
    /// The one way to the coordinator on this node (endpoints, provisioning, async tasks). What runs under its leases is
    /// this node's: the regions, settings and stager are made once (a stager's store checks its tables once).
    /// </summary>
    public static CoordinatorClient CoordinatorClient(ActorSystem system, KuiperSettings settings)
    {
        var registry = ActorRegistry.For(system);
        var patience = settings.Patience();
        // Made at the first request: the client is made when the host starts, before the shard regions are.
        var node = new Lazy<(PartitionRegions Regions, Installation.ArtefactStager Stager, PartitionReader Exports)>(() =>
        {
            var regions = PartitionRegions.Of(system);
            return (regions, ImportStager(settings, registry), new PartitionReader(regions, patience.Partitions, bounded: true));
        });
        return new CoordinatorClient(system, registry.GetAsync<ImportCoordinator>, ClusterSettings.Role,
            coordinator => LeasedImport.Props(coordinator, node.Value.Regions, patience, node.Value.Stager),
            coordinator => LeasedExport.Props(coordinator, node.Value.Exports),
            settings.Import.RequestTimeout,
            settings.SecretKeyRing());
    }

    /// <summary>
    /// Imports stage their artefacts with this: before it reads file:// it lets this node's installer install what it
    /// misses (uploads received by another node, or stored by an earlier stage of the same import).
    /// </summary>
    private static Installation.ArtefactStager ImportStager(KuiperSettings settings, IReadOnlyActorRegistry registry) =>
        settings.Stager(ArtefactHostingExtensions.InstallMissingLocally(registry, settings.Import.RequestTimeout));
}
