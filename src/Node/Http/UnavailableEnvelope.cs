using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;

namespace Kuiper.Node.Http;

/// <summary>
/// The coordinator or its lease could not be had in time, a message could not cross between nodes, or a read's partition
/// did not answer within the read bound (the database is down, or its shard is moving): answered at once, 503 with
/// eKuiper's envelope and the reason.
/// </summary>
public sealed class UnavailableEnvelope(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is CoordinatorUnavailableException or TransferFailedException or PartitionUnavailableException
                                  && !context.Response.HasStarted)
        {
            await ErrorEnvelope.Result(e.Message, status: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
        }
    }
}
