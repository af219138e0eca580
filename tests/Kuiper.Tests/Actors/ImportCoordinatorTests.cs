using Kuiper.Domain.Resources;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Transfers;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Actors;

/// <summary>
/// The coordinator against probe regions, with the imports, changes and exports it orders run by their lease holders
/// beside it: what is sent when, and what is reported.
/// </summary>
public sealed class ImportCoordinatorTests : TestKit
{
    private readonly Dictionary<ResourceKind, TestProbe> _regions;

    public ImportCoordinatorTests() : base(ActorTestConfig.Setup) =>
        _regions = ResourceKinds.All.ToDictionary(k => k, k => CreateTestProbe(k.RegionName()));

    private CoordinatorSettings _settings = new(TimeSpan.FromSeconds(30), 3);

    private IActorRef StartCoordinator(CoordinatorSettings? settings = null)
    {
        _settings = settings ?? _settings;
        return Sys.ActorOf(ImportCoordinator.Props(ProbeRegions.Of(Sys, _regions), _settings));
    }

    /// <summary>A lease holder for one import or change, as the node that received it makes one.</summary>
    private IActorRef Holder(IActorRef coordinator) => Sys.ActorOf(LeasedImport.Props(coordinator, ProbeRegions.Of(Sys, _regions), _settings));

    private IActorRef Exporter(IActorRef coordinator) =>
        Sys.ActorOf(LeasedExport.Props(coordinator, new PartitionReader(ProbeRegions.Of(Sys, _regions), _settings.Partitions, bounded: true)));

