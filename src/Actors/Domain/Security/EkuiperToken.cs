using System.Globalization;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Security;

/// <summary>The registered claims of eKuiper's token type (golang-jwt's <c>RegisteredClaims</c>), read as Go reads them.</summary>
/// <param name="ExpiresAt">Unix seconds (fractions allowed), or null when absent.</param>
/// <param name="NotBefore">Unix seconds, or null when absent.</param>
public sealed record EkuiperClaims(string Issuer, IReadOnlyList<string> Audience, double? ExpiresAt, double? NotBefore);

/// <summary>What golang-jwt learns from a token before it verifies anything: the algorithm and the claims.</summary>
public sealed record EkuiperTokenParts(string Algorithm, EkuiperClaims Claims);

/// <summary>
/// eKuiper's REST authentication (<c>internal/server/middleware/auth.go</c>, <c>internal/pkg/jwt/</c>, golang-jwt v5.3.1):
/// the order in which a token is checked and the exact 401 texts. The signature itself is verified elsewhere
/// (ASP.NET Core's JWT bearer handler); this is what decides which text a client reads.
/// </summary>
/// <remarks>
/// golang-jwt checks, in order: three segments; header (base64url, JSON); claims (base64url, JSON into the
/// registered claims); a known <c>alg</c>; the signature's base64url; the key (eKuiper's keyfunc: <c>iss</c> names a
/// key file); the signature; <c>exp</c> and <c>nbf</c>. eKuiper's middleware then requires <c>eKuiper</c> in <c>aud</c>.
/// </remarks>
public static class EkuiperToken
{
    public const string RequiredAudience = "eKuiper";

    /// <summary>The body when the <c>Authorization</c> header is missing or empty.</summary>
    public const string MissingToken = "missing_token";

