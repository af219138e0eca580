using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Bundles;
using Kuiper.Domain.Exports;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Partitions;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>Ours: the import history, <c>GET /data/imports</c> (newest first, <c>?limit=</c>) and <c>GET /data/imports/{id}</c>.</summary>
public static class ImportHistoryEndpoints
{
    public static IEndpointRouteBuilder MapImportHistory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/data/imports", ListAsync);
        app.MapGet("/data/imports/{id}", OneAsync);
        app.MapGet("/data/imports/{id}/export", ExportAtAsync);
        app.MapGet("/data/imports/{a}/diff/{b}", DiffAsync);
        app.MapPost("/data/imports/{id}/restore", RestoreAsync);
        return app;
    }

    /// <summary>Exactly what <c>GET /data/export</c> returned right after that import, as an attachment.</summary>
    private static async Task<IResult> ExportAtAsync(string id, HttpContext context, CoordinatorClient coordinator,
        ActorSystem system, ExportSecrets secrets, CancellationToken cancellationToken)
    {
        // A past configuration is masked unless asked otherwise (?secrets=plain|sealed): it is what the console shows.
        var (mode, modeError) = secrets.ModeOf(context, Kuiper.Domain.Secrets.SecretsInExport.Masked);
        if (modeError is not null) return ErrorEnvelope.Result(modeError);
        var (configuration, error) = await ConfigurationAtAsync(id, coordinator, system, cancellationToken);
        if (error is not null) return error;
        context.Response.Headers.ContentDisposition = "Attachment";
        return Results.Bytes(BundleCodec.Write(secrets.Apply(configuration!, mode)), "application/octet-stream");
    }

    /// <summary>What changed from import <paramref name="a"/> to import <paramref name="b"/>, per kind, in the dry run's plan shape.</summary>
    private static async Task<IResult> DiffAsync(string a, string b, CoordinatorClient coordinator, ActorSystem system,
        CancellationToken cancellationToken)
    {
        var (before, beforeError) = await ConfigurationAtAsync(a, coordinator, system, cancellationToken);
        if (beforeError is not null) return beforeError;
        var (after, afterError) = await ConfigurationAtAsync(b, coordinator, system, cancellationToken);
        if (afterError is not null) return afterError;
        var changes = ResourceKinds.All.ToDictionary(kind => kind, kind => Diff(before![kind], after![kind]));
        return Results.Text(ImportReplies.Plan(changes), "application/json", Encoding.UTF8);
    }

    /// <summary>A full import of the configuration that import left, recorded as a restore of it.</summary>
    private static async Task<IResult> RestoreAsync(string id, HttpContext context, CoordinatorClient coordinator,
        LocalArtefacts local, NodeExit exit, ActorSystem system, CancellationToken cancellationToken)
    {
        var (configuration, error) = await ConfigurationAtAsync(id, coordinator, system, cancellationToken);
        if (error is not null) return error;
        return await DataEndpoints.RunImportAsync(configuration!, ImportMode.Full, ImportApply.Always,
            ImportOrigins.Of(context, system, restoreOf: id), stop: false, context, coordinator, local, exit, cancellationToken);
    }

    /// <summary>The configuration an import left, in its export form; or the error to answer.</summary>
    private static async Task<(Bundle? Configuration, IResult? Error)> ConfigurationAtAsync(string id, CoordinatorClient coordinator,
        ActorSystem system, CancellationToken cancellationToken)
    {
        var history = await coordinator.HistoryAsync(int.MaxValue, cancellationToken);
        if (history.FirstOrDefault(r => r.ImportId == id) is not { } report)
            return (null, ErrorEnvelope.Result($"import {id} is not found", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound));
        if (report.Positions is not { } positions)
            return (null, ErrorEnvelope.Result($"import {id} left no recorded configuration (it was recorded without the journal positions)"));
        var stored = await new PartitionHistory(system).StateAtAsync(positions, cancellationToken);
        return (ExportProjection.Project(stored), null);
    }

    private static BatchChanges Diff(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        static List<string> Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToList();
        return new BatchChanges(
            Sorted(after.Keys.Where(n => !before.ContainsKey(n))),
            Sorted(after.Where(e => before.TryGetValue(e.Key, out var old) && old != e.Value).Select(e => e.Key)),
            Sorted(before.Keys.Where(n => !after.ContainsKey(n))),
            Sorted(after.Where(e => before.TryGetValue(e.Key, out var old) && old == e.Value).Select(e => e.Key)));
    }

    private static async Task<IResult> ListAsync(HttpRequest request, CoordinatorClient coordinator, CancellationToken cancellationToken)
    {
        var limit = int.MaxValue;
        var text = request.Query["limit"].ToString();
        if (text.Length > 0 && (!int.TryParse(text, System.Globalization.NumberStyles.None, null, out limit) || limit < 1))
            return ErrorEnvelope.Result($"limit must be a positive whole number, not {GoQuote.Quote(text)}");
        // ?kind=import|change: only imports (what the status shows) or only REST changes.
        var kind = request.Query["kind"].ToString();
        if (kind is not ("" or "import" or "change"))
            return ErrorEnvelope.Result($"kind must be import or change, not {GoQuote.Quote(kind)}");
        var history = kind.Length == 0
            ? await coordinator.HistoryAsync(limit, cancellationToken)
            : (await coordinator.HistoryAsync(int.MaxValue, cancellationToken)).Where(r => (r.Change is null) == (kind == "import")).Take(limit).ToList();
        return Json(writer =>
        {
            writer.WriteStartArray();
            foreach (var report in history) Write(writer, report, withErrors: false);
            writer.WriteEndArray();
        });
    }

    private static async Task<IResult> OneAsync(string id, CoordinatorClient coordinator, CancellationToken cancellationToken)
    {
        var history = await coordinator.HistoryAsync(int.MaxValue, cancellationToken);
        return history.FirstOrDefault(r => r.ImportId == id) is { } report
            ? Json(writer => Write(writer, report, withErrors: true))
            : ErrorEnvelope.Result($"import {id} is not found", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
    }

    /// <summary>One record: what, when, where, who, and per kind how many items were imported, failed and removed.</summary>
    public static void Write(Utf8JsonWriter writer, ImportReport report, bool withErrors)
    {
        writer.WriteStartObject();
        writer.WriteString("id", report.ImportId);
        writer.WriteString("mode", report.Change is not null ? "change" : report.Mode == ImportMode.Full ? "full" : "partial");
        if (report.Change is { } change)
        {
            // A write through the REST API: which kind, how, and the names (counts and errors are the same as an import's).
            writer.WriteStartObject("change");
            writer.WriteString("kind", change.Kind.BundleKey());
            writer.WriteString("operation", change.Operation.ToString().ToLowerInvariant());
            writer.WriteStartArray("names");
            foreach (var name in change.Names) writer.WriteStringValue(name);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteString("apply", report.Apply switch
        {
            ImportApply.OnlyIfAllSucceed => "atomic",
            ImportApply.Never => "dryRun",
            _ => "always",
        });
        writer.WriteBoolean("dryRun", report.Apply == ImportApply.Never);
        writer.WriteBoolean("restorable", report.Positions is not null);
        if (report.Origin is { } origin)
        {
            writer.WriteString("requestedAt", origin.RequestedAt);
            writer.WriteString("node", origin.Node);
            if (origin.RequestedBy is { } who) writer.WriteString("requestedBy", who);
            if (origin.RestoreOf is { } restored) writer.WriteString("restoreOf", restored);
        }
        writer.WriteString("finishedAt", report.CompletedAt);
        writer.WriteBoolean("succeeded", report.Succeeded);
        writer.WriteStartObject("counts");
        foreach (var kind in ResourceKinds.All)
        {
            var counts = report.Counts?.GetValueOrDefault(kind);
            var failed = report.Errors.GetValueOrDefault(kind)?.Count ?? 0;
            writer.WriteStartObject(kind.BundleKey());
            writer.WriteNumber("imported", counts?.Imported ?? 0);
            writer.WriteNumber("failed", counts?.Failed ?? failed);
            writer.WriteNumber("removed", counts?.Removed ?? 0);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        if (withErrors)
        {
            writer.WriteStartObject("errors");
            foreach (var kind in ResourceKinds.All)
            {
                writer.WriteStartObject(kind.BundleKey());
                foreach (var (name, error) in (report.Errors.GetValueOrDefault(kind) ?? new Dictionary<string, string>()).OrderBy(e => e.Key, StringComparer.Ordinal))
                    writer.WriteString(name, error);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static IResult Json(Action<Utf8JsonWriter> write) =>
        Results.Text(GoJsonLimits.Write(write), "application/json", Encoding.UTF8);
}
