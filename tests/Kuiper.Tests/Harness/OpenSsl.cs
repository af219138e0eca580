using System.Diagnostics;
using System.Text;

namespace Kuiper.Tests.Harness;

/// <summary>
/// Keys, certificates and tokens made the way operators make them: with the <c>openssl</c> command line
/// (scripts/install-test-deps.sh installs it). Every file lands in the folder given.
/// </summary>
public static class OpenSsl
{
    /// <summary>Runs <c>openssl</c> with <paramref name="input"/> on stdin; its stdout as bytes, or an exception with stderr.</summary>
    public static byte[] Run(byte[]? input, params string[] args)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start");
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        if (input is not null) process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} exited {process.ExitCode}: {error.GetAwaiter().GetResult()}");
        return output.ToArray();
    }

    /// <summary>
    /// <c>openssl genrsa</c> and <c>openssl pkey -pubout</c>: the private key (to sign tokens) and the PEM public key
    /// an operator drops into the keys folder.
    /// </summary>
    public static RsaKeyFiles NewRsaKey(string folder, string name, int bits = 2048)
    {
        Directory.CreateDirectory(folder);
        var privateKey = Path.Combine(folder, name + ".key");
        var publicKey = Path.Combine(folder, name + ".pub.pem");
        Run(null, "genrsa", "-out", privateKey, bits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Run(null, "pkey", "-in", privateKey, "-pubout", "-out", publicKey);
        return new RsaKeyFiles(privateKey, publicKey);
    }

    /// <summary>
    /// The recipe of docs/operations.md#a-private-cluster-remoting-over-tls-with-mutual-checks: a self-signed certificate for 127.0.0.1 (<c>openssl req -x509</c>) packed with its key
    /// into a PKCS#12 file (<c>openssl pkcs12 -export</c>). Returns the .p12 path; the .crt is beside it.
    /// </summary>
    public static string NewSelfSignedPkcs12(string folder, string name, string password, string commonName = "kuiper-cluster")
    {
        Directory.CreateDirectory(folder);
        var key = Path.Combine(folder, name + ".key");
        var certificate = Path.Combine(folder, name + ".crt");
        var pkcs12 = Path.Combine(folder, name + ".p12");
        Run(null, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "30",
            "-subj", "/CN=" + commonName, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        Run(null, "pkcs12", "-export", "-in", certificate, "-inkey", key, "-out", pkcs12, "-passout", "pass:" + password);
        return pkcs12;
    }
}

public sealed record RsaKeyFiles(string PrivateKey, string PublicKey);

/// <summary>
/// JWTs as a user builds them by hand: header and payload base64url-encoded, the signing input signed with
/// <c>openssl dgst</c> (PKCS#1 v1.5, PSS with the salt as long as the hash as JWA requires, or an HMAC).
/// </summary>
public static class Jwt
{
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    /// <summary>A token signed with an RSA private key: <c>RS256/384/512</c> or <c>PS256/384/512</c>.</summary>
    public static string SignRsa(string privateKey, string alg, string payloadJson, string? headerJson = null)
    {
        var input = SigningInput(alg, payloadJson, headerJson);
        var args = new List<string> { "dgst", "-" + Digest(alg), "-binary", "-sign", privateKey };
        if (alg.StartsWith("PS", StringComparison.Ordinal))
            args.AddRange(["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]);
        return input + "." + Base64Url(OpenSsl.Run(Encoding.ASCII.GetBytes(input), [.. args]));
    }

    /// <summary>An HMAC token (<c>HS256</c>...) with <paramref name="secret"/> as the key, e.g. the public key's PEM bytes.</summary>
    public static string SignHmac(byte[] secret, string alg, string payloadJson)
    {
        var input = SigningInput(alg, payloadJson, null);
        var mac = OpenSsl.Run(Encoding.ASCII.GetBytes(input), "dgst", "-" + Digest(alg), "-binary", "-mac", "HMAC",
            "-macopt", "hexkey:" + Convert.ToHexString(secret));
        return input + "." + Base64Url(mac);
    }

    /// <summary>An unsigned token: <c>alg</c> <c>none</c> and an empty signature.</summary>
    public static string Unsigned(string payloadJson) => SigningInput("none", payloadJson, null) + ".";

    private static string SigningInput(string alg, string payloadJson, string? headerJson) =>
        Base64Url(headerJson ?? $$"""{"alg":"{{alg}}","typ":"JWT"}""") + "." + Base64Url(payloadJson);

    private static string Digest(string alg) => alg[2..] switch
    {
        "256" => "sha256",
        "384" => "sha384",
        "512" => "sha512",
        _ => throw new ArgumentException($"no digest for {alg}", nameof(alg)),
    };
}
