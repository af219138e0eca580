using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Security;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Security;

/// <summary>golang-jwt v5.3.1's order of checks before the signature, and its texts (ParseUnverified, eKuiper's keyfunc, claims).</summary>
public sealed class EkuiperTokenTests
{
    private static string Token(string header, string payload, string signature = "c2ln") =>
        Jwt.Base64Url(header) + "." + Jwt.Base64Url(payload) + "." + signature;

    private const string Rs256 = """{"alg":"RS256","typ":"JWT"}""";

    [Theory]
    [InlineData("abc", "token is malformed: token contains an invalid number of segments")]
    [InlineData("a.b.c.d", "token is malformed: token contains an invalid number of segments")]
    [InlineData("a.b.c", "token is malformed: could not base64 decode header: illegal base64 data at input byte 0")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30=.x", "token is malformed: could not base64 decode claim: illegal base64 data at input byte 3")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.x!", "token is malformed: could not base64 decode signature: illegal base64 data at input byte 1")]
    [InlineData("e30.e30.x", "token is unverifiable: signing method (alg) is unspecified")]
    [InlineData("eyJhbGciOiJGT08ifQ.e30.x", "token is unverifiable: signing method (alg) is unavailable")]
    public void Raw_tokens_fail_where_golang_jwt_stops(string token, string expected)
    {
        Assert.Null(EkuiperToken.Parse(token, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("{", "token is malformed: could not JSON decode header: unexpected end of JSON input")]
    [InlineData("[1]", "token is malformed: could not JSON decode header: json: cannot unmarshal array into Go value of type map[string]interface {}")]
    [InlineData("""{"alg":7}""", "token is unverifiable: signing method (alg) is unspecified")]
    [InlineData("""{"alg":"RS256","alg":null}""", "token is unverifiable: signing method (alg) is unspecified")]
    [InlineData("""{"ALG":"RS256"}""", "token is unverifiable: signing method (alg) is unspecified")]
    public void Header_is_a_map_and_alg_an_exact_key(string header, string expected)
    {
        Assert.Null(EkuiperToken.Parse(Token(header, "{}"), out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("""{"iss":1}""", "json: cannot unmarshal number into Go struct field Token.iss of type string")]
    [InlineData("""{"sub":{}}""", "json: cannot unmarshal object into Go struct field Token.sub of type string")]
    [InlineData("""{"aud":3}""", "invalid type for claim")]
    [InlineData("""{"aud":["eKuiper",3]}""", "invalid type for claim")]
    [InlineData("""{"exp":"soon"}""", "could not parse NumericData: json: invalid number literal, trying to unmarshal \"\\\"soon\\\"\" into Number")]
    [InlineData("""{"nbf":true}""", "could not parse NumericData: json: cannot unmarshal bool into Go value of type json.Number")]
    [InlineData("""{"exp":1e400}""", "could not convert json number value to float: strconv.ParseFloat: parsing \"1e400\": value out of range")]
    [InlineData("""[]""", "json: cannot unmarshal array into Go value of type jwt.Token")]
    [InlineData("""{"iss":"a",}""", "invalid character '}' looking for beginning of object key string")]
    public void Claims_decode_as_Go_decodes_them_into_eKuipers_token(string payload, string expected)
    {
        Assert.Null(EkuiperToken.Parse(Token(Rs256, payload), out var error));
        Assert.Equal("token is malformed: could not JSON decode claim: " + expected, error);
    }

    [Fact]
    public void Claim_names_match_ignoring_case_and_the_last_one_wins()
    {
        var parts = EkuiperToken.Parse(Token(Rs256, """{"ISS":"first","iss":"second.pub","Aud":"eKuiper","EXP":"1700000000","nbf":12,"nbf":null,"x":[[[]]]}"""), out var error);
        Assert.Null(error);
        Assert.Equal("RS256", parts!.Algorithm);
        Assert.Equal("second.pub", parts.Claims.Issuer);
        Assert.Equal(["eKuiper"], parts.Claims.Audience);
        Assert.Equal(1_700_000_000, parts.Claims.ExpiresAt);
        Assert.Null(parts.Claims.NotBefore);
    }

    [Fact]
    public void An_empty_payload_has_no_issuer_and_no_audience()
    {
        var parts = EkuiperToken.Parse(Token(Rs256, "null"), out var error);
        Assert.Null(error);
        Assert.Equal("", parts!.Claims.Issuer);
        Assert.Empty(parts.Claims.Audience);
        Assert.Equal("token is unverifiable: error while executing keyfunc: issuer field not exist in jwt payload", EkuiperToken.IssuerMissing);
    }

    [Fact]
    public void Expiry_and_not_before_are_checked_as_golang_jwt_does_without_leeway()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000);
        EkuiperClaims Claims(double? exp, double? nbf) => new("k", ["eKuiper"], exp, nbf);
        Assert.Null(EkuiperToken.ClaimsError(Claims(null, null), now));
        Assert.Null(EkuiperToken.ClaimsError(Claims(1_001, 1_000), now));
        Assert.Equal("token has invalid claims: token is expired", EkuiperToken.ClaimsError(Claims(1_000, null), now));
        Assert.Equal("token has invalid claims: token is not valid yet", EkuiperToken.ClaimsError(Claims(null, 1_001), now));
        Assert.Equal("token has invalid claims: token is expired, token is not valid yet", EkuiperToken.ClaimsError(Claims(999, 1_001), now));
    }

    [Fact]
    public void Audience_must_hold_eKuiper_exactly_and_the_text_prints_Go_slices()
    {
        EkuiperClaims Audience(params string[] aud) => new("k", aud, null, null);
        Assert.Null(EkuiperToken.AudienceError(Audience("neuron", "eKuiper")));
        Assert.Equal("audience field should contain eKuiper, but got [ekuiper eKuiper/]", EkuiperToken.AudienceError(Audience("ekuiper", "eKuiper/")));
        Assert.Equal("audience field should contain eKuiper, but got []", EkuiperToken.AudienceError(Audience()));
    }

    [Theory]
    [InlineData("HS256", "token signature is invalid: key is of invalid type: HMAC verify expects []byte")]
    [InlineData("ES384", "token signature is invalid: key is of invalid type: ECDSA verify expects *ecdsa.PublicKey")]
    [InlineData("EdDSA", "token signature is invalid: key is of invalid type: Ed25519 verify expects ed25519.PublicKey")]
    [InlineData("none", "token signature is invalid: token is unverifiable: 'none' signature type is not allowed")]
    [InlineData("PS512", "token signature is invalid: crypto/rsa: verification error")]
    public void Signature_texts_follow_the_algorithm(string alg, string expected) =>
        Assert.Equal(expected, EkuiperToken.SignatureError(alg));

    [Theory]
    [InlineData("", "")]
    [InlineData("TWFu", "Man")]
    [InlineData("TWE", "Ma")]
    [InlineData("TQ", "M")]
    [InlineData("TW\r\nFu", "Man")]
    [InlineData("-_8", "\u00fb\u00ff")]
    public void Base64url_decodes_as_Gos_raw_url_encoding(string text, string latin1)
    {
        var bytes = GoBase64.DecodeRawUrl(text, out var error);
        Assert.Null(error);
        Assert.Equal(latin1, System.Text.Encoding.Latin1.GetString(bytes!));
    }

    [Theory]
    [InlineData("TWFu=", 4)]
    [InlineData("TWFuT", 4)]
    [InlineData("T+Fu", 1)]
    [InlineData("Té", 1)]
    [InlineData("TWFué", 4)]
    public void Base64url_errors_name_the_byte_Go_names(string text, int index)
    {
        Assert.Null(GoBase64.DecodeRawUrl(text, out var error));
        Assert.Equal($"illegal base64 data at input byte {index}", error);
    }
}
