using Akka.Actor;

namespace Kuiper.Node;

/// <summary>
/// Ends the node through CoordinatedShutdown (the node leaves the cluster, hands its shards over and flushes
/// what it acknowledged), and decides the process exit code (docs/configuration.md#exit-codes).
/// </summary>
public sealed class NodeExit(ActorSystem system)
{
    /// <summary>Exit code after a successful <c>stop=1</c> import: a supervisor restarts the node.</summary>
    public const int AfterStopImport = 100;

    /// <summary>Exit code when the cluster downed this node (split brain, unreachable): it did not choose to stop.</summary>
    public const int Downed = 1;

    private int? _requested;

    public Task LeaveAndExitAsync(int exitCode)
    {
        _requested = exitCode;
        return CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
    }

    /// <summary>
    /// Akka.Hosting reports any cluster-driven termination as a failure; here a graceful leave (an operator's
    /// <c>cluster leave</c>, Ctrl-C) is a normal stop. Being downed is not, nor is any other stop Akka decided on
    /// with its own exit code (79: an outbound TLS handshake of remoting failed, the certificates do not match).
    /// </summary>
    public int ExitCode() => _requested ?? CoordinatedShutdown.Get(system).ShutdownReason switch
    {
        null => 0,
        CoordinatedShutdown.ClusterDowningReason => Downed,
        var reason => reason.ExitCode,
    };
}
