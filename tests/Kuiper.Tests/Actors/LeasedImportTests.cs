using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Actors;

/// <summary>
/// An import run on the node that received it, under the coordinator's lease, against probe regions: it is ordered with
/// the coordinator's other writes, recorded as the status, and never outlives its coordinator or its lease holder.
/// </summary>
public sealed class LeasedImportTests : TestKit
{
    private readonly Dictionary<ResourceKind, TestProbe> _probes;
    private readonly PartitionRegions _regions;
    private static readonly CoordinatorSettings Settings = new(TimeSpan.FromSeconds(30), 3);

    public LeasedImportTests() : base(ActorTestConfig.Setup)
    {
        _probes = ResourceKinds.All.ToDictionary(k => k, k => CreateTestProbe(k.RegionName()));
        _regions = ProbeRegions.Of(Sys, _probes);
    }

    private static Bundle Rules(params string[] names) => new(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
    {
        [ResourceKind.Rules] = names.ToDictionary(n => n, _ => "{}"),
    });

    private static StartImport Start(string id, Bundle bundle) => new(id, bundle, ImportMode.Partial);

    /// <summary>Before the rules of a partial import, the run asks the stream and table partitions what they hold: nothing.</summary>
    private void AnswerSourceLookups()
    {
        foreach (var kind in new[] { ResourceKind.Streams, ResourceKind.Tables })
            for (var p = 0; p < PartitionScheme.PartitionCount; p++)
            {
                var ask = _probes[kind].ExpectMsg<GetPartitionContents>();
                _probes[kind].LastSender.Tell(new PartitionContents(kind, ask.Partition, new Dictionary<string, string>()));
            }
    }

