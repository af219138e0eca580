using Akka.Actor;
using Akka.Persistence;
using Kuiper.Actors.Partitions;
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
    private ImportReport _last = ImportReport.None;
    private IActorRef _importRequester = ActorRefs.Nobody;

    public ImportCoordinator(PartitionRegions regions, CoordinatorSettings settings)
    {
        _regions = regions;
        _settings = settings;
        Recover<ImportRecorded>(recorded => _last = recorded.Report);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ImportRecorded recorded) _last = recorded.Report;
        });
        Idle();
    }

    public override string PersistenceId => SingletonName;

    public static Props Props(PartitionRegions regions, CoordinatorSettings settings) =>
        Akka.Actor.Props.Create(() => new ImportCoordinator(regions, settings));

    private void Idle()
    {
        Command<StartImport>(start =>
        {
            var plan = ImportPlan.Build(start.ImportId, start.Bundle, start.Mode, _regions.Serves);
            _importRequester = Sender;
            Context.ActorOf(ImportRun.Props(plan, _regions, _settings));
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
            var requester = _importRequester;
            Persist(new ImportRecorded(finished.Report), recorded =>
            {
                _last = recorded.Report;
                requester.Tell(new ImportCompleted(recorded.Report));
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
        _importRequester = ActorRefs.Nobody;
        Become(Idle);
        Stash.UnstashAll();
    }
}
