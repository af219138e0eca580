using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Kuiper.Actors.Database;
using Kuiper.Actors.Releases;

namespace Kuiper.Actors.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>
    /// Remoting on the configured address and cluster membership; with no seeds the node joins itself. With
    /// <c>Kuiper:Cluster:Tls</c>, remoting runs over TLS with mutual certificate checks against the cluster's trust
    /// anchors (<see cref="ClusterTrust"/>): a process without a trusted certificate can neither join nor send a message.
    /// </summary>
    /// <remarks>
    /// On a shared PostgreSQL journal the node does not use Akka's seed-node join (whose first seed forms a new cluster
    /// when it cannot reach the others): <see cref="Membership.ClusterFormation"/> joins, and forms a cluster only when the
    /// database has seen no member of one lately. On SQLite (one node) the seeds and self-join stay Akka's.
    /// </remarks>
    public static AkkaConfigurationBuilder WithKuiperCluster(this AkkaConfigurationBuilder builder, KuiperSettings node)
    {
        var settings = node.Cluster;
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
        var formedByDatabase = JournalDatabase.IsPostgres(node.Persistence);
        string[] roles = [ClusterSettings.Role, .. node.SecretKeyRoles(), .. Membership.NodeLabels.Roles(node.Node.Labels)];
        builder
            .WithRemoting(remote)
            // Quoted here: ClusterOptions writes roles unquoted, and a label role holds '=' (label:site=plant-a).
            .AddHocon($"akka.cluster.roles = [{string.Join(", ", roles.Select(r => System.Text.Json.JsonSerializer.Serialize(r)))}]", HoconAddMode.Prepend)
            .WithClustering(new ClusterOptions
            {
                // Not the entry assembly's version (Akka's default): a test host or a tool would join with its own.
                AppVersion = ThisRelease.Version,
                SeedNodes = seeds.Length > 0 && !formedByDatabase ? seeds : null,
            });

        if (formedByDatabase) return builder.WithClusterFormation(node, seeds);
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

    private static AkkaConfigurationBuilder WithClusterFormation(this AkkaConfigurationBuilder builder, KuiperSettings node, string[] seeds)
    {
        var table = new Membership.MembershipTable(node.Persistence, node.DataDir, node.Cluster.FormationTimeout);
        var beat = node.Cluster.FormationBeat;
        return builder.AddStartup((system, _) =>
        {
            system.ActorOf(Membership.ClusterFormation.Props(table, seeds.Select(Address.Parse).ToList(), beat), "cluster-formation");
            // A node that leaves gracefully is no longer counted alive: it does not hold back a restart of the cluster.
            var self = Cluster.Get(system).SelfAddress.ToString();
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseClusterExitingDone, "forget-member", async () =>
            {
                try
                {
                    using var bounded = new CancellationTokenSource(node.Persistence.CallTimeout);
                    await table.ForgetAsync(self, bounded.Token);
                }
                catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or TimeoutException)
                {
                    // The database is away: the row ages out of the alive window instead.
                }
                return Done.Instance;
            });
        });
    }
}
