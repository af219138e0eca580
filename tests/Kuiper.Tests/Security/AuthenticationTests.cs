using System.Net;
using System.Text;
using Kuiper.Node.Cli;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Inspection;

namespace Kuiper.Tests.Security;

/// <summary>
/// One node with <c>Kuiper:Security:Authentication</c> on and an issuer key (made with openssl) in its default keys
/// folder, <c>&lt;DataDir&gt;/mgmt</c>, under a mixed-case file name.
/// </summary>
public sealed class AuthenticatedNodeFixture : IAsyncLifetime
{
    public const string Issuer = "sample_key.pub";

    public NodeProcess Node { get; private set; } = null!;
    public RsaKeyFiles Key { get; private set; } = null!;
    public RsaKeyFiles Stranger { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var dataDir = NodeProcess.NewDataDir();
        Key = OpenSsl.NewRsaKey(Path.Combine(dataDir, "made"), "issuer");
        Stranger = OpenSsl.NewRsaKey(Path.Combine(dataDir, "made"), "stranger");
        Directory.CreateDirectory(Path.Combine(dataDir, "mgmt"));
        File.Copy(Key.PublicKey, Path.Combine(dataDir, "mgmt", "Sample_Key.pub"));
        Node = NodeProcess.Prepare(dataDir, "--Kuiper:Security:Authentication=true").Authorize(Token());
        await Node.StartAgainAsync();
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A valid token: RS256, <c>iss</c> the key file's name, <c>aud</c> eKuiper, an hour to live.</summary>
    public string Token(string alg = "RS256", string? payload = null) =>
        Jwt.SignRsa(Key.PrivateKey, alg, payload ?? Payload());

    public static string Payload(string iss = Issuer, string aud = "\"eKuiper\"", long? exp = null, long? nbf = null)
    {
        var claims = new List<string>();
        if (iss.Length > 0) claims.Add($"\"iss\":\"{iss}\"");
        if (aud.Length > 0) claims.Add($"\"aud\":{aud}");
        claims.Add($"\"exp\":{exp ?? DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}");
        if (nbf is { } notBefore) claims.Add($"\"nbf\":{notBefore}");
        return "{" + string.Join(",", claims) + "}";
    }
}

[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class AuthenticationTests(AuthenticatedNodeFixture fixture) : IClassFixture<AuthenticatedNodeFixture>
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private HttpClient Anonymous() => new() { BaseAddress = fixture.Node.BaseAddress };

    private async Task<Reply> SendAsync(HttpMethod method, string path, string? authorization, string? body = null)
    {
        using var client = Anonymous();
        using var request = new HttpRequestMessage(method, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Reply.From(await client.SendAsync(request));
    }

    private static void AssertRefused(Reply reply, string text)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(text + "\n", reply.Body);
        Assert.Equal("text/plain; charset=utf-8", reply.ContentType);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ping")]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task Roots_ping_and_probes_stay_open(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, path, null)).Status);

    [Fact]
    public async Task Without_a_token_nothing_can_be_read_or_changed()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Node.Client.ImportAsync(SeedBundle.Json)).Status);
        var members = await fixture.Node.Client.GetStringAsync("/cluster/members");
        var self = System.Text.Json.JsonDocument.Parse(members).RootElement.GetProperty("self").GetString()!;

        (HttpMethod Method, string Path, string? Body)[] attempts =
        [
            (HttpMethod.Post, "/data/import", KuiperApi.ContentBody("{}")),
            (HttpMethod.Get, "/data/export", null),
            (HttpMethod.Get, "/data/import/status", null),
            (HttpMethod.Get, "/streams", null),
            (HttpMethod.Delete, "/streams/demo", null),
            (HttpMethod.Post, "/rules", """{"id":"x","sql":"SELECT * FROM demo","actions":[{"log":{}}]}"""),
            (HttpMethod.Get, "/cluster/members", null),
            (HttpMethod.Get, "/cluster/sharding/regions", null),
            (HttpMethod.Post, "/cluster/leave", $$"""{"address":"{{self}}"}"""),
            (HttpMethod.Post, "/cluster/down", $$"""{"address":"{{self}}"}"""),
            (HttpMethod.Post, "/cluster/down-unreachable", null),
            (HttpMethod.Post, "/cluster/secrets/rotate", null),
            // Unknown paths and wrong methods too: nothing tells an anonymous caller which endpoints exist.
            (HttpMethod.Get, "/no/such/endpoint", null),
            (HttpMethod.Delete, "/ping", null),
        ];
        foreach (var (method, path, body) in attempts)
        {
            AssertRefused(await SendAsync(method, path, null, body), "missing_token");
            AssertRefused(await SendAsync(method, path, "", body), "missing_token");
        }

