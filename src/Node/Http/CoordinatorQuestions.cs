using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Transfers;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>
/// The coordinator's answers that grow with the configuration (exports, the status, the history): asked through this
/// node's proxy; from a coordinator on another node they come in chunks. A transfer that fails throws
/// <see cref="TransferFailedException"/>, answered 503 by <see cref="TransferFailureEnvelope"/>.
/// </summary>
public sealed class CoordinatorQuestions(IRequiredActor<ImportCoordinator> coordinator, ActorSystem system)
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromMinutes(2);

    public async Task<ExportSnapshot> ExportAsync(CancellationToken cancellationToken) =>
        await AskAsync<ExportSnapshot>(ExportAll.Instance, ExportTimeout, cancellationToken);

    public async Task<ImportStatus> StatusAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await AskAsync<ImportStatus>(GetImportStatus.Instance, timeout, cancellationToken);

    public async Task<ImportHistory> HistoryAsync(int limit, TimeSpan timeout, CancellationToken cancellationToken) =>
        await AskAsync<ImportHistory>(new GetImportHistory(limit), timeout, cancellationToken);

    private async Task<T> AskAsync<T>(object question, TimeSpan timeout, CancellationToken cancellationToken) =>
        await MessageTransfer.Get(system).AskAsync<T>(await coordinator.GetAsync(cancellationToken), question, timeout, cancellationToken);
}

/// <summary>
/// A message that could not cross between nodes, or a read whose partition did not answer within the read bound (the
/// database is down, or its shard is moving), is answered at once: 503 with eKuiper's envelope and the reason.
/// </summary>
public sealed class TransferFailureEnvelope(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is TransferFailedException or Kuiper.Actors.Partitions.PartitionUnavailableException && !context.Response.HasStarted)
        {
            await ErrorEnvelope.Result(e.Message, status: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
        }
    }
}
