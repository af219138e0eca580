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

    /// <param name="beforeLocalRead">see <see cref="ArtefactStager"/>; <see cref="ReconcileLocally"/> on a node</param>
    /// <param name="fetchOptions">this node's fetch options unless given</param>
    public static ArtefactStager Stager(this KuiperSettings settings, Func<CancellationToken, Task>? beforeLocalRead = null,
        FetchOptions? fetchOptions = null) =>
        new(new ArtefactStore(settings.Persistence, settings.DataDir), fetchOptions ?? settings.FetchOptions(), settings.Policy(), beforeLocalRead);

    /// <summary>
    /// For the stager in the middle of an import: asks this node's installer to install what the cluster stores and
    /// is missing here (removing nothing), and waits for it, at most <paramref name="timeout"/>. Does nothing before
    /// the installer is up; a pass that fails or takes longer only means the files may not be there yet.
    /// </summary>
    public static Func<CancellationToken, Task> InstallMissingLocally(IReadOnlyActorRegistry registry, TimeSpan timeout) => async cancellationToken =>
    {
        if (!registry.TryGet<NodeArtefactInstaller>(out var installer)) return;
        try
        {
            await installer.Ask<ArtefactsReconciled>(ReconcileArtefacts.InstallMissing, timeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
        }
    };

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
                var reader = new PartitionReader(PartitionRegions.Of(system), settings.Import.Patience().Partitions);
                var actor = system.ActorOf(NodeArtefactInstaller.Props(installer, new ArtefactStore(settings.Persistence, settings.DataDir),
                    reader, settings.Policy(), Cluster.Get(system).SelfAddress.ToString(),
                    DistributedPubSub.Get(system).Mediator, ReconcileInterval), NodeArtefactInstaller.Name);
                // The HTTP edge asks its own node's installer before it replies (docs/decisions.md#answer-after-files).
                registry.Register<NodeArtefactInstaller>(actor);
            });
}
