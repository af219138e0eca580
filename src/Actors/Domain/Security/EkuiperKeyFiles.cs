using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Kuiper.Domain.Security;

/// <summary>
/// eKuiper's key lookup (<c>internal/pkg/jwt/rsa_keys.go</c>): a token's <c>iss</c> names a PEM file in the keys
/// folder, matched against the folder's entries ignoring case and never used as a path, so no <c>iss</c> can reach
/// outside the folder. The file holds an RSA public key (PKIX <c>PUBLIC KEY</c>, PKCS#1 <c>RSA PUBLIC KEY</c>, or a
/// certificate). Errors carry eKuiper's texts, which always name <c>/etc/mgmt</c>.
/// </summary>
public static class EkuiperKeyFiles
{
    /// <summary>eKuiper's folder name under its configuration folder; ours defaults to <c>&lt;DataDir&gt;/mgmt</c>.</summary>
    public const string FolderName = "mgmt";

    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>The entry of <paramref name="folder"/> named <paramref name="issuer"/> (ignoring case, first in Go's sorted order).</summary>
    public static string? Find(string folder, string issuer, out string? error)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (DirectoryNotFoundException)
        {
            error = $"open {folder}: no such file or directory";
            return null;
        }
        catch (IOException)
        {
            error = $"readdirent {folder}: not a directory";
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            error = $"open {folder}: permission denied";
            return null;
        }

        Array.Sort(entries, StringComparer.Ordinal);
        var match = entries.FirstOrDefault(name => string.Equals(name, issuer, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            error = $"not found target key file {issuer} in /etc/{FolderName}";
            return null;
        }
        error = null;
        return Path.Combine(folder, match);
    }

    /// <summary>golang-jwt's <c>ParseRSAPublicKeyFromPEM</c> over the file's bytes; null and Go's text when it fails.</summary>
    public static RSA? ReadPublicKey(string path, out string? error)
    {
        byte[] bytes;
        try
        {
            if (Directory.Exists(path))
            {
                error = $"read {path}: is a directory";
                return null;
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            error = $"open {path}: no such file or directory";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"open {path}: permission denied";
            return null;
        }
        return ParsePublicKey(bytes, out error);
    }

    /// <summary>The first PEM block, read as PKIX, then as a certificate, then as PKCS#1 (golang-jwt's order).</summary>
    public static RSA? ParsePublicKey(byte[] pem, out string? error)
    {
        var text = Encoding.Latin1.GetString(pem).AsSpan();
        if (!PemEncoding.TryFind(text, out var fields))
        {
            error = "invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key";
            return null;
        }
        var der = Convert.FromBase64String(text[fields.Base64Data].ToString());

        error = null;
        if (TryPkix(der, out var rsa, ref error) || TryCertificate(der, out rsa, ref error) || TryPkcs1(der, out rsa))
            return rsa;
        error ??= "x509: failed to parse public key (use ParsePKIXPublicKey instead for this key format)";
        return null;
    }

    private static bool TryPkix(byte[] der, out RSA? rsa, ref string? error)
    {
        rsa = null;
        PublicKey key;
        try
        {
            key = PublicKey.CreateFromSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length) return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
        if (key.Oid.Value != RsaEncryptionOid)
        {
            error = NotRsa;
            return true;
        }
        rsa = key.GetRSAPublicKey();
        return rsa is not null;
    }

    private static bool TryCertificate(byte[] der, out RSA? rsa, ref string? error)
    {
        rsa = null;
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            rsa = certificate.GetRSAPublicKey();
            if (rsa is null) error = NotRsa;
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool TryPkcs1(byte[] der, out RSA? rsa)
    {
        rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPublicKey(der, out var read);
            if (read == der.Length) return true;
        }
        catch (CryptographicException)
        {
        }
        rsa.Dispose();
        rsa = null;
        return false;
    }

    private const string NotRsa = "key is not a valid RSA public key";
}
