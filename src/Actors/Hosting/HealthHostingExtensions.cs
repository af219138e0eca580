using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuiper.Actors.Hosting;

/// <summary>Tags that group the health checks behind <c>/healthz/live</c> and <c>/healthz/ready</c>.</summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}

public static class HealthHostingExtensions
{
    /// <summary>
    /// Live: the actor system runs. Ready: the node is an Up member of the cluster (the journal check is added by
    /// <see cref="PersistenceHostingExtensions.WithKuiperPersistence"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithKuiperHealthChecks(this AkkaConfigurationBuilder builder) =>
        builder
            .WithActorSystemLivenessCheck(HealthStatus.Unhealthy, [HealthTags.Live])
            .WithAkkaClusterReadinessCheck(HealthStatus.Unhealthy, [HealthTags.Ready]);
}
