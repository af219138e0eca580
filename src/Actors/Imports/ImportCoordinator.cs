using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Artefacts;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// The one place writes happen, a cluster singleton: runs one import, change or export at a time (others wait
/// their turn in the stash), persists each import's report and replies once it is on disk.
/// </summary>
public sealed class ImportCoordinator : ReceivePersistentActor
{
    public const string SingletonName = "import-coordinator";
    private const int SnapshotEvery = 10;

    private readonly PartitionRegions _regions;
    private readonly CoordinatorSettings _settings;
    private readonly PartitionReader _reader;
    private readonly ArtefactStager? _stager;
    private readonly IActorRef? _pubSub;
    private ImportReport _last = ImportReport.None;

    private sealed record ExportRead(Bundle Bundle);

    private sealed record ExportFailed(string Reason);

    /// <param name="stager">fetches and checks artefacts; null where none is staged (actor tests)</param>
    /// <param name="pubSub">the distributed pub-sub mediator, to tell every node's installer; null outside a cluster</param>
    public ImportCoordinator(PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null, IActorRef? pubSub = null)
    {
        _regions = regions;
        _settings = settings;
        _reader = new PartitionReader(regions, settings);
        _stager = stager;
        _pubSub = pubSub;
        Recover<ImportRecorded>(recorded => _last = recorded.Report);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ImportRecorded recorded) _last = recorded.Report;
        });
        Idle();
    }

    public override string PersistenceId => SingletonName;

    public static Props Props(PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null, IActorRef? pubSub = null) =>
        Akka.Actor.Props.Create(() => new ImportCoordinator(regions, settings, stager, pubSub));

    private void Idle()
    {
        Command<StartImport>(start =>
        {
            var requester = Sender;
            // A full import replaces the artefacts too: every node must catch up, even when the bundle has none.
            var touchesArtefacts = start.Mode == ImportMode.Full || ResourceKinds.Artefacts.Any(k => start.Bundle[k].Count > 0);
            Run(ImportPlan.Build(start.ImportId, start.Bundle, start.Mode));
            Become(() => Importing(requester, touchesArtefacts));
        });
        Command<ChangeResources>(change =>
        {
            var requester = Sender;
            Run(ImportPlan.ForChange(change));
            Become(() => Changing(requester, change));
        });
        Command<ExportAll>(_ =>
        {
            var requester = Sender;
            _reader.ReadAllAsync(CancellationToken.None)
                .PipeTo(Self, success: bundle => new ExportRead(bundle), failure: e => new ExportFailed(e.Message));
            Become(() => Exporting(requester));
        });
        CommonCommands();
    }

    private void Run(ImportPlan plan) => Context.ActorOf(ImportRun.Props(plan, _regions, _settings, _stager));

    /// <summary>An import: its report becomes the import status, on disk before the reply.</summary>
    private void Importing(IActorRef requester, bool touchesArtefacts)
    {
        Command<ImportRunFinished>(finished => Persist(new ImportRecorded(finished.Report), recorded =>
        {
            _last = recorded.Report;
            requester.Tell(new ImportCompleted(recorded.Report));
            if (touchesArtefacts) AnnounceArtefacts(recorded.Report.ImportId);
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(recorded);
            BackToIdle();
        }));
        Busy();
    }

    /// <summary>A change of single resources is no import: the status of the last import stays as it was.</summary>
    private void Changing(IActorRef requester, ChangeResources change)
    {
        Command<ImportRunFinished>(finished =>
        {
            requester.Tell(new ResourcesChanged(change.ChangeId,
                finished.Report.Errors.GetValueOrDefault(change.Kind) ?? new Dictionary<string, string>()));
            if (change.Kind.IsArtefact()) AnnounceArtefacts(change.ChangeId);
            BackToIdle();
        });
        Busy();
    }

    /// <summary>An export reads between writes, so that it never sees half an import.</summary>
    private void Exporting(IActorRef requester)
    {
        Command<ExportRead>(read =>
        {
            requester.Tell(new ExportSnapshot(read.Bundle));
            BackToIdle();
        });
        Command<ExportFailed>(failed =>
        {
            requester.Tell(new Status.Failure(new TimeoutException(failed.Reason)));
            BackToIdle();
        });
        Busy();
    }

    private void Busy()
    {
        CommonCommands();
        CommandAny(_ => Stash.Stash());
    }

    private void CommonCommands()
    {
        Command<GetImportStatus>(_ => Sender.Tell(new ImportStatus(_last)));
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    private void AnnounceArtefacts(string changeId) =>
        _pubSub?.Tell(new Publish(ArtefactsChanged.Topic, new ArtefactsChanged(changeId)));

    private void BackToIdle()
    {
        Become(Idle);
        Stash.UnstashAll();
    }
}
