using Kuiper.Domain.Artefacts;
using Akka.Actor;
using Akka.Persistence;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Artefacts;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// The one place imports happen, a cluster singleton: runs one import or export at a time (others wait their
/// turn in the stash), persists each import's report and replies once it is on disk.
/// </summary>
public sealed class ImportCoordinator : ReceivePersistentActor
{
    public const string SingletonName = "import-coordinator";
    private const int SnapshotEvery = 10;

    private readonly PartitionRegions _regions;
    private readonly CoordinatorSettings _settings;
    private readonly ArtefactStager? _stager;
    private readonly IActorRef? _pubSub;
    private bool _touchesArtefacts;
    private ImportReport _last = ImportReport.None;
    private IActorRef _requester = ActorRefs.Nobody;

    /// <summary>The change being applied, if the running job is a change rather than an import.</summary>
    private ChangeResources? _change;

    /// <param name="stager">fetches and checks artefacts; null where no artefact kind is stored</param>
    /// <param name="pubSub">the distributed pub-sub mediator, to tell every node's installer; null outside a cluster</param>
    public ImportCoordinator(PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null, IActorRef? pubSub = null)
    {
        _regions = regions;
        _settings = settings;
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
            var plan = ImportPlan.Build(start.ImportId, start.Bundle, start.Mode, _regions.Serves);
            _requester = Sender;
            _change = null;
            // A full import replaces the artefacts too: every node must catch up, even when the bundle has none.
            _touchesArtefacts = start.Mode == ImportMode.Full || ArtefactKinds.ByResource.Keys.Any(k => start.Bundle[k].Count > 0);
            Context.ActorOf(ImportRun.Props(plan, _regions, _settings, _stager));
            Become(Busy);
        });
        Command<ChangeResources>(change =>
        {
            if (!_regions.Serves(change.Kind))
            {
                Sender.Tell(new ResourcesChanged(change.ChangeId,
                    change.Items.ToDictionary(i => i.Name, _ => ImportPlan.NotSupported(change.Kind))));
                return;
            }
            _requester = Sender;
            _change = change;
            Context.ActorOf(ImportRun.Props(ImportPlan.ForChange(change), _regions, _settings));
            Become(Busy);
        });
        Command<ExportAll>(_ =>
        {
            Context.ActorOf(ExportRun.Props(_regions, Sender, _settings));
            Become(Busy);
        });
        CommonCommands();
    }

    private void Busy()
    {
        Command<ImportRunFinished>(finished =>
        {
            var requester = _requester;
            if (_change is { } change)
            {
                // A change is no import: the status of the last import stays as it was.
                requester.Tell(new ResourcesChanged(change.ChangeId,
                    finished.Report.Errors.GetValueOrDefault(change.Kind) ?? new Dictionary<string, string>()));
                BackToIdle();
                return;
            }
            Persist(new ImportRecorded(finished.Report), recorded =>
            {
                _last = recorded.Report;
                requester.Tell(new ImportCompleted(recorded.Report));
                if (_touchesArtefacts)
                    _pubSub?.Tell(new Akka.Cluster.Tools.PublishSubscribe.Publish(ArtefactsChanged.Topic, new ArtefactsChanged(recorded.Report.ImportId)));
                if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(recorded);
                BackToIdle();
            });
        });
        Command<ExportRunFinished>(_ => BackToIdle());
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

    private void BackToIdle()
    {
        _requester = ActorRefs.Nobody;
        _change = null;
        Become(Idle);
        Stash.UnstashAll();
    }
}
