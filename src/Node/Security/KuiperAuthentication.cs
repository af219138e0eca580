using Kuiper.Actors.Hosting;
using Kuiper.Domain.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace Kuiper.Node.Security;

/// <summary>
/// eKuiper's <c>basic.authentication</c> (<c>Kuiper:Security:Authentication</c>): with it on, every endpoint needs a
/// token except those marked <c>AllowAnonymous</c> (<c>/</c>, <c>/ping</c>, <c>/healthz/live</c>, <c>/healthz/ready</c>).
/// A fallback policy does it, so an endpoint added later, an unknown path and a wrong method are closed too.
/// </summary>
public static class KuiperAuthentication
{
    public static IServiceCollection AddKuiperAuthentication(this IServiceCollection services, KuiperSettings settings)
    {
        if (!settings.Security.Authentication) return services;

        var keys = new IssuerKeys(settings.KeysDirectory);
        services.AddSingleton(keys);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EkuiperTokenEvents>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.EventsType = typeof(EkuiperTokenEvents);
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    // eKuiper's keys are RSA: RS256/384/512 and PS256/384/512; HMAC, ECDSA, EdDSA and none are refused.
                    ValidAlgorithms = EkuiperToken.RsaAlgorithms,
                    RequireSignedTokens = true,
                    IssuerSigningKeyResolver = (_, token, _, _) => keys.Resolve(token),
                    // exp and nbf are honoured when present (golang-jwt's defaults: optional, no leeway).
                    ValidateLifetime = true,
                    RequireExpirationTime = false,
                    ClockSkew = TimeSpan.Zero,
                    // The issuer only names the key file; the audience is eKuiper's own check and text (EkuiperTokenEvents).
                    ValidateIssuer = false,
                    ValidateAudience = false,
                };
            });
        services.AddAuthorization(options =>
            options.FallbackPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>Checks tokens before any endpoint (or the 404/405 answers) runs; nothing when authentication is off.</summary>
    public static WebApplication UseKuiperAuthentication(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<KuiperSettings>();
        if (!settings.Security.Authentication) return app;

        var folder = app.Services.GetRequiredService<IssuerKeys>().Folder;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KuiperAuthentication));
        if (!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any())
            log.LogWarning("Authentication is on but {Folder} holds no issuer keys: every token will be refused", folder);
        else
            log.LogInformation("Authentication is on: tokens are checked against the keys in {Folder}", folder);

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
