using Kuiper.Actors.Membership;
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
    /// Live: the actor system runs. Ready: the node can take a write now (<see cref="WriteAvailability"/>): it is an Up
    /// member, no member is unreachable from it (the coordinator or a partition may be out of reach until the split brain
    /// resolver removes it), and the journal answers (the journal checks are added by
    /// <see cref="PersistenceHostingExtensions.WithKuiperPersistence"/>). It turns ready again by itself once that holds.
    /// </summary>
    public static AkkaConfigurationBuilder WithKuiperHealthChecks(this AkkaConfigurationBuilder builder) =>
        builder
            .WithActorSystemLivenessCheck(HealthStatus.Unhealthy, [HealthTags.Live])
            .WithHealthCheck("cluster-writes", (system, _, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                return Task.FromResult(WriteAvailability.WhyNot(cluster.State, cluster.SelfMember) is { } why
                    ? HealthCheckResult.Unhealthy(why)
                    : HealthCheckResult.Healthy());
            }, HealthStatus.Unhealthy, [HealthTags.Ready]);
}
