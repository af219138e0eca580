using Akka.Actor;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>What the import history records about who asked: this node, the token's issuer when authenticated, when.</summary>
public static class ImportOrigins
{
    public static ImportOrigin Of(HttpContext context, ActorSystem system, string? restoreOf = null) =>
        new(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(), DateTimeOffset.UtcNow,
            context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst("iss")?.Value ?? context.User.Identity.Name : null,
            restoreOf);
}
