using System.Net;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Secrets;

/// <summary>
/// Secrets through the REST API (docs/api.md#secrets): read back masked, kept when sent back masked, exported plain,
/// masked or sealed, and a sealed export restored exactly by a node holding the key and refused by one without it.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class SecretEndpointTests
{

    private const string RuleWithPassword =
        $$$"""{"id":"r1","sql":"SELECT * FROM demo","actions":[{"mqtt":{"server":"tcp://admin:{{{TestSecrets.UrlPassword}}}@10.0.0.1:1883","topic":"t","password":"{{{TestSecrets.RulePassword}}}"}}]}""";

    [Fact]
    public async Task Secrets_read_back_masked_are_kept_when_sent_back_and_a_mask_with_nothing_stored_is_refused()
    {
        await using var node = await NodeProcess.StartAsync();
        var client = node.Client;
        Assert.Equal(HttpStatusCode.OK, (await client.ImportAsync(SeedBundle.Json)).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, "/rules", RuleWithPassword)).Status);
        var before = await client.ExportAsync();

        var yaml = await client.GetReplyAsync("/metadata/sources/yaml/mqtt");
        Assert.Equal(
            """{"td":{"insecureSkipVerify":false,"password":"******","protocolVersion":"3.1.1","qos":1,"server":"tcp://broker.emqx.io:1883","username":"admin"},"test":{"insecureSkipVerify":false,"password":"******","protocolVersion":"3.1.1","qos":1,"server":"tcp://127.0.0.1:1883","username":"admin"}}""",
            yaml.Body);
        var rule = await client.GetReplyAsync("/rules/r1");
        Assert.Equal(RuleWithPassword.Replace(TestSecrets.UrlPassword, "******").Replace(TestSecrets.RulePassword, "******"), rule.Body);

        // What a client read, sent back unchanged, changes nothing.
        using (var td = JsonDocument.Parse(yaml.Body))
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Put, "/metadata/sources/mqtt/confKeys/td", td.RootElement.GetProperty("td").GetRawText())).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Put, "/rules/r1", rule.Body)).Status);
        Assert.Equal(before, await client.ExportAsync());

        // A mask where nothing is stored names the key and stores nothing.
        var refused = await client.SendAsync(HttpMethod.Put, "/metadata/sources/mqtt/confKeys/fresh", """{"password":"******"}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(KuiperApi.Envelope("sourceConfig mqtt: secret \"fresh.password\" is \"******\" but no value is stored for it: send the value itself"), refused.Body);
        Assert.Equal(before, await client.ExportAsync());
    }

    [Fact]
    public async Task A_masked_export_imported_back_keeps_every_secret_and_a_past_configuration_is_masked_unless_asked()
    {
        await using var node = await NodeProcess.StartAsync();
        var client = node.Client;
        Assert.Equal(HttpStatusCode.OK, (await client.ImportAsync(SeedBundle.Json)).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, "/rules", RuleWithPassword)).Status);
        var plain = await client.ExportAsync();
        Assert.Contains(TestSecrets.RulePassword, plain);
        Assert.Equal(plain, await client.GetStringAsync("/data/export?secrets=plain"));

        var masked = await client.GetStringAsync("/data/export?secrets=masked");
        foreach (var secret in new[] { TestSecrets.RulePassword, TestSecrets.UrlPassword, "\\\"password\\\":\\\"public\\\"" }) Assert.DoesNotContain(secret, masked);
        Assert.Contains("******", masked);
        Assert.DoesNotContain(TestSecrets.RulePassword, await client.GetStringAsync("/v2/data/export?secrets=masked"));
        Assert.DoesNotContain(TestSecrets.RulePassword, (await client.PostRawAsync("/ruleset/export?secrets=masked", "")).Body);

        // Edited (a topic) and imported back, full: every secret stays, the edit lands.
        var edited = masked.Replace("\\\"topic\\\":\\\"t\\\"", "\\\"topic\\\":\\\"t2\\\"");
        var imported = await client.ImportAsync(edited);
        Assert.Equal(HttpStatusCode.OK, imported.Status);
        Assert.Equal(plain.Replace("\\\"topic\\\":\\\"t\\\"", "\\\"topic\\\":\\\"t2\\\""), await client.ExportAsync());

        var newest = JsonDocument.Parse((await client.GetReplyAsync("/data/imports?limit=1")).Body).RootElement[0].GetProperty("id").GetString();
        Assert.DoesNotContain(TestSecrets.RulePassword, await client.GetStringAsync($"/data/imports/{newest}/export"));
        Assert.Contains(TestSecrets.RulePassword, await client.GetStringAsync($"/data/imports/{newest}/export?secrets=plain"));

        var bad = await client.GetReplyAsync("/data/export?secrets=none");
        Assert.Equal((HttpStatusCode.BadRequest, KuiperApi.Envelope("secrets must be plain, masked or sealed, not \"none\"")), (bad.Status, bad.Body));
        var sealedWithoutKey = await client.GetReplyAsync("/data/export?secrets=sealed");
        Assert.Equal((HttpStatusCode.BadRequest, KuiperApi.Envelope("secrets=sealed needs a key: set Kuiper:Security:SecretsKeyFile")),
            (sealedWithoutKey.Status, sealedWithoutKey.Body));
    }

    [Fact]
    public async Task A_sealed_export_is_restored_exactly_with_the_key_and_refused_per_item_without_it()
    {
        using var keys = new TempDir();
        var keyFile = SecretKeyFiles.New(keys.Path);
        await using var source = await NodeProcess.StartAsync(null, $"--Kuiper:Security:SecretsKeyFile={keyFile}");
        Assert.Equal(HttpStatusCode.OK, (await source.Client.ImportAsync(SeedBundle.Json)).Status);
        Assert.Equal(HttpStatusCode.Created, (await source.Client.SendAsync(HttpMethod.Post, "/rules", RuleWithPassword)).Status);
        var plain = await source.Client.ExportAsync();

        var sealedExport = await source.Client.GetStringAsync("/data/export?secrets=sealed");
        foreach (var secret in new[] { TestSecrets.RulePassword, TestSecrets.UrlPassword, "\\\"password\\\":\\\"public\\\"" }) Assert.DoesNotContain(secret, sealedExport);
        var keyId = SecretKeyFiles.KeyIdOf(sealedExport);
        Assert.Equal(8, keyId.Length);

        await using var withKey = await NodeProcess.StartAsync(null, $"--Kuiper:Security:SecretsKeyFile={keyFile}");
        Assert.Equal(HttpStatusCode.OK, (await withKey.Client.ImportAsync(sealedExport)).Status);
        Assert.Equal(plain, await withKey.Client.ExportAsync());

        await using var withoutKey = await NodeProcess.StartAsync();
        var refused = await withoutKey.Client.ImportAsync(sealedExport);
        Assert.True(refused.Status == HttpStatusCode.BadRequest, refused.Body);
        // eKuiper's partial failure: the per-kind errors inside the error envelope's message.
        var errors = JsonDocument.Parse(JsonDocument.Parse(refused.Body).RootElement.GetProperty("message").GetString()!).RootElement;
        var why = $"a secret is sealed with key {keyId}, which this node does not have: import it where that key is configured, or send the value itself";
        Assert.Equal($"sourceConfig mqtt: {why}", errors.GetProperty("sourceConfig").GetProperty("mqtt").GetString());
        Assert.Equal($"rules r1: {why}", errors.GetProperty("rules").GetProperty("r1").GetString());
        Assert.DoesNotContain("enc:v1:", await withoutKey.Client.ExportAsync());
    }

    [Fact]
    public async Task A_key_file_that_is_not_a_key_stops_the_node_naming_the_file()
    {
        using var keys = new TempDir();
        var path = Path.Combine(keys.Path, "short.key");
        await File.WriteAllTextAsync(path, Convert.ToBase64String(new byte[16]) + "\n");
        var node = NodeProcess.Prepare(null, $"--Kuiper:Security:SecretsKeyFile={path}");
        Assert.NotEqual(0, await node.FailsToStartAsync());
        Assert.Contains(path, node.Output);
        await node.DisposeAsync();
    }
}
