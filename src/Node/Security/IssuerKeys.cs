using System.Collections.Concurrent;
using Kuiper.Domain.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kuiper.Node.Security;

/// <summary>
/// The token issuers' public keys: eKuiper's lookup (<c>iss</c> names a file in the keys folder, ignoring case) on
/// every request, as eKuiper does, so a key added or removed counts at once; a file's parsed key is kept until
/// the file changes.
/// </summary>
public sealed class IssuerKeys(string folder)
{
    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, RsaSecurityKey Key)> _parsed = new(StringComparer.Ordinal);

    public string Folder { get; } = folder;

    /// <summary>The key the issuer's file holds; null and eKuiper's keyfunc text when there is none.</summary>
    public RsaSecurityKey? Find(string issuer, out string? error)
    {
        var path = EkuiperKeyFiles.Find(Folder, issuer, out error);
        if (path is null) return null;

        var file = new FileInfo(path);
        if (file.Exists && _parsed.TryGetValue(path, out var known) && known.Written == file.LastWriteTimeUtc && known.Length == file.Length)
            return known.Key;
        var rsa = EkuiperKeyFiles.ReadPublicKey(path, out error);
        if (rsa is null) return null;
        var key = new RsaSecurityKey(rsa);
        if (file.Exists) _parsed[path] = (file.LastWriteTimeUtc, file.Length, key);
        return key;
    }

    /// <summary>For the bearer handler: the key of the issuer the token names, read as golang-jwt reads <c>iss</c>.</summary>
    public IEnumerable<SecurityKey> Resolve(SecurityToken token)
    {
        var raw = token is JsonWebToken jwt ? jwt.EncodedToken : null;
        var issuer = raw is null ? null : EkuiperToken.Parse(raw, out _)?.Claims.Issuer;
        return !string.IsNullOrEmpty(issuer) && Find(issuer, out _) is { } key ? [key] : [];
    }
}
