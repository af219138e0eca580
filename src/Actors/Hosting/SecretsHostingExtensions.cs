using System.Runtime.CompilerServices;
using Kuiper.Actors.Serialization;
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

    /// <summary>How this node stores secrets: the ring of <c>SecretsKeyFile</c>, sealing as <c>SealSecretsAtRest</c> says.</summary>
    public static SecretsAtRest SecretsAtRest(this KuiperSettings settings) =>
        new(settings.SecretKeyRing(), settings.Security.SealSecretsAtRest);

    /// <summary>This node's key role, or none when it stores secrets as given.</summary>
    public static string[] SecretKeyRoles(this KuiperSettings settings) =>
        settings.SecretsAtRest().SealingKey is { } key ? [KeyRolePrefix + key] : [];

    /// <summary>The key a member seals with, read from its roles; null when it stores secrets as given.</summary>
    public static string? SealingKeyOf(IEnumerable<string> roles) =>
        roles.FirstOrDefault(r => r.StartsWith(KeyRolePrefix, StringComparison.Ordinal))?[KeyRolePrefix.Length..];

    private static SecretKeyRing? Load(string secretsKeyFile)
    {
        var files = secretsKeyFile.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (files.Length == 0) return null;
        return Domain.Secrets.SecretKeyRing.Load(files, out var error)
               ?? throw new InvalidOperationException($"Kuiper:Security:SecretsKeyFile: {error}");
    }
}
