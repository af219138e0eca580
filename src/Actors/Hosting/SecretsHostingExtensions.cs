using Kuiper.Domain.Secrets;

namespace Kuiper.Actors.Hosting;

/// <summary>The secrets key ring of <c>Kuiper:Security:SecretsKeyFile</c>, read once at start.</summary>
public static class SecretsHostingExtensions
{
    /// <summary>The ring, null without key files; a file that cannot be read stops the node with the file named.</summary>
    public static SecretKeyRing? SecretKeyRing(this KuiperSettings settings)
    {
        var files = settings.Security.SecretsKeyFile.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (files.Length == 0) return null;
        return Domain.Secrets.SecretKeyRing.Load(files, out var error)
               ?? throw new InvalidOperationException($"Kuiper:Security:SecretsKeyFile: {error}");
    }
}
