using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;

namespace Kuiper.Actors.Hosting;

/// <summary>
/// Who may talk to this node over remoting: a peer whose certificate chains to one of the cluster's trust anchors,
/// checked on both ends of every connection (mutual TLS). The anchors come from the node's own PKCS#12 file: its
/// self-signed roots (the shared cluster certificate itself, or the cluster CA added with <c>-certfile</c>). The
/// operating system's trust store plays no part, so a certificate from a public CA does not get anyone in.
/// </summary>
public sealed class ClusterTrust
{
    private ClusterTrust(X509Certificate2 certificate, X509Certificate2Collection anchors)
    {
        Certificate = certificate;
        Anchors = anchors;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Anchors { get; }

    /// <summary>Reads the PKCS#12 file; a missing file, wrong password, no private key or no root fails the start, loudly.</summary>
    public static ClusterTrust Load(ClusterTlsSettings settings)
    {
        var path = Path.GetFullPath(settings.CertificatePath);
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, settings.CertificatePassword);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Kuiper:Cluster:Tls:CertificatePath: cannot read the PKCS#12 file {path} (missing, unreadable or wrong password): {e.Message}", e);
        }

        var certificate = all.FirstOrDefault(c => c.HasPrivateKey)
                          ?? throw new InvalidOperationException($"Kuiper:Cluster:Tls:CertificatePath: {path} holds no certificate with its private key");
        var anchors = new X509Certificate2Collection(all.Where(IsSelfSigned).ToArray());
        if (anchors.Count == 0)
            throw new InvalidOperationException(
                $"Kuiper:Cluster:Tls:CertificatePath: {path} holds no self-signed certificate to trust: use one self-signed " +
                "certificate for the cluster, or add the cluster CA's certificate to the file (openssl pkcs12 -export -certfile ca.crt)");
        return new ClusterTrust(certificate, anchors);
    }

    /// <summary>True when <paramref name="peer"/> chains, as of now, to one of the anchors (revocation is not consulted).</summary>
    public bool Trusts(X509Certificate2? peer)
    {
        if (peer is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(peer);
    }

    /// <summary>Akka.Remote's validator, called during every TLS handshake, inbound and outbound.</summary>
    public bool Validate(X509Certificate2? peer, X509Chain? chain, string remote, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (Trusts(peer)) return true;
        log.Warning("Refused a remoting connection with {0}: its certificate {1} is not one the cluster trusts",
            remote, peer is null ? "(none)" : $"{peer.Subject} ({peer.Thumbprint})");
        return false;
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
