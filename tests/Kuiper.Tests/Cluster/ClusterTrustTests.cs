using System.Security.Cryptography.X509Certificates;
using Kuiper.Actors.Hosting;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Cluster;

/// <summary>Whom a node's remoting trusts, from the PKCS#12 file an operator made with openssl (docs/operations.md#security).</summary>
[FullTier("openssl makes a CA and several RSA keys: about 10 s")]
public sealed class ClusterTrustTests : IDisposable
{
    private const string Password = "pw";
    private readonly string _folder = NodeProcess.NewDataDir();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private X509Certificate2 Crt(string pkcs12) => X509CertificateLoader.LoadCertificateFromFile(Path.ChangeExtension(pkcs12, ".crt"));

    private static ClusterTrust Load(string pkcs12, string password = Password) =>
        ClusterTrust.Load(new ClusterTlsSettings { CertificatePath = pkcs12, CertificatePassword = password });

    /// <summary>The recipe of docs/operations.md#a-private-cluster-remoting-over-tls-with-mutual-checks: a cluster CA (self-signed) and node certificates it issues, packed with the CA (<c>-certfile</c>).</summary>
    private (string Ca, string Node) IssueFromCa(string caName, params string[] nodes)
    {
        var caKey = Path.Combine(_folder, caName + ".key");
        var ca = Path.Combine(_folder, caName + ".crt");
        OpenSsl.Run(null, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "30", "-subj", "/CN=kuiper-ca");
        string last = "";
        foreach (var node in nodes)
        {
            var key = Path.Combine(_folder, node + ".key");
            var request = Path.Combine(_folder, node + ".csr");
            var certificate = Path.Combine(_folder, node + ".crt");
            last = Path.Combine(_folder, node + ".p12");
            OpenSsl.Run(null, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=" + node);
            OpenSsl.Run(null, "x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", certificate,
                "-days", "30");
            OpenSsl.Run(null, "pkcs12", "-export", "-in", certificate, "-inkey", key, "-certfile", ca, "-out", last, "-passout", "pass:" + Password);
        }
        return (ca, last);
    }

    [Fact]
    public void One_shared_self_signed_certificate_trusts_itself_only()
    {
        var cluster = OpenSsl.NewSelfSignedPkcs12(_folder, "cluster", Password);
        var other = OpenSsl.NewSelfSignedPkcs12(_folder, "other", Password);
        var trust = Load(cluster);

        Assert.True(trust.Certificate.HasPrivateKey);
        Assert.True(trust.Trusts(Crt(cluster)));
        Assert.False(trust.Trusts(Crt(other)));
        Assert.False(trust.Trusts(null));
    }

    [Fact]
    public void Per_node_certificates_from_a_cluster_CA_trust_each_other_and_nothing_from_another_CA()
    {
        IssueFromCa("ca", "node1", "node2");
        var trust = Load(Path.Combine(_folder, "node1.p12"));
        Assert.Equal("CN=node1", trust.Certificate.Subject);
        Assert.Equal(["CN=kuiper-ca"], trust.Anchors.Select(a => a.Subject));
        Assert.True(trust.Trusts(Crt(Path.Combine(_folder, "node2.p12"))));

        // A CA of the same name but another key issues certificates the cluster does not trust.
        IssueFromCa("forged-ca", "intruder");
        Assert.False(trust.Trusts(Crt(Path.Combine(_folder, "intruder.p12"))));
    }

    [Fact]
    public void A_file_that_cannot_say_whom_to_trust_stops_the_start_with_the_reason()
    {
        var cluster = OpenSsl.NewSelfSignedPkcs12(_folder, "cluster", Password);
        Assert.Contains("wrong password", Assert.Throws<InvalidOperationException>(() => Load(cluster, "nope")).Message);
        Assert.Contains("cannot read", Assert.Throws<InvalidOperationException>(() => Load(Path.Combine(_folder, "missing.p12"))).Message);

        // A CA-issued node certificate without the CA's certificate beside it.
        IssueFromCa("ca", "lonely");
        var withoutCa = Path.Combine(_folder, "lonely-alone.p12");
        OpenSsl.Run(null, "pkcs12", "-export", "-in", Path.Combine(_folder, "lonely.crt"), "-inkey", Path.Combine(_folder, "lonely.key"),
            "-out", withoutCa, "-passout", "pass:" + Password);
        Assert.Contains("holds no self-signed certificate", Assert.Throws<InvalidOperationException>(() => Load(withoutCa)).Message);
    }
}
