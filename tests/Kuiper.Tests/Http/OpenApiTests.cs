using System.Net;
using System.Text.Json.Nodes;
using Kuiper.Node;
using Kuiper.Tests.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kuiper.Tests.Http;

/// <summary>
/// <c>GET /openapi/v1.json</c> (ours) covers every route the node maps: the routes come from the node's own builder
/// (<see cref="NodeApp.Build"/>, built but not started), the document from a real node process.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class OpenApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private async Task<JsonObject> DocumentAsync()
    {
        var response = await fixture.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>A node built as Program builds it, on a throwaway folder; nothing is started.</summary>
    private static async Task<IReadOnlyList<(string Path, string Method)>> RoutesAsync(Action<WebApplication>? more = null)
    {
        var app = NodeApp.Build([$"--Kuiper:DataDir={NodeProcess.NewDataDir()}", "--Kuiper:Cluster:Port=0", "--urls=http://127.0.0.1:0"]);
        try
        {
            more?.Invoke(app);
            return ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
                .SelectMany(endpoint =>
                {
                    // The document's own route is a template; the node serves one document, v1.
                    var path = endpoint.RoutePattern.RawText!.Replace("{documentName}", "v1", StringComparison.Ordinal);
                    if (!path.StartsWith('/')) path = "/" + path;
                    var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
                    return methods.Select(method => (path, method.ToLowerInvariant()));
                })
                .Distinct().ToArray();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static IReadOnlyList<string> Missing(JsonObject document, IEnumerable<(string Path, string Method)> routes)
    {
        var paths = document["paths"]!.AsObject();
        return routes.Where(r => paths[r.Path] is not JsonObject item || item[r.Method] is null)
            .Select(r => $"{r.Method.ToUpperInvariant()} {r.Path}").ToArray();
    }

    [Fact]
    public async Task Every_route_the_node_maps_is_in_the_document()
    {
        var document = await DocumentAsync();
        var routes = await RoutesAsync();

        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        Assert.Equal(RepositoryRelease.Version, document["info"]!["version"]!.GetValue<string>());
        // Sanity: the builder really gave the node's routes, the eKuiper API as well as ours and the non-handler ones.
        Assert.Contains(("/data/import", "post"), routes);
        Assert.Contains(("/healthz/ready", "get"), routes);
        Assert.Contains(("/metrics", "get"), routes);
        Assert.Contains(("/cluster/sharding/regions/{type}/entities/{id}", "get"), routes);
        // The management API of 0.3.0.
        foreach (var route in new[] { ("/udf/javascript/{id}", "put"), ("/connections/{id}", "delete"), ("/rules/{id}/tags", "patch"),
                     ("/plugins/functions/{name}/register", "post"), ("/schemas/{type}/{name}/upload", "put"), ("/batch/req", "post"),
                     ("/services/functions/{name}", "get"), ("/streams/{name}/schema", "get"), ("/cluster/secrets/rotate", "post") })
            Assert.Contains(route, routes);
        Assert.Empty(Missing(document, routes));
    }

    [Fact]
    public async Task A_route_left_out_of_the_document_is_caught()
    {
        var document = await DocumentAsync();
        var routes = await RoutesAsync(app => app.MapGet("/not-described", () => Results.Ok()).ExcludeFromDescription());

        Assert.Equal(["GET /not-described"], Missing(document, routes));
    }

    [Fact]
    public async Task The_import_is_described_with_its_switches_status_codes_and_the_error_envelope()
    {
        var document = await DocumentAsync();

        var envelope = document["components"]!["schemas"]!["ErrorEnvelope"]!;
        Assert.Equal("""["error","message"]""", envelope["required"]!.ToJsonString());
        var import = document["paths"]!["/data/import"]!["post"]!;
        Assert.Equal(["partial", "stop", "atomic", "dryRun", "Idempotency-Key"], import["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("header", import["parameters"]![4]!["in"]!.GetValue<string>());
        var responses = import["responses"]!.AsObject();
        Assert.Equal(["200", "400", "401", "409", "413", "422", "502", "503", "504"], responses.Select(r => r.Key).Order());
        Assert.Equal("#/components/schemas/ErrorEnvelope", responses["400"]!["content"]!["text/plain"]!["schema"]!["$ref"]!.GetValue<string>());
        var imported = responses["200"]!["content"]!["application/json"]!["examples"]!["imported"]!["value"]!;
        Assert.Equal("", imported["ErrorMsg"]!.GetValue<string>());
        Assert.Equal(12, imported["ConfigResponse"]!.AsObject().Count);
        Assert.NotNull(import["requestBody"]!["content"]!["application/json"]!["examples"]!["content"]);
        // An endpoint open with authentication on has no 401; the others do.
        Assert.Null(document["paths"]!["/ping"]!["get"]!["responses"]!["401"]);
        Assert.NotNull(document["paths"]!["/rules/{id}"]!["delete"]!["responses"]!["401"]);
    }
}
