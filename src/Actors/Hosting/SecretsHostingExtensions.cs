using System.Runtime.CompilerServices;
using Kuiper.Domain.Secrets;

namespace Kuiper.Actors.Hosting;

/// <summary>The secrets key ring of <c>Kuiper:Security:SecretsKeyFile</c>, read once per settings.</summary>
public static class SecretsHostingExtensions
{
    /// <summary>The host, the import client and the async task book all ask; the files are read the first time.</summary>
    private static readonly ConditionalWeakTable<KuiperSettings, Lazy<SecretKeyRing?>> Rings = new();

    /// <summary>The ring, null without key files; a file that cannot be read stops the node with the file named.</summary>
    public static SecretKeyRing? SecretKeyRing(this KuiperSettings settings) =>
        Rings.GetValue(settings, s => new Lazy<SecretKeyRing?>(() => Load(s.Security.SecretsKeyFile))).Value;

    private static SecretKeyRing? Load(string secretsKeyFile)
    {
        var files = secretsKeyFile.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (files.Length == 0) return null;
        return Domain.Secrets.SecretKeyRing.Load(files, out var error)
               ?? throw new InvalidOperationException($"Kuiper:Security:SecretsKeyFile: {error}");
    }
}
