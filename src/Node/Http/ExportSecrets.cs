using Kuiper.Actors.Hosting;
using Kuiper.Domain.Secrets;
using Kuiper.Messages.Bundles;

namespace Kuiper.Node.Http;

/// <summary>
/// What an export writes for secrets (docs/api.md#secrets): <c>?secrets=plain|masked|sealed</c>, else
/// <c>Kuiper:Security:ExportSecrets</c>. With authentication on, <c>plain</c> needs a token with the claim
/// <c>kuiper_secrets: "plain"</c>; other tokens get <c>masked</c> (eKuiper's tokens have no such claim).
/// </summary>
public sealed class ExportSecrets(KuiperSettings settings, SecretKeyRing? ring)
{
    public const string Query = "secrets";
    public const string PlainClaim = "kuiper_secrets";

    /// <summary>The mode of this request, or the error to answer (400).</summary>
    public (SecretsInExport Mode, string? Error) ModeOf(HttpContext context, SecretsInExport? fallback = null)
    {
        var asked = context.Request.Query[Query].ToString();
        SecretsInExport mode;
        if (asked.Length > 0)
        {
            if (!BundleSecrets.TryParse(asked, out mode)) return (default, $"secrets must be plain, masked or sealed, not {Kuiper.Domain.GoCompat.GoQuote.Quote(asked)}");
        }
        else if (fallback is { } given) mode = given;
        else if (!BundleSecrets.TryParse(settings.Security.ExportSecrets, out mode)) mode = SecretsInExport.Masked;

        if (mode == SecretsInExport.Sealed && ring is null)
            return (default, "secrets=sealed needs a key: set Kuiper:Security:SecretsKeyFile");
        if (mode == SecretsInExport.Plain && settings.Security.Authentication && context.User.FindFirst(PlainClaim)?.Value != "plain")
            mode = SecretsInExport.Masked;
        return (mode, null);
    }

    public Bundle Apply(Bundle bundle, SecretsInExport mode) => mode switch
    {
        SecretsInExport.Masked => BundleSecrets.Mask(bundle),
        SecretsInExport.Sealed => BundleSecrets.Seal(bundle, ring!),
        _ => bundle,
    };
}
