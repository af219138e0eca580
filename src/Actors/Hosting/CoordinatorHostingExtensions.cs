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
            (system, registry, _) => ImportCoordinator.Props(PartitionRegions.Of(system), coordinatorSettings, ImportStager(settings, registry),
                DistributedPubSub.Get(system).Mediator, new PartitionHistory(system)),
            new ClusterSingletonOptions { Role = Kuiper.Actors.Hosting.ClusterSettings.Role },
            createProxyToo: true);
    }

    /// <summary>
    /// What an import runs on this node, under the coordinator's lease, for the given coordinator (the actor itself):
    /// one actor per import, which stops when the import is answered. The regions, settings and stager are this
    /// node's, made once (a stager's store checks its tables once).
    /// </summary>
    public static Func<IActorRef, Props> LeasedImports(ActorSystem system, KuiperSettings settings)
    {
        var (regions, patience, stager) = (PartitionRegions.Of(system), settings.Patience(), ImportStager(settings, ActorRegistry.For(system)));
        return coordinator => LeasedImport.Props(coordinator, regions, patience, stager);
    }

    /// <summary>
    /// Imports stage their artefacts with this: before it reads file:// it lets this node's installer install what it
    /// misses (uploads received by another node, or stored by an earlier stage of the same import).
    /// </summary>
    private static Installation.ArtefactStager ImportStager(KuiperSettings settings, IReadOnlyActorRegistry registry) =>
        settings.Stager(ArtefactHostingExtensions.InstallMissingLocally(registry, settings.Import.RequestTimeout));
}
