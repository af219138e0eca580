using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// A private cluster: two node processes with the cluster's certificate (made with openssl) form a cluster over TLS;
/// a process without TLS, a process with another certificate, and an actor system that presents another certificate
/// while trusting any server (the attacker's best try: only the cluster's own check can stop it) are all refused.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class ClusterTlsTests
{
    private const string Password = "s3cret";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    private static string[] Tls(string pkcs12) =>
        [$"--Kuiper:Cluster:Tls:CertificatePath={pkcs12}", $"--Kuiper:Cluster:Tls:CertificatePassword={Password}"];

    [Fact]
    public async Task Only_holders_of_the_clusters_certificate_join_or_get_a_message_through()
    {
        var certificates = NodeProcess.NewDataDir();
        var cluster = OpenSsl.NewSelfSignedPkcs12(certificates, "cluster", Password);
        // Same subject, same SAN: only the key differs.
        var other = OpenSsl.NewSelfSignedPkcs12(certificates, "other", Password);
        var attackers = OpenSsl.NewSelfSignedPkcs12(certificates, "attacker", Password);
        var attackerThumbprint = X509CertificateLoader.LoadCertificateFromFile(Path.ChangeExtension(attackers, ".crt")).Thumbprint;

        var seedPort = NodeProcess.FreeTcpPort();
        // Seeds keep the akka.tcp:// form with TLS on.
        var seed = $"akka.tcp://kuiper@127.0.0.1:{seedPort}";
        await using var first = await NodeProcess.StartAsync(null, [$"--Kuiper:Cluster:Port={seedPort}", $"--Kuiper:Cluster:SeedNodes:0={seed}", .. Tls(cluster)]);
        await using var second = await NodeProcess.StartAsync(null, [$"--Kuiper:Cluster:SeedNodes:0={seed}", .. Tls(cluster)]);
        var members = await TestCluster.EventuallyAsync(() => MembersAsync(first), m => m.Count(x => x.Status == "Up") == 2, Settle, "two Up members");
        Assert.All(members, m => Assert.StartsWith("akka.ssl.tcp://kuiper@127.0.0.1:", m.Address));
        var cluster2 = members.Select(m => m.Address).Order().ToArray();
        Assert.DoesNotContain("TLS handshake failed", first.Output);

        // Outsiders aim at the seed: one without TLS, one with TLS and another certificate.
        await using var plain = NodeProcess.Prepare(null, $"--Kuiper:Cluster:SeedNodes:0={seed}");
        await plain.StartAgainAsync(waitUntilReady: false);
        await using var stranger = NodeProcess.Prepare(null, [$"--Kuiper:Cluster:SeedNodes:0={seed}", .. Tls(other)]);
        await stranger.StartAgainAsync(waitUntilReady: false);

        await TestCluster.EventuallyAsync(() => Task.FromResult(first.Output), o => o.Contains("TLS handshake failed"), Settle,
            "the seed refusing a handshake");
        // Akka.Remote stops a node whose outbound handshake fails; the node says so with exit code 79.
        Assert.Equal(79, await stranger.WaitForExitAsync(Settle));
        Assert.Contains("TLS handshake failed", stranger.Output);

        // The attacker's best try: another certificate, and trust in whatever the server presents. Only the
        // cluster's check of the client certificate can stop it.
        using var attacker = PeerSystem(attackers, seedPort, provider: "cluster");
        using var trusted = PeerSystem(cluster, seedPort, provider: "remote");
        var seedSystem = $"akka.ssl.tcp://kuiper@127.0.0.1:{seedPort}/system";
        Assert.NotNull((await IdentifyAsync(trusted, seedSystem))?.Subject);
        // Unanswered, or answered by the attacker's own dead letters (subject null) once its connection is refused.
        Assert.Null((await IdentifyAsync(attacker, seedSystem))?.Subject);
        await TestCluster.EventuallyAsync(() => Task.FromResult(first.Output),
            o => o.Contains($"its certificate CN=kuiper-cluster ({attackerThumbprint}) is not one the cluster trusts"), Settle,
            "the seed refusing the attacker's certificate");

        // None of them ever shows up as a member, on either node; the plain node never sees the cluster.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var node in new[] { first, second })
                Assert.Equal(cluster2, (await MembersAsync(node)).Select(m => m.Address).Order().ToArray());
            Assert.Empty(await MembersAsync(plain));
            Assert.Empty(Akka.Cluster.Cluster.Get(attacker).State.Members);
            await Task.Delay(500);
        }

        // Operators may name members in the akka.tcp:// form: the inspection endpoints find the TLS member.
        var secondTcp = cluster2.Single(a => !a.EndsWith($":{seedPort}", StringComparison.Ordinal)).Replace("akka.ssl.tcp://", "akka.tcp://");
        var leave = await first.Client.PostRawAsync("/cluster/leave", JsonSerializer.Serialize(new { address = secondTcp }));
        Assert.Equal(HttpStatusCode.Accepted, leave.Status);
        Assert.Contains("akka.ssl.tcp://", leave.Body);
        Assert.Equal(0, await second.WaitForExitAsync(Settle));
    }

    private static async Task<ActorIdentity?> IdentifyAsync(ActorSystem from, string path)
    {
        try
        {
            return await from.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), TimeSpan.FromSeconds(15));
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private sealed record MemberView(string Address, string Status);

    private static async Task<MemberView[]> MembersAsync(NodeProcess node)
    {
        using var document = JsonDocument.Parse(await node.Client.GetStringAsync("/cluster/members"));
        return document.RootElement.GetProperty("members").EnumerateArray()
            .Select(m => new MemberView(m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!))
            .ToArray();
    }

    /// <summary>
    /// An actor system configured by hand, as someone with their own Akka.NET build would: TLS with
    /// <paramref name="pkcs12"/>, and any server certificate accepted (<c>suppress-validation</c>).
    /// </summary>
    private static ActorSystem PeerSystem(string pkcs12, int seedPort, string provider) =>
        ActorSystem.Create("kuiper", ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              actor.provider = {{provider}}
              coordinated-shutdown.exit-clr = off
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              remote.dot-netty.tcp {
                hostname = 127.0.0.1
                port = 0
                enable-ssl = true
                ssl {
                  certificate { path = "{{pkcs12}}", password = "{{Password}}" }
                  suppress-validation = true
                  require-mutual-authentication = true
                }
              }
              cluster.seed-nodes = ["akka.ssl.tcp://kuiper@127.0.0.1:{{seedPort}}"]
            }
            """));
}
