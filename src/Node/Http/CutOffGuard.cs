using Akka.Actor;
using Kuiper.Actors.Membership;

namespace Kuiper.Node.Http;

/// <summary>
/// A node that knows it is cut off from the cluster (<see cref="WriteAvailability.CutOff"/>) answers every request that
/// would change the configuration at once: 503 with eKuiper's envelope, nothing applied. Without it such a request
/// waited for a coordinator or partitions out of reach, then failed. Reads go on from what the node holds, and the
/// cluster's own endpoints stay open, so an operator can still look and act from there.
/// </summary>
public sealed class CutOffGuard(RequestDelegate next, ActorSystem system)
{
    /// <summary>Requests that change nothing although they are not GETs.</summary>
    private static readonly HashSet<string> ReadOnlyPosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "/", "/data/export", "/v2/data/export", "/ruleset/export", "/rules/validate",
        // Each inner request of a batch passes this guard on its own.
        "/batch/req",
    };

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(system);

    public Task InvokeAsync(HttpContext context)
    {
        if (!ChangesConfiguration(context.Request) || WriteAvailability.CutOff(_cluster.State, _cluster.SelfMember) is not { } why)
            return next(context);
        return ErrorEnvelope.Result($"{why}; nothing was applied: send the request to a node of the cluster's majority",
            status: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
    }

    private static bool ChangesConfiguration(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) &&
        !ReadOnlyPosts.Contains(request.Path.Value?.TrimEnd('/') is { Length: > 0 } path ? path : "/") &&
        !request.Path.StartsWithSegments("/cluster", StringComparison.OrdinalIgnoreCase);
}
