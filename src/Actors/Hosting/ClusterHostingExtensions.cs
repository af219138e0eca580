using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace Kuiper.Actors.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>
    /// Remoting on the configured address and cluster membership; with no seeds the node joins itself. With
    /// <c>Kuiper:Cluster:Tls</c>, remoting runs over TLS with mutual certificate checks against the cluster's trust
    /// anchors (<see cref="ClusterTrust"/>): a process without a trusted certificate can neither join nor send a message.
    /// </summary>
    public static AkkaConfigurationBuilder WithKuiperCluster(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        var remote = new RemoteOptions { HostName = settings.Host, Port = settings.Port };
        if (settings.Tls.Enabled)
        {
            var trust = ClusterTrust.Load(settings.Tls);
            remote.EnableSsl = true;
            remote.Ssl = new SslOptions
            {
                X509Certificate = trust.Certificate,
                SuppressValidation = false,
                RequireMutualAuthentication = true,
                // Every node may present the same cluster certificate: trust is the chain to an anchor, not a host name.
                ValidateCertificateHostname = false,
                CustomValidator = trust.Validate,
            };
        }

        var seeds = settings.SeedAddresses();
        builder
            .WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                Roles = [ClusterSettings.Role],
                SeedNodes = seeds.Length > 0 ? seeds : null,
            });

        if (seeds.Length == 0)
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
