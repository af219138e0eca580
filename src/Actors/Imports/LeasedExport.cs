using Akka.Actor;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Reads every stored resource on the node that was asked, under the coordinator's lease so that the export never sees
/// half an import: each partition's contents cross once, to here, and never through the coordinator's node.
/// Takes one <see cref="ExportAll"/>, replies <see cref="ExportSnapshot"/> or <see cref="TransferRefused"/> (a partition
/// did not answer within the read bound, or the coordinator ended); then stops.
/// </summary>
public sealed class LeasedExport : ReceiveActor
{
    private readonly IActorRef _coordinator;
    private readonly PartitionReader _reader;
    private readonly string _id = "export-" + Guid.NewGuid().ToString("N");
    private long _bundleBytes;

    private sealed record Read(Bundle? Bundle, string? Failure);

    /// <param name="coordinator">the coordinator itself (not its proxy): the lease ends if it does</param>
    /// <param name="reader">a bounded reader: an export answers a client, promptly 503 rather than after a minute's wait</param>
    public LeasedExport(IActorRef coordinator, PartitionReader reader)
    {
        _coordinator = coordinator;
        _reader = reader;
        Receive<ExportAll>(_ =>
        {
            var requester = Sender;
            Context.Watch(_coordinator);
            _coordinator.Tell(new RequestLease(_id, LeasePurpose.Export));
            Become(() => WaitingForLease(requester));
        });
    }

    public static Props Props(IActorRef coordinator, PartitionReader reader) =>
        Akka.Actor.Props.Create(() => new LeasedExport(coordinator, reader));

    /// <summary>The bundle is garbage once it is answered: noted, as for an import's.</summary>
    protected override void PostStop() => Memory.HeapTrimming.Shared.After(_bundleBytes);

    private void WaitingForLease(IActorRef requester)
    {
        Receive<LeaseGranted>(granted => granted.LeaseId == _id, _ =>
        {
            _reader.ReadAllAsync(CancellationToken.None)
                .PipeTo(Self, success: bundle => new Read(bundle, null), failure: e => new Read(null, e.GetBaseException().Message));
            Become(() => Reading(requester));
        });
        CoordinatorEnded(requester);
    }

    private void Reading(IActorRef requester)
    {
        Receive<Read>(read =>
        {
            // The lease ends first: the next write need not wait for the answer's trip to the client.
            _coordinator.Tell(new EndLease(_id, null));
            if (read.Bundle is { } bundle)
            {
                _bundleBytes = Memory.HeapTrimming.SizeOf(bundle);
                requester.Tell(new ExportSnapshot(bundle));
            }
            else
            {
                requester.Tell(new TransferRefused($"the export could not be read: {read.Failure}; try again once the database is back", Answered: true));
            }
            Become(Ending);
        });
        CoordinatorEnded(requester);
    }

    /// <summary>Stops once the coordinator has taken the lease back (stopping earlier could end it twice).</summary>
    private void Ending()
    {
        Receive<LeaseEnded>(_ => Context.Stop(Self));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_coordinator), _ => Context.Stop(Self));
    }

    private void CoordinatorEnded(IActorRef requester) =>
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_coordinator), _ =>
        {
            requester.Tell(new TransferRefused($"the import coordinator on {_coordinator.Path.Address} ended before the export was read", Answered: true));
            Context.Stop(Self);
        });
}