        // An eKuiper token (no kuiper_secrets claim) gets the secrets masked, and nothing else differs.
        Assert.Equal(SeedBundle.Exported.Replace("\\\"password\\\":\\\"public\\\"", "\\\"password\\\":\\\"******\\\""),
            await fixture.Node.Client.ExportAsync());
        Assert.Contains("\"status\":\"Up\"", await fixture.Node.Client.GetStringAsync("/cluster/members"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/healthz/ready", null)).Status);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    public async Task RSA_tokens_of_every_RSA_algorithm_are_accepted(string alg) =>
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/streams", fixture.Token(alg))).Status);

    [Fact]
    public async Task Bearer_prefix_issuer_case_audience_lists_and_tokens_without_expiry_are_accepted()
    {
        var token = fixture.Token();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/streams", "Bearer " + token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/streams", "bearer " + token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/streams",
            fixture.Token(payload: AuthenticatedNodeFixture.Payload(iss: "SAMPLE_KEY.PUB", aud: """["neuron","eKuiper"]""")))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/streams",
            fixture.Token(payload: """{"iss":"Sample_Key.pub","aud":"eKuiper"}"""))).Status);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "expired", "validate token error: token has invalid claims: token is expired" },
        { "not yet valid", "validate token error: token has invalid claims: token is not valid yet" },
        { "wrong audience", "audience field should contain eKuiper, but got [neuron ekuiper]" },
        { "no audience", "audience field should contain eKuiper, but got []" },
        { "unknown issuer", "validate token error: token is unverifiable: error while executing keyfunc: not found target key file other.pub in /etc/mgmt" },
        { "no issuer", "validate token error: token is unverifiable: error while executing keyfunc: issuer field not exist in jwt payload" },
        { "path as issuer", "validate token error: token is unverifiable: error while executing keyfunc: not found target key file ../made/issuer.pub.pem in /etc/mgmt" },
        { "HS256 keyed with the public key", "validate token error: token signature is invalid: key is of invalid type: HMAC verify expects []byte" },
        { "alg none", "validate token error: token signature is invalid: token is unverifiable: 'none' signature type is not allowed" },
        { "signed by another key", "validate token error: token signature is invalid: crypto/rsa: verification error" },
        { "payload changed after signing", "validate token error: token signature is invalid: crypto/rsa: verification error" },
        { "PS256 header on an RS256 signature", "validate token error: token signature is invalid: crypto/rsa: verification error" },
        { "malformed", "validate token error: token is malformed: token contains an invalid number of segments" },
        { "not base64", "validate token error: token is malformed: could not base64 decode header: illegal base64 data at input byte 2" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_tokens_get_eKuipers_texts(string what, string text)
    {
        var token = what switch
        {
            "expired" => fixture.Token(payload: AuthenticatedNodeFixture.Payload(exp: Now - 60)),
            "not yet valid" => fixture.Token(payload: AuthenticatedNodeFixture.Payload(nbf: Now + 3600)),
            "wrong audience" => fixture.Token(payload: AuthenticatedNodeFixture.Payload(aud: """["neuron","ekuiper"]""")),
            "no audience" => fixture.Token(payload: AuthenticatedNodeFixture.Payload(aud: "")),
            "unknown issuer" => fixture.Token(payload: AuthenticatedNodeFixture.Payload(iss: "other.pub")),
            "no issuer" => fixture.Token(payload: AuthenticatedNodeFixture.Payload(iss: "")),
            "path as issuer" => fixture.Token(payload: AuthenticatedNodeFixture.Payload(iss: "../made/issuer.pub.pem")),
            // The classic confusion attack: the public key, which anyone may hold, used as an HMAC secret.
            "HS256 keyed with the public key" => Jwt.SignHmac(File.ReadAllBytes(fixture.Key.PublicKey), "HS256", AuthenticatedNodeFixture.Payload()),
            "alg none" => Jwt.Unsigned(AuthenticatedNodeFixture.Payload()),
            "signed by another key" => Jwt.SignRsa(fixture.Stranger.PrivateKey, "RS256", AuthenticatedNodeFixture.Payload()),
            "payload changed after signing" => WithPayload(fixture.Token(), AuthenticatedNodeFixture.Payload(exp: Now + 999_999)),
            "PS256 header on an RS256 signature" => WithHeader(fixture.Token(), """{"alg":"PS256","typ":"JWT"}"""),
            "malformed" => "abc",
            "not base64" => "ey!.e30.x",
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };
        AssertRefused(await SendAsync(HttpMethod.Get, "/streams", token), text);
        AssertRefused(await SendAsync(HttpMethod.Get, "/streams", "Bearer " + token), text);
    }

    private static string WithPayload(string token, string payload)
    {
        var parts = token.Split('.');
        return parts[0] + "." + Jwt.Base64Url(payload) + "." + parts[2];
    }

    private static string WithHeader(string token, string header)
    {
        var parts = token.Split('.');
        return Jwt.Base64Url(header) + "." + parts[1] + "." + parts[2];
    }

    [Fact]
    public async Task The_client_verbs_send_the_token_from_the_option_or_the_environment()
    {
        var refused = await CliRunner.RunAsync(fixture.Node, "show", "--json");
        Assert.Equal(ClientVerbs.NodeError, refused.ExitCode);
        Assert.Equal("401 Unauthorized: missing_token (the node needs a token: --token or KUIPER_TOKEN)\n", refused.Err);

        var withOption = await CliRunner.RunAsync(fixture.Node, "show", "--json", "--token", fixture.Token());
        Assert.Equal(1, withOption.Json().GetProperty("members").GetArrayLength());

        var previous = Environment.GetEnvironmentVariable(ClientVerbs.TokenVariable);
        try
        {
            Environment.SetEnvironmentVariable(ClientVerbs.TokenVariable, "Bearer " + fixture.Token());
            Assert.Equal(1, (await CliRunner.RunAsync(fixture.Node, "show", "--json")).Json().GetProperty("members").GetArrayLength());
            var expired = fixture.Token(payload: AuthenticatedNodeFixture.Payload(exp: Now - 1));
            var overridden = await CliRunner.RunAsync(fixture.Node, "show", "--token", expired);
            Assert.Equal(ClientVerbs.NodeError, overridden.ExitCode);
            Assert.StartsWith("401 Unauthorized: validate token error: token has invalid claims: token is expired", overridden.Err);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClientVerbs.TokenVariable, previous);
        }
    }

    [Fact]
    public async Task Plain_secrets_in_an_export_need_the_token_claim_for_them_and_other_tokens_get_them_masked()
    {
        var token = fixture.Token();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/data/import?partial=1", token, KuiperApi.ContentBody(SeedBundle.Json))).Status);
        var withClaim = fixture.Token(payload: AuthenticatedNodeFixture.Payload()[..^1] + ",\"kuiper_secrets\":\"plain\"}");

        var eKuiperToken = await SendAsync(HttpMethod.Get, "/data/export?secrets=plain", token);
        Assert.Equal(HttpStatusCode.OK, eKuiperToken.Status);
        Assert.DoesNotContain("\\\"password\\\":\\\"public\\\"", eKuiperToken.Body);
        Assert.Contains("\\\"password\\\":\\\"******\\\"", eKuiperToken.Body);
        var allowed = await SendAsync(HttpMethod.Get, "/data/export", withClaim);
        Assert.Contains("\\\"password\\\":\\\"public\\\"", allowed.Body);
    }
}

