using System.Text;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's older ruleset API (<c>internal/server/rest.go</c> <c>importHandler</c>/<c>exportHandler</c>,
/// <c>internal/processor/ruleset.go</c>): streams, tables and rules only.
/// </summary>
public static class RulesetEndpoints
{
    /// <summary>The failures that eKuiper only logs, for clients that want them; a client that does not know it ignores it.</summary>
    public const string ErrorsHeader = "Kuiper-Import-Errors";

    /// <summary>How many failures did not fit in <see cref="ErrorsHeader"/> (the status has them all).</summary>
    public const string OmittedHeader = "Kuiper-Import-Errors-Omitted";

    /// <summary>
    /// Far below what clients accept in one header line (curl: 100 KB); the whole map is in
    /// <c>GET /data/import/status</c>, since this import is recorded like any other.
    /// </summary>
    public const int ErrorsHeaderBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapRuleset(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ruleset/export", ExportAsync);
        app.MapPost("/ruleset/import", ImportAsync).Idempotent();
        return app;
    }

    /// <summary>
    /// Never resets: streams and tables are replaced, rules created or updated (newer version wins), through the
    /// coordinator as a partial import of the three kinds. Answers eKuiper's count of what was stored.
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext context, CoordinatorClient coordinator, KuiperSettings settings, LocalArtefacts local,
        CancellationToken cancellationToken)
    {
        var (body, bodyError) = ImportRequest.Parse(await RequestBody.ReadAsync(context.Request, cancellationToken), ImportRequestShape.Ruleset);
        if (bodyError is not null) return ErrorEnvelope.Result(bodyError);

        var (content, fetchError) = await ImportSources.Of(settings, local).ContentAsync(body!, cancellationToken);
        if (fetchError is not null) return ErrorEnvelope.Result($"Fail to read file: {fetchError}");

        // eKuiper answers an invalid file by dereferencing a nil error (the connection drops); here: its error text.
        var (ruleset, rulesetError) = BundleCodec.Parse(content, BundleShape.Ruleset);
        if (rulesetError is not null) return ErrorEnvelope.Result($"Import ruleset error: invalid import file: {rulesetError}");

        var report = ImportReport.None;
        if (ruleset!.Count > 0)
        {
            var outcome = await coordinator.ImportAsync(ruleset, ImportMode.Partial, cancellationToken);
            if (outcome.Failure is { } failure) return failure;
            report = outcome.Report!;
        }

        if (RulesetReplies.Failures(report, ErrorsHeaderBytes) is var (json, omitted))
        {
            context.Response.Headers[ErrorsHeader] = json;
            if (omitted > 0) context.Response.Headers[OmittedHeader] = omitted.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Results.Text(RulesetReplies.Imported(ruleset, report), "text/plain; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>Like eKuiper: an octet-stream attachment of <c>{"streams","tables","rules"}</c>.</summary>
    private static async Task<IResult> ExportAsync(HttpContext context, CoordinatorClient coordinator, ExportSecrets secrets, CancellationToken cancellationToken)
    {
        var (mode, modeError) = secrets.ModeOf(context);
        if (modeError is not null) return ErrorEnvelope.Result(modeError);
        var stored = await coordinator.ExportAsync(cancellationToken);
        return DataEndpoints.Download(context, BundleCodec.WriteToMemory(secrets.Apply(stored, mode), BundleShape.Ruleset));
    }
}
