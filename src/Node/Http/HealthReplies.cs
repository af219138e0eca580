using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuiper.Node.Http;

/// <summary>
/// The readiness reply: the status word a load balancer reads, as ASP.NET writes it, then on a failure why, one check
/// a line (<c>Unhealthy</c>, then <c>cluster-writes: this node is cut off from the cluster: it reaches 1 of 3 members</c>),
/// so that an operator, or a script, can tell a node that is cut off from one that waits for a member to be removed.
/// </summary>
public static class HealthReplies
{
    public static Task WithReasons(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"\n{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString()}");
        return context.Response.WriteAsync(report.Status + string.Concat(reasons));
    }
}