[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class KeysFolderTests
{
    [Fact]
    public async Task KeysDir_names_the_folder_and_a_key_added_later_counts_at_once()
    {
        var dataDir = NodeProcess.NewDataDir();
        var keys = Path.Combine(dataDir, "elsewhere");
        var first = OpenSsl.NewRsaKey(Path.Combine(dataDir, "made"), "first");
        var second = OpenSsl.NewRsaKey(Path.Combine(dataDir, "made"), "second");
        Directory.CreateDirectory(keys);
        File.Copy(first.PublicKey, Path.Combine(keys, "first"));
        var payload = AuthenticatedNodeFixture.Payload(iss: "first");

        await using var node = NodeProcess.Prepare(dataDir, "--Kuiper:Security:Authentication=true", $"--Kuiper:Security:KeysDir={keys}")
            .Authorize(Jwt.SignRsa(first.PrivateKey, "RS256", payload));
        await node.StartAgainAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Client.GetReplyAsync("/streams")).Status);

        var secondToken = Jwt.SignRsa(second.PrivateKey, "RS256", AuthenticatedNodeFixture.Payload(iss: "Second.PEM"));
        HttpRequestMessage Request() => new(HttpMethod.Get, "/streams") { Headers = { { "Authorization", secondToken } } };
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        var refused = await Reply.From(await client.SendAsync(Request()));
        Assert.Equal("validate token error: token is unverifiable: error while executing keyfunc: not found target key file Second.PEM in /etc/mgmt\n", refused.Body);

        File.Copy(second.PublicKey, Path.Combine(keys, "second.pem"));
        using var accepted = await client.SendAsync(Request());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }
}
