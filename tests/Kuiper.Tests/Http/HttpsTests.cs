using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class HttpsTests
{
    [Fact]
    public async Task Kestrels_standard_endpoint_settings_serve_https_with_the_operators_certificate()
    {
        var dataDir = NodeProcess.NewDataDir();
        var pkcs12 = OpenSsl.NewSelfSignedPkcs12(Path.Combine(dataDir, "tls"), "https", "pa55", commonName: "127.0.0.1");
        var expected = X509CertificateLoader.LoadCertificateFromFile(Path.ChangeExtension(pkcs12, ".crt"));
        var (httpPort, httpsPort) = (NodeProcess.FreeTcpPort(), NodeProcess.FreeTcpPort());

        await using var node = NodeProcess.PrepareOn(httpPort, dataDir,
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}",
            $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{httpsPort}",
            // Relative to the working directory (the node's data folder here), as every path setting of the node.
            $"--Kestrel:Endpoints:Https:Certificate:Path={Path.GetRelativePath(dataDir, pkcs12)}",
            "--Kestrel:Endpoints:Https:Certificate:Password=pa55");
        await node.StartAgainAsync();

        string? presented = null;
        using var pinned = new HttpClient(new HttpClientHandler
        {
            // Trust exactly the operator's self-signed certificate, and note what the node presented.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate?.Thumbprint;
                return certificate?.Thumbprint == expected.Thumbprint;
            },
        });
        using var ping = await pinned.GetAsync($"https://127.0.0.1:{httpsPort}/ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(expected.Thumbprint, presented);
        Assert.Equal(HttpStatusCode.OK, (await pinned.GetReplyAsync($"https://127.0.0.1:{httpsPort}/streams")).Status);

        // The system's trust store does not know the certificate: the connection really is TLS with it.
        using var system = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => system.GetAsync($"https://127.0.0.1:{httpsPort}/ping"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
    }
}
