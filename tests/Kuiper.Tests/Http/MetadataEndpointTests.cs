using System.Net;
using Kuiper.Domain.GoCompat;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>
/// eKuiper's <c>/metadata</c> reads of stored configuration (<c>internal/server/meta_init.go</c>,
/// <c>internal/meta/yamlConfigMeta.go</c>): the confKeys of the stored source and sink configs, and confKeys named as
/// eKuiper validates them.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class MetadataEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task Reset() => Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

    private Task<Reply> Send(HttpMethod method, string path, string? body = null) => Client.SendAsync(method, path, body);

    [Fact]
    public async Task Resources_list_each_plugins_user_confKeys()
    {
        await Reset();
        var resources = await Client.GetReplyAsync("/metadata/resources");
        Assert.Equal(HttpStatusCode.OK, resources.Status);
        Assert.Equal("""{"sinks":[{"test":"edgex"}],"sources":[{"td":"mqtt","test":"mqtt"}]}""", resources.Body);

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/metadata/sinks/mqtt/confKeys/remote", """{"server":"tcp://x"}""")).Status);
        Assert.Equal("""{"sinks":[{"test":"edgex"},{"remote":"mqtt"}],"sources":[{"td":"mqtt","test":"mqtt"}]}""",
            (await Client.GetReplyAsync("/metadata/resources")).Body);

        // With nothing stored, Go marshals the nil slices as null.
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);
        Assert.Equal("""{"sinks":null,"sources":null}""", (await Client.GetReplyAsync("/metadata/resources")).Body);
    }

    [Fact]
    public async Task Resource_gives_the_source_confKeys_with_their_props_filtered_by_sourceType()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/metadata/sources/httppull/confKeys/weather",
            """{"url":"http://127.0.0.1:8080","sourceType":"stream"}""")).Status);

        var all = await Client.GetReplyAsync("/metadata/resource");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.StartsWith("""{"httppull":{"weather":{"sourceType":"stream","url":"http://127.0.0.1:8080"}},"mqtt":{"td":{""", all.Body);
        Assert.Contains("\"test\":{", all.Body);

        Assert.Equal("""{"httppull":{"weather":{"sourceType":"stream","url":"http://127.0.0.1:8080"}}}""",
            (await Client.GetReplyAsync("/metadata/resource?sourceType=stream")).Body);
        Assert.Equal("{}", (await Client.GetReplyAsync("/metadata/resource?sourceType=lookup")).Body);
    }

    [Theory]
    [InlineData("PUT", "/metadata/sources/mqtt/confKeys/bad%20key")]
    [InlineData("DELETE", "/metadata/sinks/mqtt/confKeys/bad%20key")]
    [InlineData("PUT", "/metadata/connections/mqtt/confKeys/bad%20key")]
    public async Task A_confKey_is_validated_as_an_id(string method, string path)
    {
        await Reset();
        var export = await Client.ExportAsync();

        var reply = await Send(new HttpMethod(method), path, method == "PUT" ? """{"server":"tcp://x"}""" : null);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"{{\"error\":1000,\"message\":{GoQuote.Quote("Invalid confKey: id 'bad key' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")}}}\n",
            reply.Body);
        Assert.Equal(export, await Client.ExportAsync());
    }

    [Fact]
    public async Task A_named_connection_is_a_confKey_of_its_plugin()
    {
        await Reset();
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/metadata/connections/mqtt/confKeys/viaMeta", """{"server":"tcp://x"}""")).Status);

        Assert.Equal("""[{"id":"viaMeta","typ":"mqtt","props":{"server":"tcp://x"},"isNamed":true}]""", (await Client.GetReplyAsync("/connections")).Body);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, "/metadata/connections/mqtt/confKeys/viaMeta")).Status);
        Assert.Equal("[]", (await Client.GetReplyAsync("/connections")).Body);
    }
}
