using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Artefacts.Installing;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;

namespace Kuiper.Actors.Hosting;

public static class ArtefactHostingExtensions
{
    /// <summary>How often a node checks that it has every stored artefact, besides the notifications.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromMinutes(1);

    public static ArtefactPolicy Policy(this KuiperSettings settings) =>
        new() { AllowInstallScripts = settings.Security.AllowInstallScripts };

    public static FetchOptions FetchOptions(this KuiperSettings settings) => new()
    {
        UploadsDir = settings.UploadsDir,
        AllowExternalFileAccess = settings.Security.AllowExternalFileAccess,
        EnablePrivateNet = settings.Security.EnablePrivateNet,
    };

    public static ArtefactStager Stager(this KuiperSettings settings) =>
        new(new ArtefactStore(settings.Persistence, settings.DataDir), settings.FetchOptions(), settings.Policy());

    /// <summary>
    /// Every node installs the stored artefacts under its own data dir: distributed pub-sub carries the
    /// coordinator's change notices, and one installer actor per node reconciles.
    /// </summary>
    public static AkkaConfigurationBuilder WithArtefactInstallation(this AkkaConfigurationBuilder builder, KuiperSettings settings) =>
        builder
            .WithDistributedPubSub(ClusterSettings.Role)
            .WithActors((system, registry) =>
            {
                var installer = new ArtefactInstaller(Path.GetFullPath(settings.DataDir));
                var reader = new PartitionReader(PartitionRegions.Of(system), settings.Import.Patience());
                system.ActorOf(NodeArtefactInstaller.Props(installer, new ArtefactStore(settings.Persistence, settings.DataDir),
                    reader, settings.Policy(), Cluster.Get(system).SelfAddress.ToString(),
                    DistributedPubSub.Get(system).Mediator, ReconcileInterval), NodeArtefactInstaller.Name);
            });
}
