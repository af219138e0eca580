using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Pattern;
using Kuiper.Actors.AsyncImports;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Installation;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Bundles;

namespace Kuiper.Actors.Hosting;

public static class ImportTaskHostingExtensions
{
    /// <summary>How long the tasks actor, stopped by a journal failure, waits before it starts (and recovers) again.</summary>
    public static readonly TimeSpan MinBackOff = TimeSpan.FromSeconds(1), MaxBackOff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// eKuiper's async import tasks as a cluster singleton, on the coordinator's role (so that both run on the oldest
    /// node), with a proxy on every node registered under <see cref="ImportTasks"/>. A journal failure stops the tasks
    /// actor; a back-off supervisor starts it again, and it recovers what was on disk.
    /// </summary>
    public static AkkaConfigurationBuilder WithImportTasks(this AkkaConfigurationBuilder builder, KuiperSettings settings)
    {
        var tasksSettings = new ImportTasksSettings(settings.Import.AsyncTaskLimit, settings.Import.AsyncQueueLimit,
            TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
        return builder.WithSingleton<ImportTasks>(
            ImportTasks.SingletonName,
            (system, registry, _) =>
            {
                var timeout = settings.Import.RequestTimeout;
                // The task reads its file on this node: an upload another node received is installed here first.
                var source = new ImportSource(
                    new UriFetcher(settings.UploadsDir, settings.Security.AllowExternalFileAccess, settings.Security.EnablePrivateNet),
                    ArtefactHostingExtensions.InstallMissingLocally(registry, timeout));
                var tasks = ImportTasks.Props(CoordinatorHostingExtensions.CoordinatorClient(system, settings), source, ReconcileLocally(registry, timeout), tasksSettings,
                    Cluster.Get(system).SelfAddress.ToString());
                return BackoffSupervisor.Props(Backoff.OnStop(tasks, "tasks", MinBackOff, MaxBackOff, 0.2, maxNrOfRetries: -1));
            },
            new ClusterSingletonOptions { Role = ClusterSettings.Role },
            createProxyToo: true);
    }

    /// <summary>This node's installer pass (what the sync import waits for before it answers), at most <paramref name="timeout"/>.</summary>
    private static Func<CancellationToken, Task<ArtefactsReconciled>> ReconcileLocally(IReadOnlyActorRegistry registry, TimeSpan timeout) =>
        async cancellationToken =>
        {
            if (!registry.TryGet<NodeArtefactInstaller>(out var installer)) return ArtefactsReconciled.Failed("this node has no installer");
            try
            {
                return await installer.Ask<ArtefactsReconciled>(ReconcileArtefacts.Instance, timeout, cancellationToken);
            }
            catch (AskTimeoutException)
            {
                return ArtefactsReconciled.Failed($"no install pass ended within {timeout}");
            }
        };
}