    private static Bundle Bundle(params (ResourceKind Kind, string Name, string Definition)[] items) =>
        new(items.GroupBy(i => i.Kind).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, string>)g.ToDictionary(i => i.Name, i => i.Definition)));

    /// <summary>Receives <paramref name="count"/> batches on a region and answers each, with the given errors.</summary>
    /// <param name="position">the journal position each partition answers with: above 0 once it stored something</param>
    private List<ApplyBatch> AnswerBatches(ResourceKind kind, int count, Func<ResourceItem, string?>? error = null, Func<ApplyBatch, long>? position = null)
    {
        var probe = _regions[kind];
        var batches = new List<ApplyBatch>();
        for (var i = 0; i < count; i++)
        {
            var batch = probe.ExpectMsg<ApplyBatch>();
            batches.Add(batch);
            var errors = batch.Items.Select(item => (item.Name, Error: error?.Invoke(item)))
                .Where(e => e.Error is not null).ToDictionary(e => e.Name, e => e.Error!);
            probe.LastSender.Tell(new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, errors, SequenceNr: position?.Invoke(batch) ?? 0));
        }
        return batches;
    }

    /// <summary>Before the rules of a partial import, the run asks the stream and table partitions what they hold.</summary>
    private void AnswerSourceLookups(params string[] streams)
    {
        foreach (var kind in new[] { ResourceKind.Streams, ResourceKind.Tables })
        {
            var probe = _regions[kind];
            for (var p = 0; p < PartitionScheme.PartitionCount; p++)
            {
                var ask = probe.ExpectMsg<GetPartitionContents>();
                var held = kind == ResourceKind.Streams
                    ? streams.Where(s => PartitionScheme.PartitionOf(s) == ask.Partition).ToDictionary(s => s, _ => "CREATE ...")
                    : new Dictionary<string, string>();
                probe.LastSender.Tell(new PartitionContents(kind, ask.Partition, held));
            }
        }
    }

    private void ExpectNoBatches(params ResourceKind[] kinds)
    {
        foreach (var kind in kinds) _regions[kind].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Full_import_runs_stage_after_stage_and_reports_the_errors()
    {
        var coordinator = StartCoordinator();
        var bundle = Bundle((ResourceKind.Streams, "s1", "CREATE ..."), (ResourceKind.Rules, "r1", "{}"), (ResourceKind.Rules, "r2", "{}"));

        Holder(coordinator).Tell(new StartImport("i1", bundle, ImportMode.Full));

        const int all = PartitionScheme.PartitionCount;
        AnswerBatches(ResourceKind.SourceConfig, all);
        AnswerBatches(ResourceKind.SinkConfig, all);
        ExpectNoBatches(ResourceKind.Streams);
        AnswerBatches(ResourceKind.ConnectionConfig, all);
        ExpectNoBatches(ResourceKind.Schema);
        AnswerBatches(ResourceKind.Uploads, all);
        foreach (var provider in new[] { ResourceKind.Schema, ResourceKind.NativePlugins, ResourceKind.PortablePlugins, ResourceKind.Service, ResourceKind.Scripts })
            AnswerBatches(provider, all);
        var streams = AnswerBatches(ResourceKind.Streams, all);
        Assert.All(streams, b => Assert.True(b.ReplaceAll));
        ExpectNoBatches(ResourceKind.Rules);
        AnswerBatches(ResourceKind.Tables, all);
        AnswerBatches(ResourceKind.Rules, all, item => item.Name == "r2" ? "bad rule" : null);

        var report = ExpectMsg<ImportCompleted>().Report;
        Assert.Equal("i1", report.ImportId);
        Assert.False(report.Succeeded);
        Assert.Equal(new Dictionary<string, string> { ["r2"] = "bad rule" }, report.Errors[ResourceKind.Rules]);
    }

    [Fact]
    public void Once_it_knows_where_every_partition_is_a_full_import_sends_nothing_to_the_empty_ones()
    {
        var coordinator = StartCoordinator();
        var bundle = Bundle((ResourceKind.Streams, "s1", "CREATE ..."));

        Holder(coordinator).Tell(new StartImport("first", bundle, ImportMode.Full));
        // Positions are unknown yet: every partition gets its batch. The one that stores s1 moves to 1; the others
        // report 0 (the probe regions answer position reads with 0 too).
        foreach (var kind in ResourceKinds.ImportOrder.SelectMany(stage => stage))
            AnswerBatches(kind, PartitionScheme.PartitionCount, position: b => b.Items.Count > 0 ? 1 : 0);
        Assert.True(ExpectMsg<ImportCompleted>().Report.Succeeded);

        Holder(coordinator).Tell(new StartImport("again", bundle, ImportMode.Full));

        var batch = Assert.Single(AnswerBatches(ResourceKind.Streams, 1, position: _ => 2));
        Assert.Equal((PartitionScheme.PartitionOf("s1"), true, "s1"), (batch.Partition, batch.ReplaceAll, batch.Items.Single().Name));
        Assert.True(ExpectMsg<ImportCompleted>().Report.Succeeded);
        ExpectNoBatches([.. ResourceKinds.All]);
    }

    [Fact]
    public void An_unanswered_batch_is_sent_again_and_then_reported_as_not_confirmed()
    {
        var coordinator = StartCoordinator(new CoordinatorSettings(TimeSpan.FromMilliseconds(300), 2));

        Holder(coordinator).Tell(new StartImport("i2", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));
        AnswerSourceLookups();

        var first = _regions[ResourceKind.Rules].ExpectMsg<ApplyBatch>();
        var second = _regions[ResourceKind.Rules].ExpectMsg<ApplyBatch>();
        Assert.Equal(first.BatchId, second.BatchId);

        var report = ExpectMsg<ImportCompleted>().Report;
        Assert.StartsWith($"not confirmed: partition rules-{PartitionScheme.EntityId(first.Partition)} did not answer",
            report.Errors[ResourceKind.Rules]["r1"]);
    }

    [Fact]
    public void A_late_answer_to_a_resent_batch_completes_the_import_once()
    {
        var coordinator = StartCoordinator(new CoordinatorSettings(TimeSpan.FromMilliseconds(300), 5));
        Holder(coordinator).Tell(new StartImport("i3", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));
        AnswerSourceLookups();

        var probe = _regions[ResourceKind.Rules];
        var batch = probe.ExpectMsg<ApplyBatch>();
        probe.ExpectMsg<ApplyBatch>();
        var answer = new BatchApplied(batch.Kind, batch.Partition, batch.BatchId, new Dictionary<string, string>());
        probe.LastSender.Tell(answer);
        probe.LastSender.Tell(answer);

        Assert.True(ExpectMsg<ImportCompleted>().Report.Succeeded);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void Imports_are_serialized_the_second_waits_for_the_first()
    {
        var coordinator = StartCoordinator();
        var first = CreateTestProbe();
        var second = CreateTestProbe();

        Holder(coordinator).Tell(new StartImport("a", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial), first.Ref);
        // "a" holds the lease once it looks its sources up; "b" asks for it then.
        AnswerSourceLookups();
        Holder(coordinator).Tell(new StartImport("b", Bundle((ResourceKind.Streams, "s1", "x")), ImportMode.Partial), second.Ref);

        ExpectNoBatches(ResourceKind.Streams);
        AnswerBatches(ResourceKind.Rules, 1);
        Assert.Equal("a", first.ExpectMsg<ImportCompleted>().Report.ImportId);
        AnswerBatches(ResourceKind.Streams, 1);
        Assert.Equal("b", second.ExpectMsg<ImportCompleted>().Report.ImportId);
    }

    [Fact]
    public void Handed_over_it_stops_once_the_import_under_way_is_recorded_and_grants_no_lease_asked_for_after()
    {
        var coordinator = StartCoordinator();
        Watch(coordinator);
        var first = CreateTestProbe();
        var late = CreateTestProbe();
        Holder(coordinator).Tell(new StartImport("a", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial), first.Ref);
        // "a" holds the lease once it looks its sources up; then the singleton's node leaves, then "b" asks.
        AnswerSourceLookups();
        coordinator.Tell(ImportCoordinator.HandOver.Instance);
        Holder(coordinator).Tell(new StartImport("b", Bundle((ResourceKind.Streams, "s1", "x")), ImportMode.Partial), late.Ref);

        // Not cut between stages: "a" runs to its end and is answered with its report, recorded.
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AnswerBatches(ResourceKind.Rules, 1);
        var report = first.ExpectMsg<ImportCompleted>().Report;
        Assert.True(report.Succeeded);
        ExpectTerminated(coordinator);

        // "b" was never granted: nothing of it was applied, and its requester is told so.
        ExpectNoBatches(ResourceKind.Streams);
        var refused = late.ExpectMsg<TransferRefused>();
        Assert.False(refused.Answered);
        Assert.Contains("before the import's turn came: nothing was imported", refused.Reason);
    }

    [Fact]
    public void Handed_over_with_no_lease_out_it_stops_at_once()
    {
        var coordinator = StartCoordinator();
        Watch(coordinator);
        coordinator.Tell(ImportCoordinator.HandOver.Instance);
        ExpectTerminated(coordinator);
    }

    [Fact]
    public void Export_waits_for_a_running_import_and_gathers_every_partition()
    {
        var coordinator = StartCoordinator();
        Holder(coordinator).Tell(new StartImport("a", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));
        // The import holds the lease once it looks its sources up; the export asks for it then, and waits.
        AnswerSourceLookups();
        Exporter(coordinator).Tell(ExportAll.Instance);

        AnswerBatches(ResourceKind.Rules, 1);
        ExpectMsg<ImportCompleted>();

        foreach (var (kind, probe) in _regions)
        {
            for (var p = 0; p < PartitionScheme.PartitionCount; p++)
            {
                var ask = probe.ExpectMsg<GetPartitionContents>();
                var resources = kind == ResourceKind.Rules && ask.Partition == 0
                    ? new Dictionary<string, string> { ["r1"] = "def" }
                    : new Dictionary<string, string>();
                probe.LastSender.Tell(new PartitionContents(kind, ask.Partition, resources));
            }
        }

        var snapshot = ExpectMsg<ExportSnapshot>();
        Assert.Equal("def", snapshot.Bundle[ResourceKind.Rules]["r1"]);
        Assert.Equal(1, snapshot.Bundle.Count);
    }

    [Fact]
    public void The_last_report_survives_a_restart()
    {
        var coordinator = StartCoordinator();
        Holder(coordinator).Tell(new StartImport("kept", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));
        AnswerSourceLookups();
        AnswerBatches(ResourceKind.Rules, 1, _ => "refused");
        ExpectMsg<ImportCompleted>();
        Watch(coordinator);
        coordinator.Tell(PoisonPill.Instance);
        ExpectTerminated(coordinator);

        StartCoordinator().Tell(GetImportStatus.Instance);

        var status = ExpectMsg<ImportStatus>();
        Assert.Equal("kept", status.Report.ImportId);
        Assert.Equal("refused", status.Report.Errors[ResourceKind.Rules]["r1"]);
    }

    [Fact]
    public void An_import_that_ends_while_the_record_keeper_waits_to_restart_starts_it_and_is_recorded()
    {
        // Seen under load with the database up: the keeper stopped after one failed write, and every import that ended
        // during its back-off was answered "the journal is unavailable" without the journal being asked.
        var coordinator = StartCoordinator();
        coordinator.Tell(GetImportStatus.Instance);
        ExpectMsg<ImportStatus>();
        Sys.ActorSelection(coordinator.Path / "*").Tell(new Identify("keeper"));
        var keeper = ExpectMsg<ActorIdentity>().Subject!;
        Watch(keeper);
        Sys.Stop(keeper);
        ExpectTerminated(keeper);
        coordinator.Tell(GetImportStatus.Instance);
        ExpectMsg<ImportStatus>();

        Holder(coordinator).Tell(new StartImport("after", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));
        AnswerSourceLookups();
        AnswerBatches(ResourceKind.Rules, 1);

        var completed = ExpectMsg<ImportCompleted>();
        Assert.Null(completed.Unavailable);
        Watch(coordinator);
        Sys.Stop(coordinator);
        ExpectTerminated(coordinator);
        StartCoordinator().Tell(GetImportStatus.Instance);
        Assert.Equal("after", ExpectMsg<ImportStatus>().Report.ImportId);
    }

    [Fact]
    public void An_idempotency_key_s_answer_survives_a_coordinator_restart_and_is_answered_while_an_import_runs()
    {
        var coordinator = StartCoordinator();
        var hold = TimeSpan.FromMinutes(10);
        coordinator.Tell(new ClaimImportKey("k", "f", hold));
        Assert.Equal(ImportKeyState.Claimed, ExpectMsg<ImportKeyClaim>().State);
        var answer = new IdempotentAnswer("k", "f", DateTimeOffset.UtcNow, 200, "application/json", "{}"u8.ToArray(), new Dictionary<string, string>());
        coordinator.Tell(new SettleImportKey("k", "f", answer));
        ExpectMsg<ImportKeySettled>();
        // Recorded once the keeper has written it: a status round trip comes after the write in its mailbox.
        coordinator.Tell(GetImportStatus.Instance);
        ExpectMsg<ImportStatus>();
        Watch(coordinator);
        Sys.Stop(coordinator);
        ExpectTerminated(coordinator);

        var again = StartCoordinator();
        Holder(again).Tell(new StartImport("busy", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));
        AwaitAssert(() =>
        {
            again.Tell(new ClaimImportKey("k", "f", hold));
            var claim = ExpectMsg<ImportKeyClaim>();
            Assert.Equal(ImportKeyState.Answered, claim.State);
            Assert.Equal("{}"u8.ToArray(), claim.Answer!.Body);
        });
        again.Tell(new ClaimImportKey("k", "other", hold));
        Assert.Equal(ImportKeyState.Mismatch, ExpectMsg<ImportKeyClaim>().State);
    }

    [Fact]
    public void Partial_import_gives_the_rules_the_names_of_existing_streams_and_tables()
    {
        var coordinator = StartCoordinator();

        Holder(coordinator).Tell(new StartImport("ctx", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));
        AnswerSourceLookups("demo", "other");

        var batch = _regions[ResourceKind.Rules].ExpectMsg<ApplyBatch>();
        Assert.Equal(new[] { "demo", "other" }, batch.Context!.KnownSources!.Order());
    }

    [Fact]
    public void A_rule_change_asks_only_the_partitions_of_the_streams_and_tables_it_reads()
    {
        var coordinator = StartCoordinator();
        const string rule = """{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""";

        Holder(coordinator).Tell(new ChangeResources("c1", ResourceKind.Rules, BatchOperation.Create, [new ResourceItem("r1", rule)]));

        foreach (var kind in new[] { ResourceKind.Streams, ResourceKind.Tables })
        {
            var probe = _regions[kind];
            var ask = probe.ExpectMsg<GetPartitionContents>();
            Assert.Equal(PartitionScheme.PartitionOf("demo"), ask.Partition);
            var held = kind == ResourceKind.Streams ? new Dictionary<string, string> { ["demo"] = "CREATE ..." } : new Dictionary<string, string>();
            probe.LastSender.Tell(new PartitionContents(kind, ask.Partition, held));
            probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }
        var batch = AnswerBatches(ResourceKind.Rules, 1).Single();
        Assert.Equal(new[] { "demo" }, batch.Context!.KnownSources);
        Assert.Empty(ExpectMsg<ResourcesChanged>().Errors);
    }

    [Fact]
    public void Rules_are_not_checked_against_a_partial_list_when_a_stream_partition_does_not_answer()
    {
        var coordinator = StartCoordinator(new CoordinatorSettings(TimeSpan.FromSeconds(1), 2));

        Holder(coordinator).Tell(new StartImport("i4", Bundle((ResourceKind.Rules, "r1", "{}")), ImportMode.Partial));

        var report = ExpectMsg<ImportCompleted>().Report;
        Assert.StartsWith("not imported: the streams and tables it reads could not be read (partition ", report.Errors[ResourceKind.Rules]["r1"]);
        Assert.EndsWith(" did not answer within 2s)", report.Errors[ResourceKind.Rules]["r1"]);
        _regions[ResourceKind.Rules].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
