using Akka.Actor;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Runs one import (HTTP, async task, restore, ruleset, YAML, provisioning, dry run, atomic) or one change of single
/// resources on the node that holds it, under the coordinator's lease: the bundle goes from here to the partitions and
/// never to the coordinator's node (measured with bench/ on 3 nodes: that trip was a third of a 10,000-resource import).
/// The coordinator orders it with every other write and records an import's report.
/// Takes one <see cref="StartImport"/> (replies <see cref="ImportCompleted"/>) or <see cref="ChangeResources"/> (replies
/// <see cref="ResourcesChanged"/>), or <see cref="TransferRefused"/> when the coordinator ended first; then stops.
/// <see cref="Abandon"/> (its client went away, or waited past its bound) before the turn comes drops the work: at its
/// turn it gives the lease back unused.
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
    /// <param name="stager">fetches and checks an import's artefacts; null where none is staged (actor tests)</param>
    public LeasedImport(IActorRef coordinator, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null)
    {
        _coordinator = coordinator;
        _regions = regions;
        _settings = settings;
        _stager = stager;
        Receive<StartImport>(start =>
        {
            _bundleBytes = Memory.HeapTrimming.SizeOf(start.Bundle);
            Request(new Work(start.ImportId, LeasePurpose.Import, Sender,
                empty => ImportPlan.For(start, empty), _stager, ImportCompleted.Of));
        });
        Receive<ChangeResources>(change =>
            // A change's endpoint staged the artefacts it carries already; its answer is the errors of its kind.
            Request(new Work(change.ChangeId, LeasePurpose.Change, Sender, _ => ImportPlan.ForChange(change), null,
                (result, _) => new ResourcesChanged(change.ChangeId, result.Report.Errors.GetValueOrDefault(change.Kind) ?? new Dictionary<string, string>()),
                AnnounceArtefacts: change.Kind.IsArtefact(),
                Describe: report => report with
                {
                    Origin = change.Origin,
                    Change = new ResourceChange(change.Kind, change.Operation, change.Items.Select(i => i.Name).ToList()),
                })));
    }

    /// <summary>Local: the requester no longer waits. Answered <see cref="Abandoned"/>.</summary>
    public sealed record Abandon
    {
        public static readonly Abandon Instance = new();
    }

    /// <param name="Dropped">true: the work had not started and never will; false: it runs (or ran) to its end</param>
    public sealed record Abandoned(bool Dropped);

    /// <summary>What runs under the lease and how its requester is answered (from the result and why its record, if any, was not stored).</summary>
    private sealed record Work(
        string Id,
        LeasePurpose Purpose,
        IActorRef Requester,
        Func<IReadOnlySet<string>, ImportPlan> Plan,
        ArtefactStager? Stager,
        Func<ImportResult, string?, object> Answer,
        bool AnnounceArtefacts = false,
        Func<ImportReport, ImportReport>? Describe = null);

    public static Props Props(IActorRef coordinator, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null) =>
        Akka.Actor.Props.Create(() => new LeasedImport(coordinator, regions, settings, stager));

    /// <summary>
    /// The bundle is garbage once the import is answered, on this node: noted here, since a request body sent in chunks
    /// has no length for the HTTP edge to note.
    /// </summary>
    protected override void PostStop() => Memory.HeapTrimming.Shared.After(_bundleBytes);

    private void Request(Work work)
    {
        Context.Watch(_coordinator);
        _coordinator.Tell(new RequestLease(work.Id, work.Purpose));
        Become(() => WaitingForLease(work));
    }

    private void WaitingForLease(Work work)
    {
        Receive<LeaseGranted>(granted => granted.LeaseId == work.Id, granted =>
        {
            var plan = work.Plan(granted.EmptyPartitions.ToHashSet(StringComparer.Ordinal));
            var run = Context.ActorOf(ImportRun.Props(plan, _regions, _settings, work.Stager));
            Become(() => Running(work, run));
        });
        Receive<Abandon>(_ =>
        {
            Sender.Tell(new Abandoned(true));
            Become(() => Dropped(work.Id));
        });
        NotRunning();
        CoordinatorEnded(work.Requester, "before the import's turn came: nothing was imported", answered: false);
    }

    /// <summary>Nobody waits for this work any more: its turn is given back unused, so it is never run late.</summary>
    private void Dropped(string id)
    {
        Receive<LeaseGranted>(granted => granted.LeaseId == id, _ =>
        {
            _coordinator.Tell(new EndLease(id, null));
            Become(() => Ending());
        });
        Receive<Abandon>(_ => Sender.Tell(new Abandoned(true)));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_coordinator), _ => Context.Stop(Self));
        NotRunning();
    }

    private void Running(Work work, IActorRef run)
    {
        Receive<Abandon>(_ => Sender.Tell(new Abandoned(false)));
        Receive<GetImportProgress>(get => get.ImportId == work.Id, get => run.Forward(get));
        Receive<CancelImport>(cancel => cancel.ImportId == work.Id, cancel => run.Forward(cancel));
        Receive<ImportResult>(result =>
        {
            if (work.AnnounceArtefacts) result = result with { ArtefactsChanged = true };
            if (work.Describe is { } describe) result = result with { Report = describe(result.Report) };
            // Reports of many refused items, and dry-run plans, can be large: they cross in chunks where needed.
            _transfer.Tell(_coordinator, new EndLease(work.Id, result), Self);
            Become(() => Reporting(work, result));
        });
        NotRunning();
        // The reply adds where to look for the outcome (ImportReplies.AnswerNotReceived).
        CoordinatorEnded(work.Requester, "during the import: it stopped between stages", answered: true);
    }

    /// <summary>Waits for the coordinator to take the result (and record an import's report) before the requester is answered.</summary>
    private void Reporting(Work work, ImportResult result)
    {
        Receive<Abandon>(_ => Sender.Tell(new Abandoned(false)));
        Receive<LeaseEnded>(ended => ended.LeaseId == work.Id, ended =>
        {
            work.Requester.Tell(work.Answer(result, ended.NotRecorded));
            Context.Stop(Self);
        });
        Receive<TransferRefused>(refused =>
        {
            work.Requester.Tell(new TransferRefused($"the import's report did not reach the coordinator: {refused.Reason}", Answered: true));
            Context.Stop(Self);
        });
        NotRunning();
        CoordinatorEnded(work.Requester, "before it recorded the import, which was applied", answered: true);
    }

    /// <summary>A lease given back unused: stops once the coordinator has taken it back (or has ended).</summary>
    private void Ending()
    {
        Receive<LeaseEnded>(_ => Context.Stop(Self));
        Receive<Abandon>(_ => Sender.Tell(new Abandoned(true)));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_coordinator), _ => Context.Stop(Self));
        NotRunning();
    }

    /// <summary>Questions for work that is not (or no longer) running here.</summary>
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