    /// <summary>Receives one batch of <paramref name="kind"/> and answers it, every item refused with <paramref name="error"/> if given.</summary>
    private ApplyBatch AnswerBatch(ResourceKind kind, string? error = null)
    {
        var batch = _probes[kind].ExpectMsg<ApplyBatch>();
        var errors = error is null ? new Dictionary<string, string>() : batch.Items.ToDictionary(i => i.Name, _ => error);
        _probes[kind].LastSender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, errors, SequenceNr: 7));
        return batch;
    }

    private IActorRef Coordinator() => Sys.ActorOf(ImportCoordinator.Props(_regions, Settings));

    private IActorRef Leased(IActorRef coordinator) => Sys.ActorOf(LeasedImport.Props(coordinator, _regions, Settings));

    [Fact]
    public void A_leased_import_sends_its_batches_from_where_it_runs_and_the_coordinator_records_its_report()
    {
        var coordinator = Coordinator();

        Leased(coordinator).Tell(Start("here", Rules("r1")));
        AnswerSourceLookups();
        var batch = AnswerBatch(ResourceKind.Rules, error: "bad rule");

        Assert.Equal("here/rules/" + batch.Partition, batch.BatchId);
        Assert.Equal("bad rule", ExpectMsg<ImportCompleted>().Report.Errors[ResourceKind.Rules]["r1"]);
        coordinator.Tell(GetImportStatus.Instance);
        var status = ExpectMsg<ImportStatus>().Report;
        Assert.Equal(("here", "bad rule"), (status.ImportId, status.Errors[ResourceKind.Rules]["r1"]));
    }

    [Fact]
    public void Other_writes_wait_for_the_leased_import_and_its_progress_is_asked_through_the_coordinator()
    {
        var coordinator = Coordinator();
        var other = CreateTestProbe();
        Leased(coordinator).Tell(Start("first", Rules("r1")));
        // Running under the lease: the coordinator forwards the question to it.
        AwaitAssert(() =>
        {
            coordinator.Tell(new GetImportProgress("first"));
            var progress = ExpectMsg<ImportProgress>();
            Assert.Equal((true, 1), (progress.Running, progress.Total));
        });

        Leased(coordinator).Tell(Start("second", new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.SinkConfig] = new Dictionary<string, string> { ["mqtt"] = "{}" },
        })), other.Ref);

        _probes[ResourceKind.SinkConfig].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AnswerSourceLookups();
        AnswerBatch(ResourceKind.Rules);
        Assert.Equal("first", ExpectMsg<ImportCompleted>().Report.ImportId);
        AnswerBatch(ResourceKind.SinkConfig);
        Assert.Equal("second", other.ExpectMsg<ImportCompleted>().Report.ImportId);
    }

    [Fact]
    public void The_lease_ends_with_its_holder_and_the_next_write_runs()
    {
        var coordinator = Coordinator();
        var holder = CreateTestProbe();
        var other = CreateTestProbe();
        coordinator.Tell(new RequestLease("lost", LeasePurpose.Import), holder.Ref);
        holder.ExpectMsg<LeaseGranted>(leased => Assert.Equal("lost", leased.LeaseId));
        Leased(coordinator).Tell(Start("next", Rules("r1")), other.Ref);
        _probes[ResourceKind.Streams].ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Sys.Stop(holder.Ref);

        AnswerSourceLookups();
        AnswerBatch(ResourceKind.Rules);
        Assert.Equal("next", other.ExpectMsg<ImportCompleted>().Report.ImportId);
        coordinator.Tell(GetImportStatus.Instance);
        Assert.Equal("next", ExpectMsg<ImportStatus>().Report.ImportId);
    }

    [Fact]
    public void A_report_from_another_sender_does_not_end_the_lease()
    {
        var coordinator = Coordinator();
        var holder = CreateTestProbe();
        var stranger = CreateTestProbe();
        coordinator.Tell(new RequestLease("mine", LeasePurpose.Import), holder.Ref);
        holder.ExpectMsg<LeaseGranted>();
        var report = new ImportReport("mine", ImportMode.Partial, DateTimeOffset.UtcNow, new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>());

        coordinator.Tell(new EndLease("mine", new ImportResult(report, null, null, new Dictionary<string, long>(), false, true)), stranger.Ref);
        stranger.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinator.Tell(new EndLease("mine", new ImportResult(report, null, null, new Dictionary<string, long>(), false, true)), holder.Ref);

        Assert.Equal("mine", holder.ExpectMsg<LeaseEnded>().LeaseId);
    }

    [Fact]
    public void A_coordinator_that_ends_before_the_lease_is_granted_is_told_at_once_and_nothing_runs()
    {
        var coordinator = CreateTestProbe();
        Leased(coordinator.Ref).Tell(Start("orphan", Rules("r1")));
        coordinator.ExpectMsg<RequestLease>(lease => Assert.Equal("orphan", lease.LeaseId));

        Sys.Stop(coordinator.Ref);

        var refused = ExpectMsg<TransferRefused>();
        Assert.False(refused.Answered);
        Assert.EndsWith("ended before the import's turn came: nothing was imported", refused.Reason);
        _probes[ResourceKind.Streams].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_import_abandoned_before_its_turn_gives_the_turn_back_unused_and_the_next_write_runs()
    {
        var coordinator = Coordinator();
        var holder = CreateTestProbe();
        var other = CreateTestProbe();
        coordinator.Tell(new RequestLease("first", LeasePurpose.Import), holder.Ref);
        holder.ExpectMsg<LeaseGranted>();
        var dropped = Leased(coordinator);
        dropped.Tell(Start("dropped", Rules("r1")));

        dropped.Tell(LeasedImport.Abandon.Instance);
        Assert.True(ExpectMsg<LeasedImport.Abandoned>().Dropped);
        Watch(dropped);
        Leased(coordinator).Tell(Start("next", Rules("r2")), other.Ref);
        var report = new ImportReport("first", ImportMode.Partial, DateTimeOffset.UtcNow, new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>());
        coordinator.Tell(new EndLease("first", new ImportResult(report, null, null, new Dictionary<string, long>(), false, true)), holder.Ref);
        holder.ExpectMsg<LeaseEnded>();

        // Its turn came and went: it stopped without a batch; the import behind it runs and becomes the status.
        ExpectTerminated(dropped);
        AnswerSourceLookups();
        Assert.Contains("r2", AnswerBatch(ResourceKind.Rules).Items.Select(i => i.Name));
        Assert.Equal("next", other.ExpectMsg<ImportCompleted>().Report.ImportId);
        _probes[ResourceKind.Rules].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinator.Tell(new GetImportHistory(10));
        Assert.Equal(["next", "first"], ExpectMsg<ImportHistory>().Reports.Select(r => r.ImportId));
    }

    [Fact]
    public void An_import_abandoned_once_it_runs_is_not_dropped()
    {
        var leased = Leased(Coordinator());
        leased.Tell(Start("running", Rules("r1")));
        AnswerSourceLookups();

        leased.Tell(LeasedImport.Abandon.Instance);
        Assert.False(ExpectMsg<LeasedImport.Abandoned>().Dropped);
        AnswerBatch(ResourceKind.Rules);
        Assert.Equal("running", ExpectMsg<ImportCompleted>().Report.ImportId);
    }

    [Fact]
    public void A_journal_failure_before_any_write_is_reported_as_nothing_applied()
    {
        Leased(Coordinator()).Tell(Start("down", Rules("r1")));
        AnswerSourceLookups();
        var batch = _probes[ResourceKind.Rules].ExpectMsg<ApplyBatch>();
        _probes[ResourceKind.Rules].LastSender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId,
            batch.Items.ToDictionary(i => i.Name, _ => "not stored: x"), "not stored: x"));

        var completed = ExpectMsg<ImportCompleted>();
        Assert.Equal(("not stored: x", false), (completed.Unavailable, completed.Applied));
    }

    [Fact]
    public void A_journal_failure_after_a_stage_was_written_is_reported_as_applied()
    {
        var bundle = new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.SinkConfig] = new Dictionary<string, string> { ["mqtt"] = "{}" },
            [ResourceKind.Rules] = new Dictionary<string, string> { ["r1"] = "{}" },
        });
        Leased(Coordinator()).Tell(Start("half", bundle));
        AnswerBatch(ResourceKind.SinkConfig);
        AnswerSourceLookups();
        var batch = _probes[ResourceKind.Rules].ExpectMsg<ApplyBatch>();
        _probes[ResourceKind.Rules].LastSender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId,
            batch.Items.ToDictionary(i => i.Name, _ => "not stored: x"), "not stored: x"));

        var completed = ExpectMsg<ImportCompleted>();
        Assert.Equal(("not stored: x", true), (completed.Unavailable, completed.Applied));
        Assert.Equal(1, completed.Report.Counts![ResourceKind.SinkConfig].Imported);
    }
}