    /// <summary>The algorithms golang-jwt knows; any other <c>alg</c> is "unavailable".</summary>
    public static readonly IReadOnlySet<string> KnownAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "EdDSA", "none",
    };

    /// <summary>The RSA algorithms a token may be verified with (eKuiper's keys are RSA public keys).</summary>
    public static readonly IReadOnlyList<string> RsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    private const string Malformed = "token is malformed: ";
    private const string Unverifiable = "token is unverifiable: ";
    private const string SignatureInvalid = "token signature is invalid: ";

    /// <summary>eKuiper's body for a token golang-jwt refused: <c>validate token error: &lt;error&gt;</c>.</summary>
    public static string Rejection(string jwtError) => "validate token error: " + jwtError;

    /// <summary>A keyfunc failure (no <c>iss</c>, no key file, unreadable key) as golang-jwt wraps it.</summary>
    public static string KeyfuncError(string cause) => Unverifiable + "error while executing keyfunc: " + cause;

    /// <summary>eKuiper's keyfunc when the payload has no (or an empty) <c>iss</c>.</summary>
    public static string IssuerMissing { get; } = KeyfuncError("issuer field not exist in jwt payload");

    /// <summary>
    /// golang-jwt's error when the signature does not verify with the issuer's RSA key: the algorithm decides the
    /// wording (an HMAC, ECDSA or EdDSA method refuses an RSA key; <c>none</c> is never allowed).
    /// </summary>
    public static string SignatureError(string algorithm) => algorithm switch
    {
        "HS256" or "HS384" or "HS512" => SignatureInvalid + "key is of invalid type: HMAC verify expects []byte",
        "ES256" or "ES384" or "ES512" => SignatureInvalid + "key is of invalid type: ECDSA verify expects *ecdsa.PublicKey",
        "EdDSA" => SignatureInvalid + "key is of invalid type: Ed25519 verify expects ed25519.PublicKey",
        "none" => SignatureInvalid + Unverifiable + "'none' signature type is not allowed",
        _ => SignatureInvalid + "crypto/rsa: verification error",
    };

    /// <summary>golang-jwt's default claim checks at <paramref name="now"/>: <c>exp</c> must be after now, <c>nbf</c> not after it.</summary>
    public static string? ClaimsError(EkuiperClaims claims, DateTimeOffset now)
    {
        var seconds = (now - DateTimeOffset.UnixEpoch).TotalSeconds;
        var errors = new List<string>(2);
        if (claims.ExpiresAt is { } exp && !(seconds < exp)) errors.Add("token is expired");
        if (claims.NotBefore is { } nbf && seconds < nbf) errors.Add("token is not valid yet");
        return errors.Count == 0 ? null : "token has invalid claims: " + string.Join(", ", errors);
    }

    /// <summary>eKuiper's audience check (exact <c>eKuiper</c>); the text prints the list as Go's <c>%s</c> does.</summary>
    public static string? AudienceError(EkuiperClaims claims) =>
        claims.Audience.Contains(RequiredAudience, StringComparer.Ordinal)
            ? null
            : $"audience field should contain eKuiper, but got [{string.Join(' ', claims.Audience)}]";

    /// <summary>
    /// golang-jwt's <c>ParseUnverified</c>: null and the error (without the <c>validate token error: </c> prefix) when
    /// golang-jwt would stop before looking for a key.
    /// </summary>
    public static EkuiperTokenParts? Parse(string token, out string? error)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            error = Malformed + "token contains an invalid number of segments";
            return null;
        }

        var headerBytes = GoBase64.DecodeRawUrl(parts[0], out var decodeError);
        if (headerBytes is null)
        {
            error = Malformed + "could not base64 decode header: " + decodeError;
            return null;
        }
        var header = ReadHeader(headerBytes, out var headerError);
        if (headerError is not null)
        {
            error = Malformed + "could not JSON decode header: " + headerError;
            return null;
        }

        var claimBytes = GoBase64.DecodeRawUrl(parts[1], out decodeError);
        if (claimBytes is null)
        {
            error = Malformed + "could not base64 decode claim: " + decodeError;
            return null;
        }
        var claims = ReadClaims(claimBytes, out var claimsError);
        if (claims is null)
        {
            error = Malformed + "could not JSON decode claim: " + claimsError;
            return null;
        }

        if (header?.Algorithm is not { } algorithm)
        {
            error = Unverifiable + "signing method (alg) is unspecified";
            return null;
        }
        if (!KnownAlgorithms.Contains(algorithm))
        {
            error = Unverifiable + "signing method (alg) is unavailable";
            return null;
        }

        if (GoBase64.DecodeRawUrl(parts[2], out decodeError) is null)
        {
            error = Malformed + "could not base64 decode signature: " + decodeError;
            return null;
        }

        error = null;
        return new EkuiperTokenParts(algorithm, claims);
    }

    private sealed record Header(string? Algorithm);

    /// <summary><c>json.Unmarshal</c> into <c>map[string]any</c>; the algorithm is the last <c>alg</c> key if it is a string.</summary>
    private static Header? ReadHeader(byte[] utf8, out string? error)
    {
        if ((error = GoJsonSyntax.Check(utf8)) is not null) return null;
        using var document = Parse(utf8);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "map[string]interface {}");
            return null;
        }
        string? algorithm = null;
        foreach (var property in root.EnumerateObject())
            if (property.NameEquals("alg"))
                algorithm = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
        return new Header(algorithm);
    }

    /// <summary>
    /// <c>json.Unmarshal</c> into eKuiper's <c>jwt.Token</c>: field names match case-insensitively, the last occurrence
    /// wins, unknown fields are ignored, and the first type error in document order is the one reported.
    /// </summary>
    private static EkuiperClaims? ReadClaims(byte[] utf8, out string? error)
    {
        if ((error = GoJsonSyntax.Check(utf8)) is not null) return null;
        using var document = Parse(utf8);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return new EkuiperClaims("", [], null, null);
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "jwt.Token");
            return null;
        }

        string issuer = "";
        IReadOnlyList<string> audience = [];
        double? expiresAt = null, notBefore = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name.ToLowerInvariant())
            {
                case "iss":
                    issuer = StringField(value, "iss", issuer, ref error);
                    break;
                case "sub":
                case "jti":
                    StringField(value, property.Name.ToLowerInvariant(), "", ref error);
                    break;
                case "aud":
                    audience = AudienceField(value, audience, ref error);
                    break;
                case "exp":
                    expiresAt = DateField(value, expiresAt, ref error);
                    break;
                case "nbf":
                    notBefore = DateField(value, notBefore, ref error);
                    break;
                case "iat":
                    DateField(value, null, ref error);
                    break;
            }
        }
        return error is null ? new EkuiperClaims(issuer, audience, expiresAt, notBefore) : null;
    }

    private static string StringField(JsonElement value, string name, string current, ref string? error)
    {
        if (value.ValueKind == JsonValueKind.String) return value.GetString()!;
        if (value.ValueKind != JsonValueKind.Null)
            error ??= GoJsonError.UnmarshalType(GoJsonError.KindOf(value.ValueKind)!, "string", "Token." + name);
        return current;
    }

    /// <summary>golang-jwt's <c>ClaimStrings</c>: one string or an array of strings; null keeps what was there.</summary>
    private static IReadOnlyList<string> AudienceField(JsonElement value, IReadOnlyList<string> current, ref string? error)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Null:
                return current;
            case JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                return value.EnumerateArray().Select(e => e.GetString()!).ToArray();
            default:
                error ??= "invalid type for claim";
                return current;
        }
    }

    /// <summary>golang-jwt's <c>NumericDate</c>: a JSON number, or a string holding one; null clears it.</summary>
    private static double? DateField(JsonElement value, double? current, ref string? error)
    {
        string number;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                number = value.GetRawText();
                break;
            case JsonValueKind.String when IsJsonNumber(value.GetString()!):
                number = value.GetString()!;
                break;
            case JsonValueKind.String:
                error ??= "could not parse NumericData: json: invalid number literal, trying to unmarshal "
                          + GoQuote.Quote(value.GetRawText()) + " into Number";
                return current;
            default:
                error ??= "could not parse NumericData: "
                          + GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(value.ValueKind)!, "json.Number");
                return current;
        }
        var seconds = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(seconds))
        {
            error ??= $"could not convert json number value to float: strconv.ParseFloat: parsing {GoQuote.Quote(number)}: value out of range";
            return current;
        }
        return seconds;
    }

    /// <summary>The JSON number grammar, which Go's <c>json.Number</c> requires of a string.</summary>
    private static bool IsJsonNumber(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-') i++;
        if (i >= s.Length) return false;
        if (s[i] == '0') i++;
        else if (char.IsAsciiDigit(s[i])) while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        else return false;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (i >= s.Length || !char.IsAsciiDigit(s[i])) return false;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            if (i >= s.Length || !char.IsAsciiDigit(s[i])) return false;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        return i == s.Length;
    }

    /// <summary>
    /// After Go's syntax check has passed: invalid UTF-8 becomes U+FFFD (as Go decodes it) and nesting may go as deep as
    /// Go allows.
    /// </summary>
    private static JsonDocument Parse(byte[] utf8) =>
        JsonDocument.Parse(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8)),
            new JsonDocumentOptions { MaxDepth = GoJsonSyntax.MaxNestingDepth + 1 });
}
