using System.Text;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.AsyncImports;
using Kuiper.Actors.Imports;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.AsyncImports;

/// <summary>
/// The tasks actor against a probe coordinator, through the real coordinator client whose lease holder is a stand-in
/// that hands the import to the probe: order, cancel, and what a restart finds.
/// </summary>
public sealed class ImportTasksTests : TestKit
{
    private const string Node = "akka.tcp://kuiper@127.0.0.1:4053";
    private const string Bundle = """{"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"},"rules":{"r1":"{}","r2":"{}"}}""";

    private static readonly ImportOrigin Origin = new("akka.tcp://kuiper@127.0.0.1:4054", DateTimeOffset.UnixEpoch);
    private static readonly ImportTasksSettings Settings = new(100, 16, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(200));

    private readonly TestProbe _coordinator;
    private readonly string _uploads = NodeProcess.NewDataDir();

    public ImportTasksTests() : base(ActorTestConfig.Setup) => _coordinator = CreateTestProbe("coordinator");

    /// <summary>Who asked for each import: its outcome is answered there.</summary>
    private readonly Dictionary<string, IActorRef> _askers = new();

    private IActorRef StartTasks(string name, TestProbe? coordinator = null, ImportTasksSettings? settings = null) =>
        Sys.ActorOf(ImportTasks.Props(Client(coordinator ?? _coordinator), new ImportSource(new UriFetcher(_uploads, false)), null,
            settings ?? Settings, Node), name);

    private CoordinatorClient Client(TestProbe coordinator) => new(Sys, _ => System.Threading.Tasks.Task.FromResult(coordinator.Ref), "kuiper",
        located => Props.Create(() => new ProbeHolder(located)), _ => Props.Empty, TimeSpan.FromMinutes(1));

    /// <summary>Stands in for the lease holder: hands the import to the coordinator probe, and says so if that ends first.</summary>
    private sealed class ProbeHolder : ReceiveActor
    {
        public ProbeHolder(IActorRef coordinator)
        {
            IActorRef? asker = null;
            Receive<StartImport>(start =>
            {
                asker = Sender;
                Context.Watch(coordinator);
                coordinator.Forward(start);
            });
            Receive<Terminated>(_ =>
            {
                asker?.Tell(new Kuiper.Actors.Transfers.TransferRefused("the import coordinator ended during the import", Answered: true));
                Context.Stop(Self);
            });
        }
    }

    private void Complete(ImportReport report) => _askers[report.ImportId].Tell(new ImportCompleted(report));

    private static RegisterImportTask Request(string content, ImportApply apply = ImportApply.Always) =>
        new(Encoding.UTF8.GetBytes(content), "", ImportMode.Partial, apply, false, Origin);

    private string Register(IActorRef tasks, RegisterImportTask request)
    {
        tasks.Tell(request, TestActor);
        return ExpectMsg<ImportTaskRegistered>().TaskId;
    }

    private ImportTaskState Task(IActorRef tasks, string id)
    {
        tasks.Tell(new GetImportTask(id), TestActor);
        return ExpectMsg<ImportTaskAnswer>().Task!;
    }

    /// <summary>The coordinator is located through its proxy, then its lease holder hands it the import.</summary>
    private StartImport ExpectImport(TestProbe coordinator, TestProbe? incarnation = null)
    {
        coordinator.ExpectMsg<Kuiper.Actors.Transfers.LocateActor>();
        coordinator.Reply(new Kuiper.Actors.Transfers.ActorLocated((incarnation ?? coordinator).Ref));
        var start = (incarnation ?? coordinator).ExpectMsg<StartImport>();
        _askers[start.ImportId] = (incarnation ?? coordinator).LastSender;
        return start;
    }

    private static ImportReport Report(string id, bool cancelled = false) => new(id, ImportMode.Partial, DateTimeOffset.UtcNow,
        cancelled
            ? new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
            {
                [ResourceKind.Rules] = new Dictionary<string, string> { ["r1"] = ImportRun.CancelledError, ["r2"] = ImportRun.CancelledError },
            }
            : new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>(),
        Origin,
        new Dictionary<ResourceKind, ImportCounts> { [ResourceKind.Streams] = new(1, 0, 0), [ResourceKind.Rules] = cancelled ? new(0, 2, 0) : new(2, 0, 0) },
        Cancelled: cancelled);

