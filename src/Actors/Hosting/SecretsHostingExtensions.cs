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

    /// <summary>
    /// A member's role names the key it seals with (<c>secrets-key-1a2b3c4d</c>), so that <c>cluster show</c> tells and
    /// a rotation can check that every member seals with the newest key.
    /// </summary>
    public const string KeyRolePrefix = "secrets-key-";

    /// <summary>This node's key role, or none without a key.</summary>
    public static string[] SecretKeyRoles(this KuiperSettings settings) =>
        settings.SealingKey() is { } key ? [KeyRolePrefix + key] : [];

    /// <summary>The id of the key this node seals stored secrets with; null when it stores them as given.</summary>
    public static string? SealingKey(this KuiperSettings settings) =>
        settings.Security.SealSecretsAtRest ? settings.SecretKeyRing()?.Current.Id : null;

    private static SecretKeyRing? Load(string secretsKeyFile)
    {
        var files = secretsKeyFile.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (files.Length == 0) return null;
        return Domain.Secrets.SecretKeyRing.Load(files, out var error)
               ?? throw new InvalidOperationException($"Kuiper:Security:SecretsKeyFile: {error}");
    }
}
