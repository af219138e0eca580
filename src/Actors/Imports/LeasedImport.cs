using Akka.Actor;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Runs one import on the node that received it, under the coordinator's lease: the bundle goes from here to the
/// partitions, instead of to the coordinator's node first (measured with bench/ on 3 nodes: the bundle's trip to the
/// coordinator was a third of a 10,000-resource import). The coordinator still orders it with every other write and
/// records its report. Takes one <see cref="StartImport"/>, replies <see cref="ImportCompleted"/>, or
/// <see cref="TransferRefused"/> when the coordinator ended first; then stops. <see cref="Abandon"/> (its client went
/// away, or waited past its bound) before the turn comes drops the import: at its turn it gives the lease back unused.
/// </summary>
public sealed class LeasedImport : ReceiveActor
{
    private readonly IActorRef _coordinator;
    private readonly PartitionRegions _regions;
    private readonly CoordinatorSettings _settings;
    private readonly ArtefactStager? _stager;
    private readonly MessageTransfer _transfer = MessageTransfer.Get(Context.System);
    private long _bundleBytes;

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
            _bundleBytes = Memory.HeapTrimming.SizeOf(start.Bundle);
            Context.Watch(_coordinator);
            _coordinator.Tell(new LeaseImport(start.ImportId));
            Become(() => WaitingForLease(requester, start));
        });
    }

    /// <summary>
    /// The bundle is garbage once the import is answered, on this node: noted as the coordinator notes its own work,
    /// since a request body sent in chunks has no length for the HTTP edge to note.
    /// </summary>
    protected override void PostStop() => Memory.HeapTrimming.Shared.After(_bundleBytes);

    /// <summary>Local: the requester no longer waits. Answered <see cref="Abandoned"/>.</summary>
    public sealed record Abandon
    {
        public static readonly Abandon Instance = new();
    }

    /// <param name="Dropped">true: the import had not started and never will; false: it runs (or ran) to its end</param>
    public sealed record Abandoned(bool Dropped);

    public static Props Props(IActorRef coordinator, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null) =>
        Akka.Actor.Props.Create(() => new LeasedImport(coordinator, regions, settings, stager));

    private void WaitingForLease(IActorRef requester, StartImport start)
    {
        Receive<ImportLeased>(leased => leased.ImportId == start.ImportId, leased =>
        {
            var plan = ImportPlan.For(start, leased.EmptyPartitions.ToHashSet(StringComparer.Ordinal));
            var run = Context.ActorOf(ImportRun.Props(plan, _regions, _settings, _stager));
            Become(() => Running(requester, start.ImportId, run, ImportPlan.TouchesArtefacts(start)));
        });
        Receive<Abandon>(_ =>
        {
            Sender.Tell(new Abandoned(true));
            Become(() => Dropped(start.ImportId));
        });
        NotRunning();
        CoordinatorEnded(requester, "before the import's turn came: nothing was imported", answered: false);
    }

    /// <summary>Nobody waits for this import any more: its turn is given back unused, so it is never run late.</summary>
    private void Dropped(string importId)
    {
        Receive<ImportLeased>(leased => leased.ImportId == importId, _ =>
        {
            _coordinator.Tell(new ReleaseLease(importId));
            Context.Stop(Self);
        });
        Receive<Abandon>(_ => Sender.Tell(new Abandoned(true)));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_coordinator), _ => Context.Stop(Self));
        NotRunning();
    }

    private void Running(IActorRef requester, string importId, IActorRef run, bool touchesArtefacts)
    {
        Receive<Abandon>(_ => Sender.Tell(new Abandoned(false)));
        Receive<GetImportProgress>(get => get.ImportId == importId, get => run.Forward(get));
        Receive<CancelImport>(cancel => cancel.ImportId == importId, cancel => run.Forward(cancel));
        Receive<ImportRunFinished>(finished =>
        {
            // Reports of many refused items, and dry-run plans, can be large: they cross in chunks where needed.
            _transfer.Tell(_coordinator, new FinishLeasedImport(importId, finished.Report, finished.JournalFailure, finished.Changes,
                finished.Positions ?? new Dictionary<string, long>(), finished.ArtefactsChanged, touchesArtefacts, finished.Applied), Self);
            Become(() => Reporting(requester, importId));
        });
        NotRunning();
        CoordinatorEnded(requester, "during the import: it stopped between stages; see GET /data/import/status", answered: true);
    }

    private void Reporting(IActorRef requester, string importId)
    {
        Receive<Abandon>(_ => Sender.Tell(new Abandoned(false)));
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
