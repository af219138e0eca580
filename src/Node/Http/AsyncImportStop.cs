using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.AsyncImports;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>
/// <c>stop=1</c> on an async import: the node that took the request watches its task (a look every second) and, once
/// the task has finished (status <c>finish</c>), leaves the cluster and exits with code 100, as after a synchronous
/// <c>stop=1</c> import. The watch is held in this node's memory: a node that restarts before the task ends was
/// restarted anyway, and is not stopped again. The task itself may run on any node.
/// </summary>
public sealed class AsyncImportStop(IRequiredActor<ImportTasks> tasks, NodeExit exit, IHostApplicationLifetime lifetime, ILogger<AsyncImportStop> logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public void Watch(string taskId) => _ = WatchAsync(taskId, lifetime.ApplicationStopping);

    private async Task WatchAsync(string taskId, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await Task.Delay(PollInterval, stopping);
                ImportTaskAnswer answer;
                try
                {
                    var actor = await tasks.GetAsync(stopping);
                    answer = await actor.Ask<ImportTaskAnswer>(new GetImportTask(taskId), AskTimeout, stopping);
                }
                catch (AskTimeoutException)
                {
                    continue; // the tasks singleton is moving or its journal is down: look again
                }
                switch (answer.Task?.Status)
                {
                    case ImportTaskStatus.Finish:
                        logger.LogWarning("async import task {TaskId} with stop=1 finished: this node leaves and exits with code {Code}",
                            taskId, NodeExit.AfterStopImport);
                        await exit.LeaveAndExitAsync(NodeExit.AfterStopImport);
                        return;
                    case null or ImportTaskStatus.Error or ImportTaskStatus.Cancel:
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping anyway.
        }
    }
}
