using System.Text.Json;
using Akka.Actor;
using Kuiper.Domain.GoCompat;
using Kuiper.Node.Http;

namespace Kuiper.Node.Inspection;

/// <summary>
/// Cluster and sharding inspection over HTTP, what <c>pbm cluster</c> and <c>pbm cluster sharding</c> would show;
/// the client verbs (<c>Kuiper.Node cluster ...</c>) call these. Errors use the project's envelope.
/// </summary>
public static class ClusterInspectionEndpoints
{
    public static IEndpointRouteBuilder MapClusterInspection(this IEndpointRouteBuilder app)
    {
        var cluster = app.MapGroup("/cluster");
        cluster.MapGet("/members", (ActorSystem system) => Json(new ClusterInspector(system).Members()));
        cluster.MapPost("/leave", (HttpRequest request, ActorSystem system, CancellationToken ct) =>
            MembershipAsync(request, system, "leave", (inspector, address) => inspector.Leave(address), ct));
        cluster.MapPost("/down", (HttpRequest request, ActorSystem system, CancellationToken ct) =>
            MembershipAsync(request, system, "down", (inspector, address) => inspector.Down(address), ct));
        cluster.MapPost("/down-unreachable", (ActorSystem system) =>
        {
            var downed = new ClusterInspector(system).DownUnreachable();
            return Json(new MembershipActionView("down-unreachable", downed.Select(a => a.ToString()).ToArray()));
        });

        var sharding = cluster.MapGroup("/sharding");
        sharding.MapGet("/regions", (ActorSystem system, CancellationToken ct) =>
            AnswerAsync(async () => Json(await new ClusterInspector(system).RegionsAsync(ct))));
        sharding.MapGet("/regions/{type}/stats", (string type, ActorSystem system, CancellationToken ct) =>
            RegionAsync(system, type, async inspector => Json(await inspector.RegionStatsAsync(type, ct))));
        sharding.MapGet("/regions/{type}/shards", (string type, ActorSystem system, CancellationToken ct) =>
            RegionAsync(system, type, async inspector => Json(await inspector.ShardStatsAsync(type, ct))));
        sharding.MapGet("/regions/{type}/entities/{id}", (string type, string id, ActorSystem system, CancellationToken ct) =>
            RegionAsync(system, type, async inspector =>
                ClusterInspector.TryShardOf(id, out var shardId)
                    ? Json(await inspector.LocateAsync(type, id, shardId, ct))
                    : ErrorEnvelope.Result($"'{id}' is not an entity id of {type}: entities are the partitions p00..p15")));
        return app;
    }

    private static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, InspectionJson.Options, statusCode: status);

    private static async Task<IResult> MembershipAsync(
        HttpRequest request, ActorSystem system, string action, Action<ClusterInspector, Address> apply, CancellationToken ct)
    {
        MembershipRequest? body;
        try
        {
            // The body's bytes as UTF-8 (no charset honoured), a lone surrogate read as U+FFFD rather than thrown.
            var bytes = await RequestBody.ReadAsync(request, ct);
            body = JsonSerializer.Deserialize<MembershipRequest>(GoJsonLimits.AsGoDecodes(bytes).Span, InspectionJson.Options);
        }
        catch (JsonException e)
        {
            return ErrorEnvelope.Result($"the body must be {{\"address\":\"akka.tcp://kuiper@host:port\"}}: {e.Message}");
        }
        if (string.IsNullOrWhiteSpace(body?.Address))
            return ErrorEnvelope.Result("the body must be {\"address\":\"akka.tcp://kuiper@host:port\"}");
        if (!Address.TryParse(body.Address.Trim(), out var address) || !address.HasGlobalScope)
            return ErrorEnvelope.Result($"'{body.Address}' is not a cluster address like akka.tcp://kuiper@host:port");

        var inspector = new ClusterInspector(system);
        var member = inspector.FindMember(address);
        if (member is null)
            return ErrorEnvelope.Result($"{address} is not a member of the cluster", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);

        apply(inspector, member.Address);
        // The action is asynchronous: the membership changes once the leader has seen it (watch GET /cluster/members).
        return Json(new MembershipActionView(action, [member.Address.ToString()]), StatusCodes.Status202Accepted);
    }

    private static Task<IResult> RegionAsync(ActorSystem system, string type, Func<ClusterInspector, Task<IResult>> answer)
    {
        var inspector = new ClusterInspector(system);
        if (!inspector.HasRegion(type))
        {
            var known = string.Join(", ", inspector.RegionTypes());
            return Task.FromResult(ErrorEnvelope.Result(
                $"no shard region '{type}'; the regions are {known}", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound));
        }
        return AnswerAsync(() => answer(inspector));
    }

    /// <summary>A region that does not answer in time is the node's trouble, not the caller's: 503.</summary>
    private static async Task<IResult> AnswerAsync(Func<Task<IResult>> answer)
    {
        try
        {
            return await answer();
        }
        catch (AskTimeoutException)
        {
            return ErrorEnvelope.Result(
                $"the shard region did not answer within {ClusterInspector.QueryTimeout.TotalSeconds:0}s",
                status: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
