using Akka.Hosting;

namespace Kuiper.Actors.Hosting;

public static class KuiperNodeHostingExtensions
{
    /// <summary>
    /// A whole Kuiper node, feature by feature: the node's host and the in-process cluster tests compose it the same way.
    /// </summary>
    public static AkkaConfigurationBuilder WithKuiperNode(this AkkaConfigurationBuilder builder, KuiperSettings settings) =>
        builder
            .WithKuiperSerialization(settings)
            .WithMessageTransfers(settings)
            .WithKuiperCluster(settings)
            .WithKuiperPersistence(settings.Persistence, settings.DataDir)
            .WithResourcePartitions()
            .WithPartitionWarmUp(settings.Cluster)
            .WithImportCoordinator(settings)
            .WithImportTasks(settings)
            .WithArtefactInstallation(settings)
            .WithKuiperHealthChecks();
}