    private ImportTaskState AwaitStatus(IActorRef tasks, string id, ImportTaskStatus status)
    {
        ImportTaskState? task = null;
        AwaitAssert(() =>
        {
            task = Task(tasks, id);
            Assert.Equal(status, task.Status);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        return task!;
    }

    [Fact]
    public void Tasks_run_one_at_a_time_in_order_as_normal_imports_whose_id_is_the_tasks()
    {
        var tasks = StartTasks("in-order");
        var first = Register(tasks, Request(Bundle));
        var second = Register(tasks, Request(Bundle, ImportApply.OnlyIfAllSucceed));
        Assert.NotEqual(first, second);

        var start = ExpectImport(_coordinator);
        Assert.Equal((first, ImportMode.Partial, ImportApply.Always, Origin, 3), (start.ImportId, start.Mode, start.Apply, start.Origin, start.Bundle.Count));
        _coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the second waits
        Assert.Equal(ImportTaskStatus.Register, Task(tasks, second).Status);

        Complete(Report(first));
        var next = ExpectImport(_coordinator);
        Assert.Equal((second, ImportApply.OnlyIfAllSucceed), (next.ImportId, next.Apply));

        var finished = AwaitStatus(tasks, first, ImportTaskStatus.Finish);
        Assert.Equal(ImportReplies.Success(Report(first)), finished.Message);
        Assert.Equal((3, 3, ""), (finished.Done, finished.Total, finished.Stage));
        Assert.Equal(Node, finished.RunningOn);
    }

    [Fact]
    public void A_running_task_shows_the_live_progress_of_its_import()
    {
        var tasks = StartTasks("live");
        var id = Register(tasks, Request(Bundle));
        ExpectImport(_coordinator);

        tasks.Tell(new GetImportTask(id), TestActor);
        Assert.Equal(id, _coordinator.ExpectMsg<GetImportProgress>().ImportId);
        _coordinator.Reply(new ImportProgress(id, true, "rules", 1, 3));

        var task = ExpectMsg<ImportTaskAnswer>().Task!;
        Assert.Equal((ImportTaskStatus.Running, 1, 3, "rules"), (task.Status, task.Done, task.Total, task.Stage));
    }

    [Fact]
    public void A_request_the_task_cannot_read_ends_it_with_ekuipers_error_text()
    {
        var tasks = StartTasks("unreadable");
        var neither = Register(tasks, Request(""));
        var notJson = Register(tasks, Request("{\"streams\":[]}"));

        Assert.Equal("err:Invalid body: must specify content or file, response:null", AwaitStatus(tasks, neither, ImportTaskStatus.Error).Message);
        Assert.StartsWith("err:configuration unmarshal with error json: cannot unmarshal array into Go struct field Configuration.streams of type map[string]string, response:{\"ErrorMsg\":",
            AwaitStatus(tasks, notJson, ImportTaskStatus.Error).Message);
        _coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_waiting_task_is_cancelled_at_once_and_never_sent()
    {
        var tasks = StartTasks("cancel-waiting");
        var running = Register(tasks, Request(Bundle));
        var waiting = Register(tasks, Request(Bundle));
        ExpectImport(_coordinator);

        tasks.Tell(new CancelImportTask(waiting), TestActor);
        Assert.True(ExpectMsg<ImportTaskCancelAnswer>().Found);
        var cancelled = Task(tasks, waiting);
        Assert.Equal((ImportTaskStatus.Cancel, AsyncImportTexts.CancelledBeforeStart), (cancelled.Status, cancelled.Message));

        Complete(Report(running));
        AwaitStatus(tasks, running, ImportTaskStatus.Finish);
        // Progress questions of the polls above may still arrive; no other import may.
        var after = _coordinator.ReceiveWhile(TimeSpan.FromMilliseconds(300), message => message);
        Assert.DoesNotContain(after, message => message is Kuiper.Actors.Transfers.LocateActor or StartImport);
    }

    [Fact]
    public void A_running_import_is_cancelled_through_the_coordinator_once_it_runs_and_ends_cancel()
    {
        var tasks = StartTasks("cancel-running");
        var id = Register(tasks, Request(Bundle));
        ExpectImport(_coordinator);

        tasks.Tell(new CancelImportTask(id), TestActor);
        // Answered once the coordinator has the cancel.
        _coordinator.ExpectMsg<CancelImport>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // Queued behind another import in the coordinator: not running yet, so the cancel is sent again.
        _coordinator.Reply(new ImportCancelAnswer(id, false));
        Assert.True(ExpectMsg<ImportTaskCancelAnswer>().Found);
        _coordinator.ExpectMsg<CancelImport>();
        _coordinator.Reply(new ImportCancelAnswer(id, true));
        Complete(Report(id, cancelled: true));

        var task = AwaitStatus(tasks, id, ImportTaskStatus.Cancel);
        Assert.Equal($"cancelled: imported streams 1; removed nothing; not imported rules 2; every item: GET /data/imports/{id}", task.Message);
        Assert.Equal((1, 3), (task.Done, task.Total));
    }

    [Fact]
    public void An_ended_task_stays_as_it_ended_when_cancelled_and_an_unknown_one_is_not_found()
    {
        var tasks = StartTasks("cancel-ended");
        var id = Register(tasks, Request(Bundle));
        ExpectImport(_coordinator);
        Complete(Report(id));
        AwaitStatus(tasks, id, ImportTaskStatus.Finish);

        tasks.Tell(new CancelImportTask(id), TestActor);
        Assert.True(ExpectMsg<ImportTaskCancelAnswer>().Found);
        tasks.Tell(new CancelImportTask("nope"), TestActor);
        Assert.False(ExpectMsg<ImportTaskCancelAnswer>().Found);
        tasks.Tell(new GetImportTask("nope"), TestActor);
        Assert.Null(ExpectMsg<ImportTaskAnswer>().Task);

        Assert.Equal(ImportTaskStatus.Finish, Task(tasks, id).Status);
    }

    [Fact]
    public void After_a_restart_a_running_task_takes_its_outcome_from_the_history_and_a_waiting_one_ends_error()
    {
        var tasks = StartTasks("restart-history");
        var running = Register(tasks, Request(Bundle));
        var waiting = Register(tasks, Request(Bundle));
        ExpectImport(_coordinator);
        Watch(tasks);
        Sys.Stop(tasks);
        ExpectTerminated(tasks);

        var again = StartTasks("restart-history-2");
        // Still running? Not any more; its report is in the history.
        Assert.Equal(running, _coordinator.ExpectMsg<GetImportProgress>().ImportId);
        _coordinator.Reply(new ImportProgress(running, false, "", 0, 0));
        _coordinator.ExpectMsg<GetImportHistory>();
        _coordinator.Reply(new ImportHistory([Report("other"), Report(running)]));

        Assert.Equal(ImportReplies.Success(Report(running)), AwaitStatus(again, running, ImportTaskStatus.Finish).Message);
        Assert.Equal($"err:interrupted: node {Node} stopped before this task started (its request was held there); nothing was imported, response:null",
            AwaitStatus(again, waiting, ImportTaskStatus.Error).Message);
        // A new task gets a new id, never one already given.
        var next = Register(again, Request(Bundle));
        Assert.DoesNotContain(next, new[] { running, waiting });
    }

    [Fact]
    public void After_a_restart_an_import_still_running_is_followed_and_one_that_left_no_report_ends_error()
    {
        var tasks = StartTasks("restart-lost");
        var id = Register(tasks, Request(Bundle));
        ExpectImport(_coordinator);
        Watch(tasks);
        Sys.Stop(tasks);
        ExpectTerminated(tasks);

        var again = StartTasks("restart-lost-2");
        _coordinator.ExpectMsg<GetImportProgress>();
        _coordinator.Reply(new ImportProgress(id, true, "rules", 2, 3));
        _coordinator.ExpectMsg<GetImportProgress>(); // followed while it runs
        _coordinator.Reply(new ImportProgress(id, false, "", 0, 0));
        _coordinator.ExpectMsg<GetImportHistory>();
        _coordinator.Reply(new ImportHistory([]));

        var task = AwaitStatus(again, id, ImportTaskStatus.Error);
        Assert.Equal($"err:interrupted: node {Node} stopped while it was running this import; what it imported before it stopped stays imported " +
                     $"and is listed in GET /data/imports/{id} if the import was recorded, response:null", task.Message);
        Assert.Equal((2, 3), (task.Done, task.Total));
    }

    [Fact]
    public void A_coordinator_that_dies_during_the_import_is_noticed_and_the_task_does_not_stay_running()
    {
        var tasks = StartTasks("coordinator-dies");
        var incarnation = CreateTestProbe("incarnation");
        var id = Register(tasks, Request(Bundle));
        Assert.Equal(id, ExpectImport(_coordinator, incarnation).ImportId);

        Sys.Stop(incarnation.Ref);

        // Asked through the proxy, which reaches the coordinator's next incarnation.
        _coordinator.ExpectMsg<GetImportProgress>();
        _coordinator.Reply(new ImportProgress(id, false, "", 0, 0));
        _coordinator.ExpectMsg<GetImportHistory>();
        _coordinator.Reply(new ImportHistory([]));
        Assert.StartsWith($"err:interrupted: node {Node} stopped while it was running this import", AwaitStatus(tasks, id, ImportTaskStatus.Error).Message);
    }

    [Fact]
    public void Too_many_unfinished_tasks_are_refused_as_busy()
    {
        var tasks = StartTasks("busy", settings: Settings with { MaxUnfinished = 2 });
        Register(tasks, Request(Bundle));
        Register(tasks, Request(Bundle));

        tasks.Tell(Request(Bundle), TestActor);

        var refused = ExpectMsg<ImportTaskRefused>();
        Assert.True(refused.Busy);
        Assert.Equal("2 async tasks are waiting or running, the most allowed (Kuiper:Import:AsyncQueueLimit); try again once some have ended", refused.Reason);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_uploads, recursive: true); } catch (IOException) { }
    }
}
