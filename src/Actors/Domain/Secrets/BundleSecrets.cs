using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Secrets;

/// <summary>What an export writes for secrets, <c>?secrets=</c>.</summary>
public enum SecretsInExport
{
    /// <summary>As stored: eKuiper's export.</summary>
    Plain,

    /// <summary><c>******</c>: imported back into the same cluster, the stored values are kept.</summary>
    Masked,

    /// <summary><c>enc:v1:&lt;key id&gt;:...</c>: restored exactly by an import into a cluster holding that key.</summary>
    Sealed,
}

/// <summary>The secrets of every definition of a bundle, masked, sealed or opened (artefact records carry none of their own).</summary>
public static class BundleSecrets
{
    public static bool TryParse(string text, out SecretsInExport mode)
    {
        mode = text switch { "plain" => SecretsInExport.Plain, "masked" => SecretsInExport.Masked, "sealed" => SecretsInExport.Sealed, _ => (SecretsInExport)(-1) };
        return Enum.IsDefined(mode);
    }

    public static Bundle Mask(Bundle bundle) => Map(bundle, SecretText.Mask);

    public static Bundle Seal(Bundle bundle, SecretKeyRing ring) => Map(bundle, text => SecretText.Seal(text, ring));

    /// <summary>
    /// Every sealed secret the ring opens, opened; a definition with a secret it cannot open is left as it came, for its
    /// partition to refuse with the key id (the rest of the import goes on).
    /// </summary>
    public static Bundle Open(Bundle bundle, SecretKeyRing? ring) =>
        // Most bundles have nothing sealed: one ordinal search each, and the bundle is not copied.
        ring is null || !bundle.Sections.Values.Any(section => section.Values.Any(Sealed))
            ? bundle
            : Map(bundle, text => Sealed(text) ? SecretText.Open(text, ring).Text ?? text : text);

    private static bool Sealed(string text) => text.Contains(SecretEnvelope.Prefix, StringComparison.Ordinal);

    private static Bundle Map(Bundle bundle, Func<string, string> map) =>
        new(bundle.Sections.ToDictionary(
            section => section.Key,
            section => section.Key.IsArtefact()
                ? section.Value
                : (IReadOnlyDictionary<string, string>)section.Value.ToDictionary(item => item.Key, item => map(item.Value), StringComparer.Ordinal)));
}
