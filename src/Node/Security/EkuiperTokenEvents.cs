using Kuiper.Domain.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Kuiper.Node.Security;

/// <summary>
/// The eKuiper-specific parts around ASP.NET Core's JWT bearer handler: the bare token (or <c>Bearer</c> token) in
/// <c>Authorization</c>, golang-jwt's order of checks before the signature (so each failure gets eKuiper's text),
/// the claim and audience checks after it, and the 401 plain-text bodies. The handler verifies the signature and
/// the lifetime.
/// </summary>
public sealed class EkuiperTokenEvents(IssuerKeys keys, TimeProvider clock) : JwtBearerEvents
{
    private static readonly object PartsKey = new();

    public override Task MessageReceived(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization;
        var token = BareToken(header.Count > 0 ? header[0] : null);
        if (token.Length == 0)
        {
            context.NoResult();
            return Task.CompletedTask;
        }

        var parts = EkuiperToken.Parse(token, out var error);
        if (parts is null)
            return Refuse(context, EkuiperToken.Rejection(error!));
        if (parts.Claims.Issuer.Length == 0)
            return Refuse(context, EkuiperToken.Rejection(EkuiperToken.IssuerMissing));
        if (keys.Find(parts.Claims.Issuer, out var keyError) is null)
            return Refuse(context, EkuiperToken.Rejection(EkuiperToken.KeyfuncError(keyError!)));

        context.HttpContext.Items[PartsKey] = parts;
        context.Token = token;
        return Task.CompletedTask;
    }

    /// <summary>After the handler accepted signature and lifetime: golang-jwt's own claim check, then eKuiper's audience.</summary>
    public override Task TokenValidated(TokenValidatedContext context)
    {
        var claims = Parts(context.HttpContext)!.Claims;
        if (EkuiperToken.ClaimsError(claims, clock.GetUtcNow()) is { } claimsError)
            context.Fail(new EkuiperRejection(EkuiperToken.Rejection(claimsError)));
        else if (EkuiperToken.AudienceError(claims) is { } audienceError)
            context.Fail(new EkuiperRejection(audienceError));
        return Task.CompletedTask;
    }

    /// <summary>Every refusal is a 401 with eKuiper's text, as Go's <c>http.Error</c> writes it.</summary>
    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var text = context.AuthenticateFailure switch
        {
            null => EkuiperToken.MissingToken,
            EkuiperRejection rejection => rejection.Text,
            var failure => HandlerFailureText(failure, Parts(context.HttpContext)),
        };
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.WWWAuthenticate = "Bearer";
        await response.WriteAsync(text + "\n");
    }

    /// <summary>eKuiper reads the whole header as the token; <c>Bearer &lt;token&gt;</c> is accepted too (docs/decisions.md#authentication).</summary>
    public static string BareToken(string? header)
    {
        if (string.IsNullOrEmpty(header)) return "";
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : header;
    }

    /// <summary>What golang-jwt would have said where the handler refused a token that parsed and named a key.</summary>
    private string HandlerFailureText(Exception failure, EkuiperTokenParts? parts)
    {
        if (parts is null) return EkuiperToken.Rejection("token is malformed: " + failure.Message);
        return failure switch
        {
            SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenInvalidLifetimeException =>
                EkuiperToken.Rejection(EkuiperToken.ClaimsError(parts.Claims, clock.GetUtcNow())
                                       ?? "token has invalid claims: token is expired"),
            _ => EkuiperToken.Rejection(EkuiperToken.SignatureError(parts.Algorithm)),
        };
    }

    private static Task Refuse(MessageReceivedContext context, string text)
    {
        context.Fail(new EkuiperRejection(text));
        return Task.CompletedTask;
    }

    private static EkuiperTokenParts? Parts(HttpContext context) => context.Items[PartsKey] as EkuiperTokenParts;

    /// <summary>A refusal whose 401 body is already eKuiper's text.</summary>
    private sealed class EkuiperRejection(string text) : Exception(text)
    {
        public string Text { get; } = text;
    }
}
