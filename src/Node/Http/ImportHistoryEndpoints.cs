using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>Ours: the import history, <c>GET /data/imports</c> (newest first, <c>?limit=</c>) and <c>GET /data/imports/{id}</c>.</summary>
public static class ImportHistoryEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapImportHistory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/data/imports", ListAsync);
        app.MapGet("/data/imports/{id}", OneAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IRequiredActor<ImportCoordinator> coordinator, CancellationToken cancellationToken)
    {
        var limit = int.MaxValue;
        var text = request.Query["limit"].ToString();
        if (text.Length > 0 && (!int.TryParse(text, System.Globalization.NumberStyles.None, null, out limit) || limit < 1))
            return ErrorEnvelope.Result($"limit must be a positive whole number, not {GoQuote.Quote(text)}");
        var history = await HistoryAsync(coordinator, limit, cancellationToken);
        return Json(writer =>
        {
            writer.WriteStartArray();
            foreach (var report in history.Reports) Write(writer, report, withErrors: false);
            writer.WriteEndArray();
        });
    }

    private static async Task<IResult> OneAsync(string id, IRequiredActor<ImportCoordinator> coordinator, CancellationToken cancellationToken)
    {
        var history = await HistoryAsync(coordinator, int.MaxValue, cancellationToken);
        return history.Reports.FirstOrDefault(r => r.ImportId == id) is { } report
            ? Json(writer => Write(writer, report, withErrors: true))
            : ErrorEnvelope.Result($"import {id} is not found", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
    }

    private static async Task<ImportHistory> HistoryAsync(IRequiredActor<ImportCoordinator> coordinator, int limit, CancellationToken cancellationToken)
    {
        var importer = await coordinator.GetAsync(cancellationToken);
        return await importer.Ask<ImportHistory>(new GetImportHistory(limit), AskTimeout, cancellationToken);
    }

    /// <summary>One record: what, when, where, who, and per kind how many items were imported, failed and removed.</summary>
    public static void Write(Utf8JsonWriter writer, ImportReport report, bool withErrors)
    {
        writer.WriteStartObject();
        writer.WriteString("id", report.ImportId);
        writer.WriteString("mode", report.Mode == ImportMode.Full ? "full" : "partial");
        writer.WriteString("apply", report.Apply switch
        {
            ImportApply.OnlyIfAllSucceed => "atomic",
            ImportApply.Never => "dryRun",
            _ => "always",
        });
        writer.WriteBoolean("dryRun", report.Apply == ImportApply.Never);
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

    private static IResult Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonLimits.Writer)) write(writer);
        return Results.Text(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), "application/json", Encoding.UTF8);
    }
}
