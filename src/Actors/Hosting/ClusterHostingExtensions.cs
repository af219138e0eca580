using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace Kuiper.Actors.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>Remoting on the configured address and cluster membership; with no seeds the node joins itself.</summary>
    public static AkkaConfigurationBuilder WithKuiperCluster(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        builder
            .WithRemoting(settings.Host, settings.Port)
            .WithClustering(new ClusterOptions
            {
                Roles = [ClusterSettings.Role],
                SeedNodes = settings.SeedNodes.Length > 0 ? settings.SeedNodes : null,
            });

        if (settings.SeedNodes.Length == 0)
        {
            // Joining SelfAddress (known only once bound) works with port 0 too.
            builder.AddStartup((system, _) =>
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }
        return builder;
    }
}
