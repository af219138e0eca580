using Akka.Actor;

namespace Kuiper.Node;

/// <summary>
/// Ends the node through CoordinatedShutdown: the node leaves the cluster, hands its shards over and flushes
/// what it acknowledged, then the host stops and the process exits with the recorded code.
/// </summary>
public sealed class NodeExit(ActorSystem system)
{
    /// <summary>Exit code after a successful <c>stop=1</c> import: a supervisor restarts the node.</summary>
    public const int AfterStopImport = 100;

    public Task LeaveAndExitAsync(int exitCode)
    {
        Environment.ExitCode = exitCode;
        return CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
    }
}
