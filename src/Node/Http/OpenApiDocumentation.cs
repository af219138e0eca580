using System.Text.Json.Nodes;
using Kuiper.Node.Metrics;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kuiper.Node.Http;

/// <summary>
/// <c>GET /openapi/v1.json</c>: one OpenAPI 3 document for the whole HTTP surface, from ASP.NET Core's own generator.
/// The route handlers describe themselves; this adds what they cannot say: the error envelope and the status codes
/// every endpoint shares, the body, switches and examples of <c>/data/import</c>, and the routes that are not route
/// handlers (health probes, the Prometheus endpoint, the document itself).
/// </summary>
public static class OpenApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ErrorSchema = "ErrorEnvelope";

    /// <summary>Open with authentication on (docs/decisions.md#authentication): no 401 for them.</summary>
    private static readonly string[] Anonymous = ["/", "/ping", "/healthz/live", "/healthz/ready", ConsoleFiles.Path + "/"];

    public static IServiceCollection AddKuiperOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
        });

    public static IEndpointConventionBuilder MapKuiperOpenApi(this IEndpointRouteBuilder app) =>
        app.MapOpenApi("/openapi/{documentName}.json");

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Kuiper.Actors",
            // The release: the document describes what this build serves.
            Version = Kuiper.Actors.Releases.ThisRelease.Version,
            Description = "eKuiper's data import/export REST API on an Akka.NET cluster, with the project's own history, "
                + "dry runs, cluster inspection and metrics. Errors are eKuiper's envelope {\"error\":1000,\"message\":\"...\"} "
                + "and a newline, served as text/plain.",
        };
        document.AddComponent(ErrorSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "eKuiper's error envelope (Go's http.Error: text/plain, one line). A failed dry run adds `plan`.",
            Required = new HashSet<string> { "error", "message" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "1000 (undefined) or 1002 (not found)" },
                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            Examples = [new JsonObject { ["error"] = 1000, ["message"] = "configuration unmarshal with error unexpected end of JSON input" }],
        });

        AddPath(document, "/healthz/live", HttpMethod.Get, "The actor system runs (200 Healthy, else 503 Unhealthy)", "text/plain", "Healthy");
        AddPath(document, "/healthz/ready", HttpMethod.Get,
            "The node is an Up cluster member and its journal answers (200 Healthy, else 503 Unhealthy)", "text/plain", "Healthy");
        AddPath(document, MetricsHosting.Path, HttpMethod.Get,
            "Prometheus text exposition: imports, items, resources, partitions, members, journal latency, installs, runtime",
            "text/plain; version=0.0.4", "kuiper_imports_total{apply=\"always\",mode=\"full\",outcome=\"succeeded\"} 1\n");
        AddPath(document, DocumentPath, HttpMethod.Get, "This document", "application/json", "{\"openapi\":\"3.0.4\"}");
        AddPath(document, ConsoleFiles.Path + "/", HttpMethod.Get, "The web console (static files under /console/, open without a token)",
            "text/html", "<!doctype html>");

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                operation.Responses ??= [];
                var envelope = Envelope(document);
                // Every handler that reads a body or a name answers 400 with the envelope; 404s where a name may be unknown.
                if (!operation.Responses.ContainsKey("400") && (method != HttpMethod.Get || path.Contains('{')))
                    operation.Responses["400"] = Error("Bad request: the envelope says why", envelope);
                if (path.Contains('{') && !operation.Responses.ContainsKey("404"))
                    operation.Responses["404"] = Error("Not found (error 1002), or 404 page not found for an unknown path", envelope);
                if (!Anonymous.Contains(path))
                    operation.Responses["401"] = Error("Authentication is on and the token is missing or refused", envelope);
            }
        }

        if (document.Paths.TryGetValue("/data/import", out var import) && import.Operations?.GetValueOrDefault(HttpMethod.Post) is { } post)
            DescribeImport(document, post);
    }

    private static void DescribeImport(OpenApiDocument document, OpenApiOperation post)
    {
        post.Summary = "Import a bundle (eKuiper's data import)";
        post.Description = "A full import replaces every resource with the bundle; partial=1 overwrites what the bundle carries. "
            + "The reply comes once the node that took the request has installed the bundle's files.";
        post.Parameters =
        [
            Flag("partial", "1: overwrite the resources the bundle carries, keep the rest"),
            Flag("stop", "1: after a full import, leave the cluster and exit with code 100"),
            Flag("atomic", "1 (ours): apply only if every item would succeed, else change nothing"),
            Flag("dryRun", "1 (ours): every check, nothing changed; the reply adds Plan"),
            new OpenApiParameter
            {
                Name = IdempotentImports.Header,
                In = ParameterLocation.Header,
                Description = "Ours: a retry with the same key and request gets the first answer again (Idempotent-Replayed: true), "
                    + "for Kuiper:Import:IdempotencyRetention; 409 while the first runs, 422 for the same key with another request",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
            },
        ];
        post.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "The bundle as a JSON string (content), or where to read it (file: file:// or http(s)://)",
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["content"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                    },
                    Examples = new Dictionary<string, IOpenApiExample>
                    {
                        ["content"] = new OpenApiExample
                        {
                            Value = new JsonObject { ["content"] = "{\"streams\":{\"demo\":\"CREATE STREAM demo () WITH (DATASOURCE=\\\"users\\\", FORMAT=\\\"JSON\\\")\"}}" },
                        },
                        ["file"] = new OpenApiExample { Value = new JsonObject { ["file"] = "file:///var/lib/kuiper/uploads/seed-bundle.json" } },
                    },
                },
            },
        };

        var empty = EmptyConfigResponse();
        var envelope = Envelope(document);
        post.Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "Every item imported (a dry run: every item would be, and Plan says what would change)",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Object },
                        Examples = new Dictionary<string, IOpenApiExample>
                        {
                            ["imported"] = new OpenApiExample { Value = new JsonObject { ["ErrorMsg"] = "", ["ConfigResponse"] = empty.DeepClone() } },
                            ["dryRun"] = new OpenApiExample
                            {
                                Value = new JsonObject
                                {
                                    ["ErrorMsg"] = "", ["ConfigResponse"] = empty.DeepClone(), ["DryRun"] = true,
                                    ["Plan"] = new JsonObject
                                    {
                                        ["streams"] = new JsonObject { ["added"] = new JsonArray("extra"), ["changed"] = new JsonArray(), ["removed"] = new JsonArray(), ["unchanged"] = new JsonArray("demo") },
                                    },
                                },
                            },
                        },
                    },
                },
            },
            ["400"] = new OpenApiResponse
            {
                Description = "A malformed request or bundle (nothing changed), or items that failed: the message is the per-kind errors as JSON",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/plain"] = new()
                    {
                        Schema = envelope,
                        Examples = new Dictionary<string, IOpenApiExample>
                        {
                            ["itemsFailed"] = new OpenApiExample
                            {
                                Value = new JsonObject
                                {
                                    ["error"] = 1000,
                                    ["message"] = "{\"streams\":{\"broken\":\"found \\\"EOF\\\", expect stream field name.\"},\"tables\":{},\"rules\":{}, ...}",
                                },
                            },
                            ["malformed"] = new OpenApiExample
                            {
                                Value = new JsonObject { ["error"] = 1000, ["message"] = "configuration unmarshal with error unexpected end of JSON input" },
                            },
                        },
                    },
                },
            },
            ["401"] = Error("Authentication is on and the token is missing or refused", envelope),
            ["413"] = Error("The body is larger than Kuiper:Import:MaxRequestBytes", envelope),
            ["409"] = Error("An import with the same Idempotency-Key still runs", envelope),
            ["422"] = Error("The Idempotency-Key was used for a different request", envelope),
            ["502"] = Error("The import ran but its report did not come back: it may be partly applied; GET /data/import/status tells", envelope),
            ["503"] = Error("Nothing was applied: the journal failed before any write, the import was not delivered, or its turn had not come "
                + "within Kuiper:Import:RequestTimeout (it was dropped)", envelope),
            ["504"] = Error("Still running at Kuiper:Import:RequestTimeout: it runs on and may be partly applied; GET /data/import/status tells", envelope),
        };
    }

    private static JsonObject EmptyConfigResponse()
    {
        var response = new JsonObject();
        foreach (var kind in Kuiper.Domain.Resources.ResourceKinds.All)
            response[Kuiper.Domain.Resources.ResourceKinds.BundleKey(kind)] = new JsonObject();
        return response;
    }

    private static OpenApiParameter Flag(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("1"), JsonValue.Create("true"), JsonValue.Create("0")] },
    };

    private static OpenApiSchemaReference Envelope(OpenApiDocument document) => new(ErrorSchema, document);

    private static OpenApiResponse Error(string description, IOpenApiSchema envelope) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = envelope } },
    };

    private static void AddPath(OpenApiDocument document, string path, HttpMethod method, string summary, string contentType, string example)
    {
        var item = document.Paths.TryGetValue(path, out var existing) && existing is OpenApiPathItem found ? found : new OpenApiPathItem();
        item.Operations ??= [];
        item.Operations[method] = new OpenApiOperation
        {
            Summary = summary,
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Example = JsonValue.Create(example) } },
                },
            },
        };
        document.Paths[path] = item;
    }
}
