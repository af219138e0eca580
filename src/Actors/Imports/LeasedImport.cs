using Akka.Actor;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Runs one import on the node that received it, under the coordinator's lease: the bundle goes from here to the
/// partitions, instead of to the coordinator's node first (measured with bench/ on 3 nodes: the bundle's trip to the
/// coordinator was a third of a 10,000-resource import). The coordinator still orders it with every other write and
/// records its report. Takes one <see cref="StartImport"/>, replies <see cref="ImportCompleted"/>, or
/// <see cref="TransferRefused"/> when the coordinator ended first; then stops.
/// </summary>
public sealed class LeasedImport : ReceiveActor
{
    private readonly IActorRef _coordinator;
    private readonly PartitionRegions _regions;
    private readonly CoordinatorSettings _settings;
    private readonly ArtefactStager? _stager;
    private readonly MessageTransfer _transfer = MessageTransfer.Get(Context.System);

    /// <param name="coordinator">the coordinator itself (not its proxy): the lease ends if it does</param>
    /// <param name="stager">fetches and checks artefacts; null where none is staged (actor tests)</param>
    public LeasedImport(IActorRef coordinator, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null)
    {
        _coordinator = coordinator;
        _regions = regions;
        _settings = settings;
        _stager = stager;
        Receive<StartImport>(start =>
        {
            var requester = Sender;
            Context.Watch(_coordinator);
            _coordinator.Tell(new LeaseImport(start.ImportId));
            Become(() => WaitingForLease(requester, start));
        });
    }

    public static Props Props(IActorRef coordinator, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null) =>
        Akka.Actor.Props.Create(() => new LeasedImport(coordinator, regions, settings, stager));

    private void WaitingForLease(IActorRef requester, StartImport start)
    {
        Receive<ImportLeased>(leased => leased.ImportId == start.ImportId, leased =>
        {
            var plan = ImportPlan.Build(start.ImportId, start.Bundle, start.Mode, start.Apply, start.Origin,
                leased.EmptyPartitions.ToHashSet(StringComparer.Ordinal));
            var run = Context.ActorOf(ImportRun.Props(plan, _regions, _settings, _stager));
            // A full import replaces the artefacts too: every node must catch up, even when the bundle has none.
            var touchesArtefacts = start.Apply != ImportApply.Never && ResourceKinds.TouchesArtefacts(start.Bundle, start.Mode);
            Become(() => Running(requester, start.ImportId, run, touchesArtefacts));
        });
        NotRunning();
        CoordinatorEnded(requester, "before the import's turn came: nothing was imported", answered: false);
    }

    private void Running(IActorRef requester, string importId, IActorRef run, bool touchesArtefacts)
    {
        Receive<GetImportProgress>(get => get.ImportId == importId, get => run.Forward(get));
        Receive<CancelImport>(cancel => cancel.ImportId == importId, cancel => run.Forward(cancel));
        Receive<ImportRunFinished>(finished =>
        {
            // Reports of many refused items, and dry-run plans, can be large: they cross in chunks where needed.
            _transfer.Tell(_coordinator, new FinishLeasedImport(importId, finished.Report, finished.JournalFailure, finished.Changes,
                finished.Positions ?? new Dictionary<string, long>(), finished.ArtefactsChanged, touchesArtefacts), Self);
            Become(() => Reporting(requester, importId));
        });
        NotRunning();
        CoordinatorEnded(requester, "during the import: it stopped between stages; see GET /data/import/status", answered: true);
    }

    private void Reporting(IActorRef requester, string importId)
    {
        Receive<ImportCompleted>(completed =>
        {
            requester.Tell(completed);
            Context.Stop(Self);
        });
        Receive<TransferRefused>(refused =>
        {
            requester.Tell(new TransferRefused($"the import's report did not reach the coordinator: {refused.Reason}", Answered: true));
            Context.Stop(Self);
        });
        Receive<ChunkedMessage>(chunked => _transfer.Deliver(chunked, Self, Sender));
        NotRunning();
        CoordinatorEnded(requester, "before it recorded the import, which was applied", answered: true);
    }

    /// <summary>Questions for an import that is not (or no longer) running here.</summary>
    private void NotRunning()
    {
        Receive<GetImportProgress>(get => Sender.Tell(new ImportProgress(get.ImportId, false, "", 0, 0)));
        Receive<CancelImport>(cancel => Sender.Tell(new ImportCancelAnswer(cancel.ImportId, false)));
    }

    private void CoordinatorEnded(IActorRef requester, string when, bool answered) =>
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_coordinator), _ =>
        {
            requester.Tell(new TransferRefused($"the import coordinator on {_coordinator.Path.Address} ended {when}", answered));
            Context.Stop(Self);
        });
}
