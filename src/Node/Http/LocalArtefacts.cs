using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Installation;
using Kuiper.Messages.Artefacts;

namespace Kuiper.Node.Http;

/// <summary>
/// This node's installer, seen from the HTTP edge: a reply about artefacts is sent once this node's data dir holds
/// what the cluster stores (docs/decisions.md#answer-after-files); the other nodes catch up when told, or at their next tick.
/// </summary>
public sealed class LocalArtefacts(ActorSystem system, IRequiredActor<NodeArtefactInstaller> installer, KuiperSettings settings)
{
    /// <summary>Runs a pass on this node (or waits for the next one) and tells what is not installed here.</summary>
    public async Task<ArtefactsReconciled> ReconcileAsync(CancellationToken cancellationToken)
    {
        var timeout = settings.Import.RequestTimeout;
        try
        {
            var actor = await installer.GetAsync(cancellationToken);
            return await actor.Ask<ArtefactsReconciled>(ReconcileArtefacts.Instance, timeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return ArtefactsReconciled.Failed($"no install pass ended within {timeout}");
        }
    }

    /// <summary>Tells every node's installer that the stored artefacts changed (a change outside an import).</summary>
    public void AnnounceChange(string changeId) =>
        DistributedPubSub.Get(system).Mediator.Tell(new Publish(ArtefactsChanged.Topic, new ArtefactsChanged(changeId)));
}
