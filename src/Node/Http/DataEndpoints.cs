using Kuiper.Domain.Resources;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Domain.Bundles;
using Kuiper.Domain.Exports;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Installation;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>eKuiper's data import/export API: <c>/data/import</c>, <c>/data/import/status</c>, <c>/data/export</c>.</summary>
public static class DataEndpoints
{
    public static IEndpointRouteBuilder MapDataImportExport(this IEndpointRouteBuilder app)
    {
        app.MapPost("/data/import", ImportAsync).Idempotent();
        app.MapGet("/data/import/status", StatusAsync);
        app.MapGet("/data/export", ExportAllAsync);
        app.MapPost("/data/export", ExportRulesAsync);
        return app;
    }

    private static async Task<IResult> ImportAsync(
        HttpRequest request, KuiperSettings settings, CoordinatorClient coordinator,
        LocalArtefacts local, NodeExit exit, ActorSystem system, CancellationToken cancellationToken)
    {
        var origin = ImportOrigins.Of(request.HttpContext, system);
        var (mode, apply, stop) = QueryFlags.ImportOptions(request);

        // The body's bytes, read once and as UTF-8 whatever its charset says (as eKuiper reads them).
        var (body, bodyError) = ImportRequest.Decode(await RequestBody.ReadAsync(request, cancellationToken));
        if (bodyError is not null) return ErrorEnvelope.Result(bodyError);
        var reading = await ImportSources.Of(settings, local).ReadAsync(body!, cancellationToken);
        if (reading.Error is { } readError) return ErrorEnvelope.Result(readError);
        var bundle = reading.Bundle;

        return await RunImportAsync(bundle!, mode, apply, origin, stop, request.HttpContext, coordinator, local, exit, cancellationToken);
    }

    /// <summary>
    /// Runs a parsed bundle under the coordinator's lease and answers as eKuiper does (after this node holds the files),
    /// with our 503 for a journal outage and the plan of a dry run. Shared by imports and restores.
    /// </summary>
    public static async Task<IResult> RunImportAsync(Bundle bundle, ImportMode mode, ImportApply apply, ImportOrigin origin, bool stop,
        HttpContext context, CoordinatorClient coordinator, LocalArtefacts local, NodeExit exit, CancellationToken cancellationToken)
    {
        var outcome = await coordinator.ImportAsync(bundle, mode, cancellationToken, apply, origin);
        if (outcome.Failure is { } failure) return failure;
        var completed = outcome.Completed!;
        if (completed.Changes is { } changes)
            return completed.Report.Succeeded
                ? Results.Text(ImportReplies.DryRunSuccess(completed.Report, changes), "application/json", Encoding.UTF8)
                : ErrorEnvelope.Result(ImportReplies.ConfigResponse(completed.Report), "plan", ImportReplies.Plan(changes));

        // eKuiper answers once the files are written: so does the node that took the request (docs/decisions.md#answer-after-files).
        var report = completed.Report;
        // An import that changed no file-carrying item leaves every node's files as they were.
        if (completed.ArtefactsChanged)
            report = LocalInstallReport.Merge(report, bundle, await local.ReconcileAsync(cancellationToken));
        // eKuiper's partial failure: what failed is listed per item (a journal failure mid-way included), the rest applied.
        if (!report.Succeeded) return ErrorEnvelope.Result(ImportReplies.ConfigResponse(report));

        // stop=1 is honoured for a full import only, as in eKuiper; the node leaves the cluster gracefully.
        if (stop && mode == ImportMode.Full) context.Response.OnCompleted(() => exit.LeaveAndExitAsync(NodeExit.AfterStopImport));
        return Results.Text(ImportReplies.Success(report, outcome.Note), "application/json", Encoding.UTF8);
    }

    private static async Task<IResult> StatusAsync(CoordinatorClient coordinator, CancellationToken cancellationToken) =>
        Results.Text(ImportReplies.ConfigResponse(await coordinator.StatusAsync(cancellationToken)), "application/json", Encoding.UTF8);

    private static async Task<IResult> ExportAllAsync(
        HttpContext context, CoordinatorClient coordinator, ExportSecrets secrets, CancellationToken cancellationToken)
    {
        var (mode, modeError) = secrets.ModeOf(context);
        if (modeError is not null) return ErrorEnvelope.Result(modeError);
        var stored = await coordinator.ExportAsync(cancellationToken);
        return Download(context, BundleCodec.WriteToMemory(secrets.Apply(ExportProjection.Project(stored), mode), BundleShape.Configuration));
    }

    private static async Task<IResult> ExportRulesAsync(
        HttpContext context, CoordinatorClient coordinator, ExportSecrets secrets, CancellationToken cancellationToken)
    {
        var (mode, modeError) = secrets.ModeOf(context);
        if (modeError is not null) return ErrorEnvelope.Result(modeError);
        var ruleIds = await ReadRuleIdsAsync(context.Request, cancellationToken);
        var (selected, unknown) = RuleExport.Select(await coordinator.ExportAsync(cancellationToken), ruleIds);
        if (selected is null)
        {
            var message = unknown.Count == 1 ? $"Rule {unknown[0]} is not found." : $"Rules {string.Join(", ", unknown)} are not found.";
            return ErrorEnvelope.Result(message, ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
        }
        return Download(context, BundleCodec.WriteToMemory(secrets.Apply(ExportProjection.Project(selected), mode), BundleShape.Configuration));
    }

    /// <summary>Like eKuiper: an octet-stream attachment, with range and conditional requests honoured (every export).</summary>
    internal static IResult Download(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.Headers.ContentDisposition = "Attachment";
        return Results.Bytes(body, "application/octet-stream", lastModified: DateTimeOffset.UtcNow, enableRangeProcessing: true);
    }

    /// <summary>
    /// The rule ids as Go's decoder fills a <c>[]string</c> whose error eKuiper ignores: a body that is not JSON, or
    /// not an array, is no id; an element that is not a string (<c>null</c>, <c>1</c>) is the empty id, which no rule has.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> ReadRuleIdsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, cancellationToken);
        if (GoJsonSyntax.CheckDecode(body.Span) is not null) return [];
        using var doc = GoJsonLimits.ParseFirstValue(body);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return [];
        return doc.RootElement.EnumerateArray()
            .Select(id => id.ValueKind == JsonValueKind.String ? id.GetString()! : "")
            .ToList();
    }
}
