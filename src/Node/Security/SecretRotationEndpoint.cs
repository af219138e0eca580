using System.Data.Common;
using Akka.Actor;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Secrets;
using Kuiper.Node.Http;
using Kuiper.Node.Inspection;

namespace Kuiper.Node.Security;

/// <summary>
/// <c>POST /cluster/secrets/rotate</c> (the CLI's <c>cluster secrets rotate</c>): every stored secret sealed again with
/// the newest key, while the cluster runs (docs/operations.md#rotating-the-secrets-key). It takes as long as the journal
/// is long; a client that leaves stops it between rows, and nothing is retired then (run it again).
/// </summary>
public static class SecretRotationEndpoint
{
    public static IEndpointRouteBuilder MapSecretRotation(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cluster/secrets/rotate", async (ActorSystem system, KuiperSettings settings, CancellationToken ct) =>
        {
            (RotationResult? Result, string? Refusal) outcome;
            try
            {
                outcome = await new SecretRotation(system, settings).RunAsync(ct);
            }
            catch (Exception e) when (e is DbException or TimeoutException)
            {
                // Rows rewritten so far stay rewritten (each means what it meant); no key was retired.
                return ErrorEnvelope.Result($"the journal's database did not answer: {e.Message}; no key was retired, run the rotation again",
                    status: StatusCodes.Status503ServiceUnavailable);
            }
            var (result, refusal) = outcome;
            return result is null
                ? ErrorEnvelope.Result(refusal!, status: StatusCodes.Status409Conflict)
                : Results.Json(new SecretRotationView(result.Key, result.JournalRows, result.Snapshots, result.Retired), InspectionJson.Options);
        });
        return app;
    }
}
