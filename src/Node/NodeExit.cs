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

    /// <summary>The code the process ends with; Akka.Hosting sets its own when the actor system terminates.</summary>
    public int? RequestedExitCode { get; private set; }

    public Task LeaveAndExitAsync(int exitCode)
    {
        RequestedExitCode = exitCode;
        return CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
    }
}
