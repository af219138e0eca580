using System.Text;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Domain.Bundles;
using Kuiper.Domain.Bundles.Yaml;
using Kuiper.Domain.Exports;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's YAML import/export (<c>internal/server/yaml_import_export.go</c>): <c>GET /v2/data/export</c>,
/// <c>POST /v2/data/import</c>, and (ours) <c>POST /v2/data/export</c> with rule ids as <c>POST /data/export</c> takes them.
/// </summary>
public static class YamlEndpoints
{
    public static IEndpointRouteBuilder MapYamlImportExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/data/export", ExportAllAsync);
        app.MapPost("/v2/data/export", ExportRulesAsync);
        app.MapPost("/v2/data/import", ImportAsync).Idempotent();
        return app;
    }

    private static async Task<IResult> ExportAllAsync(HttpContext context, CoordinatorClient coordinator, ExportSecrets secrets, CancellationToken cancellationToken)
    {
        var (mode, modeError) = secrets.ModeOf(context);
        if (modeError is not null) return ErrorEnvelope.Result(modeError);
        var stored = await coordinator.ExportAsync(cancellationToken);
        return DataEndpoints.Download(context, BundleYaml.Write(secrets.Apply(ExportProjection.Project(stored), mode)));
    }

    private static async Task<IResult> ExportRulesAsync(HttpContext context, CoordinatorClient coordinator, ExportSecrets secrets, CancellationToken cancellationToken)
    {
        var (mode, modeError) = secrets.ModeOf(context);
        if (modeError is not null) return ErrorEnvelope.Result(modeError);
        var ruleIds = await DataEndpoints.ReadRuleIdsAsync(context.Request, cancellationToken);
        var (selected, unknown) = RuleExport.Select(await coordinator.ExportAsync(cancellationToken), ruleIds);
        if (selected is null)
        {
            var message = unknown.Count == 1 ? $"Rule {unknown[0]} is not found." : $"Rules {string.Join(", ", unknown)} are not found.";
            return ErrorEnvelope.Result(message, ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
        }
        return DataEndpoints.Download(context, BundleYaml.Write(secrets.Apply(ExportProjection.Project(selected), mode)));
    }

    /// <summary>
    /// Always additive, as eKuiper's (a partial import through the coordinator, recorded as the status); answers
    /// <c>success</c>, or 400 <c>import failed: ...</c> naming each item that failed in eKuiper's words.
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext context, CoordinatorClient coordinator, KuiperSettings settings, LocalArtefacts local,
        CancellationToken cancellationToken)
    {
        var (body, bodyError) = ImportRequest.Parse(await RequestBody.ReadAsync(context.Request, cancellationToken), ImportRequestShape.Yaml);
        if (bodyError is not null) return ErrorEnvelope.Result(bodyError);

        var (content, fetchError) = await ImportSources.Of(settings, local).ContentAsync(body!, cancellationToken);
        if (fetchError is not null) return ErrorEnvelope.Result($"Fail to read file: {fetchError}");

        var (bundle, yamlError) = BundleYaml.Read(content);
        if (yamlError is not null) return ErrorEnvelope.Result($"import failed: {yamlError}");

        if (bundle!.Count > 0)
        {
            var outcome = await coordinator.ImportAsync(bundle, ImportMode.Partial, cancellationToken);
            if (outcome.Failure is { } failure) return failure;
            if (YamlImportReplies.Failures(outcome.Report!) is { } failures) return ErrorEnvelope.Result($"import failed: {failures}");
        }
        return Results.Text("success", "text/plain; charset=utf-8", Encoding.UTF8);
    }
}
