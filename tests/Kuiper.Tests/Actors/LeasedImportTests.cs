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

    /// <summary>The partial rules import's two steps on the probes: the source lookup, then one batch answered.</summary>
    private ApplyBatch AnswerPartialRulesImport(string? error = null)
    {
        foreach (var kind in new[] { ResourceKind.Streams, ResourceKind.Tables })
            for (var p = 0; p < PartitionScheme.PartitionCount; p++)
            {
                var ask = _probes[kind].ExpectMsg<GetPartitionContents>();
                _probes[kind].LastSender.Tell(new PartitionContents(kind, ask.Partition, new Dictionary<string, string>()));
            }
        var batch = _probes[ResourceKind.Rules].ExpectMsg<ApplyBatch>();
        var errors = error is null ? new Dictionary<string, string>() : batch.Items.ToDictionary(i => i.Name, _ => error);
        _probes[ResourceKind.Rules].LastSender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, errors, SequenceNr: 7));
        return batch;
    }

    private IActorRef Coordinator() => Sys.ActorOf(ImportCoordinator.Props(_regions, Settings));

    private IActorRef Leased(IActorRef coordinator) => Sys.ActorOf(LeasedImport.Props(coordinator, _regions, Settings));

    [Fact]
    public void A_leased_import_sends_its_batches_from_where_it_runs_and_the_coordinator_records_its_report()
    {
        var coordinator = Coordinator();

        Leased(coordinator).Tell(Start("here", Rules("r1")));
        var batch = AnswerPartialRulesImport(error: "bad rule");

        Assert.Equal("here/rules/" + batch.Partition, batch.BatchId);
        var completed = ExpectMsg<ImportCompleted>();
        Assert.Equal("bad rule", completed.Report.Errors[ResourceKind.Rules]["r1"]);
        coordinator.Tell(GetImportStatus.Instance);
        var status = ExpectMsg<ImportStatus>();
        Assert.Equal("here", status.Report.ImportId);
        Assert.Equal("bad rule", status.Report.Errors[ResourceKind.Rules]["r1"]);
    }

    [Fact]
    public void Other_writes_wait_for_the_leased_import_and_its_progress_is_asked_through_the_coordinator()
    {
        var coordinator = Coordinator();
        var other = CreateTestProbe();
        Leased(coordinator).Tell(Start("first", Rules("r1")));
        _probes[ResourceKind.Streams].ExpectMsg<GetPartitionContents>();

        coordinator.Tell(Start("second", new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.SinkConfig] = new Dictionary<string, string> { ["mqtt"] = "{}" },
        })), other.Ref);
        coordinator.Tell(new GetImportProgress("first"));

        var progress = ExpectMsg<ImportProgress>();
        Assert.True(progress.Running);
        Assert.Equal(1, progress.Total);
        _probes[ResourceKind.SinkConfig].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _probes[ResourceKind.Streams].LastSender.Tell(new PartitionContents(ResourceKind.Streams, 0, new Dictionary<string, string>()));
        for (var p = 1; p < PartitionScheme.PartitionCount; p++)
        {
            var ask = _probes[ResourceKind.Streams].ExpectMsg<GetPartitionContents>();
            _probes[ResourceKind.Streams].LastSender.Tell(new PartitionContents(ResourceKind.Streams, ask.Partition, new Dictionary<string, string>()));
        }
        for (var p = 0; p < PartitionScheme.PartitionCount; p++)
        {
            var ask = _probes[ResourceKind.Tables].ExpectMsg<GetPartitionContents>();
            _probes[ResourceKind.Tables].LastSender.Tell(new PartitionContents(ResourceKind.Tables, ask.Partition, new Dictionary<string, string>()));
        }
        var rules = _probes[ResourceKind.Rules].ExpectMsg<ApplyBatch>();
        _probes[ResourceKind.Rules].LastSender.Tell(new BatchApplied(rules.Kind, rules.Partition, rules.BatchId, new Dictionary<string, string>()));

        Assert.Equal("first", ExpectMsg<ImportCompleted>().Report.ImportId);
        var sink = _probes[ResourceKind.SinkConfig].ExpectMsg<ApplyBatch>();
        _probes[ResourceKind.SinkConfig].LastSender.Tell(new BatchApplied(sink.Kind, sink.Partition, sink.BatchId, new Dictionary<string, string>()));
        Assert.Equal("second", other.ExpectMsg<ImportCompleted>().Report.ImportId);
    }

    [Fact]
    public void The_lease_ends_with_its_holder_and_the_next_write_runs()
    {
        var coordinator = Coordinator();
        var holder = CreateTestProbe();
        var other = CreateTestProbe();
        coordinator.Tell(new LeaseImport("lost"), holder.Ref);
        holder.ExpectMsg<ImportLeased>(leased => Assert.Equal("lost", leased.ImportId));
        coordinator.Tell(Start("next", Rules("r1")), other.Ref);
        _probes[ResourceKind.Streams].ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Sys.Stop(holder.Ref);

        AnswerPartialRulesImport();
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
        coordinator.Tell(new LeaseImport("mine"), holder.Ref);
        holder.ExpectMsg<ImportLeased>();
        var report = new ImportReport("mine", ImportMode.Partial, DateTimeOffset.UtcNow, new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>());

        coordinator.Tell(new FinishLeasedImport("mine", report, null, null, new Dictionary<string, long>(), false, false), stranger.Ref);
        stranger.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinator.Tell(new FinishLeasedImport("mine", report, null, null, new Dictionary<string, long>(), false, false), holder.Ref);

        Assert.Equal("mine", holder.ExpectMsg<ImportCompleted>().Report.ImportId);
    }

    [Fact]
    public void A_coordinator_that_ends_before_the_lease_is_granted_is_told_at_once_and_nothing_runs()
    {
        var coordinator = CreateTestProbe();
        Leased(coordinator.Ref).Tell(Start("orphan", Rules("r1")));
        coordinator.ExpectMsg<LeaseImport>(lease => Assert.Equal("orphan", lease.ImportId));

        Sys.Stop(coordinator.Ref);

        var refused = ExpectMsg<TransferRefused>();
        Assert.False(refused.Answered);
        Assert.EndsWith("ended before the import's turn came: nothing was imported", refused.Reason);
        _probes[ResourceKind.Streams].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
