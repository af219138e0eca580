using Akka.Actor;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Serialization;
using Kuiper.Messages;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Serialization;

public sealed class KuiperSerializerTests() : TestKit(ActorTestConfig.Setup)
{
    private static readonly IReadOnlyDictionary<string, string> Errors = new Dictionary<string, string> { ["r1"] = "bad <rule> \"x\"", ["é"] = "" };

    private static readonly ImportReport Report = new("imp-1", ImportMode.Partial, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
        new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>> { [ResourceKind.Rules] = Errors, [ResourceKind.Service] = Errors });

    private static readonly Bundle SampleBundle = new(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
    {
        [ResourceKind.Streams] = new Dictionary<string, string> { ["demo"] = "CREATE STREAM demo () WITH (TYPE=\"mqtt\")" },
        [ResourceKind.Schema] = new Dictionary<string, string> { ["protobuf_x"] = "{}" },
    });

    public static TheoryData<IKuiperMessage> Samples() => new()
    {
        new StartImport("imp-1", SampleBundle, ImportMode.Full),
        new StartImport("imp-2", SampleBundle, ImportMode.Partial, ImportApply.OnlyIfAllSucceed),
        new ImportCompleted(Report),
        new ImportCompleted(Report, "the report could not be stored (connection refused)"),
        new ImportCompleted(Report, "not stored: x", Applied: false),
        new RequestLease("imp-3", LeasePurpose.Import),
        new RequestLease("export-1", LeasePurpose.Export),
        new EndLease("imp-3", null),
        new LeaseEnded("imp-3", null),
        new LeaseEnded("imp-3", "its record could not be stored (x)"),
        new ClaimImportKey("key-1", "ABCD", TimeSpan.FromMinutes(10)),
        new ImportKeyClaim("key-1", ImportKeyState.Running),
        new ImportKeyClaim("key-1", ImportKeyState.Answered, KeyAnswer),
        new SettleImportKey("key-1", "ABCD", KeyAnswer),
        new SettleImportKey("key-1", "ABCD", null),
        new ImportKeySettled("key-1"),
        KeyAnswer,
        new ImportKeyRecorded(KeyAnswer),
        new ImportHistorySnapshot([Report], [KeyAnswer]),
        new LeaseGranted("imp-3", ["rules-3", "streams-0"]),
        LeasedImportFinished,
        LeasedImportFinished with { Result = LeasedImportFinished.Result! with { JournalFailure = "not stored: x", Changes = null, Positions = new Dictionary<string, long>() } },
        LeasedImportFinished with { Result = LeasedImportFinished.Result! with { JournalFailure = "not stored: x", Applied = false } },
        LeasedImportFinished.Result!,
        GetImportStatus.Instance,
        new ImportStatus(Report),
        ExportAll.Instance,
        new ExportSnapshot(SampleBundle),
        new ImportRecorded(Report),
        new ChangeResources("c1", ResourceKind.Rules, BatchOperation.Delete, [new ResourceItem("r1", "")]),
        new ResourcesChanged("c1", Errors),
        Report,
        new ApplyBatch(ResourceKind.SinkConfig, 3, "imp-1/sink-configs/3", true, [new ResourceItem("mqtt", "{\"a\":{}}")]),
        new ApplyBatch(ResourceKind.Rules, 3, "c/rules/3", false, [new ResourceItem("r", "{}")], new ValidationContext(["demo"]), BatchOperation.Create),
        new BatchApplied(ResourceKind.Rules, 15, "b", Errors),
        new BatchApplied(ResourceKind.Rules, 15, "b", Errors, "not stored: the journal did not take the write (x)"),
        new BatchApplied(ResourceKind.Rules, 15, "b/check", Errors, Changes: new BatchChanges(["new"], ["changed"], ["gone"], ["same"])),
        new ApplyBatch(ResourceKind.Streams, 1, "i/streams/1/check", false, [new ResourceItem("s", "CREATE ...")], CheckOnly: true),
        new GetPartitionContents(ResourceKind.Tables, 0),
        new PartitionContents(ResourceKind.Tables, 0, Errors),
        StopPartition.Instance,
        new BatchStored("b", false, Errors, Errors),
        new BatchStored("b", false, Errors, Errors, ["gone"]),
        new PartitionSnapshot(Errors, [new BatchOutcome("b", Errors)]),
        new RegisterImportTask("{\"streams\":{}} é"u8.ToArray(), "", ImportMode.Full, ImportApply.OnlyIfAllSucceed, true, Origin),
        new RegisterImportTask([], "file:///x.json", ImportMode.Partial, ImportApply.Never, false, Origin),
        new ImportTaskRegistered("dataImport-1700000000-2"),
        new ImportTaskRefused("too many", Busy: true),
        new GetImportTask("dataImport-1700000000"),
        new ImportTaskAnswer("dataImport-1700000000", SampleTask),
        new ImportTaskAnswer("nope", null),
        new CancelImportTask("dataImport-1700000000"),
        new ImportTaskCancelAnswer("dataImport-1700000000", true),
        SampleTask,
        new ImportTaskAccepted("dataImport-1700000000-2", 1700000000, 1700000000, 2, ImportMode.Full, ImportApply.Always, false, Origin, "node-a"),
        new ImportTaskStarted("dataImport-1700000000-2", 1700000001, "node-b"),
        new ImportTaskEnded("dataImport-1700000000-2", 1700000002, ImportTaskStatus.Error, "err:x, response:null", 3, 7),
        new ImportTasksSnapshot([SampleTask, SampleTask with { TaskId = "dataImport-1700000001", Status = ImportTaskStatus.Register }], 1700000001, 1),
        new GetImportHistory(20),
        new ImportHistory([Report]),
        new GetImportProgress("imp-1"),
        new ImportProgress("imp-1", true, "rules", 3, 7),
        new CancelImport("imp-1"),
        new ImportCancelAnswer("imp-1", false),
        new Kuiper.Messages.Artefacts.ArtefactsChanged("imp-1"),
        new GetPartitionPosition(ResourceKind.Rules, 3),
        new PartitionPosition(ResourceKind.Rules, 3, 42),
        new Kuiper.Actors.Transfers.TransferRefused("too large", Answered: true),
        Kuiper.Actors.Transfers.LocateActor.Instance,
    };

    private static readonly IdempotentAnswer KeyAnswer = new("key-1", "ABCD", new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), 400,
        "text/plain; charset=utf-8", "{\"error\":1000,\"message\":\"é\"}\n"u8.ToArray(), new Dictionary<string, string> { ["X-Content-Type-Options"] = "nosniff" });

    [Fact]
    public void A_key_s_answer_keeps_every_byte_and_a_snapshot_from_before_keys_reads_with_none()
    {
        var serializer = (KuiperSerializer)Sys.Serialization.FindSerializerFor(KeyAnswer);
        var recorded = new ImportKeyRecorded(KeyAnswer);

        var back = ((ImportKeyRecorded)serializer.FromBinary(serializer.ToBinary(recorded), serializer.Manifest(recorded))).Answer;
        // The previous release wrote the snapshot without Keys.
        var olderJson = System.Text.Encoding.UTF8.GetString(serializer.ToBinary(new ImportHistorySnapshot([Report]))).Replace(",\"Keys\":null", "");
        var older = (ImportHistorySnapshot)serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(olderJson), "import.history.snapshot.v1");

        Assert.Equal(KeyAnswer.Body, back.Body);
        Assert.Equal(KeyAnswer with { Body = back.Body, Headers = back.Headers }, back);
        Assert.Equal(KeyAnswer.Headers, back.Headers);
        Assert.DoesNotContain("Keys", olderJson);
        Assert.Null(older.Keys);
        Assert.Equal("imp-1", Assert.Single(older.Reports).ImportId);
    }

    private static readonly EndLease LeasedImportFinished = new("imp-3", new ImportResult(Report, null,
        new Dictionary<ResourceKind, BatchChanges> { [ResourceKind.Rules] = new(["new"], ["changed"], ["gone"], ["same"]) },
        new Dictionary<string, long> { ["rules-3"] = 42 }, ArtefactsChanged: true, Applied: true));

    private static readonly ImportOrigin Origin = new("akka.tcp://kuiper@127.0.0.1:4053", new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), "issuer");

    private static readonly ImportTaskState SampleTask = new("dataImport-1700000000", ImportTaskStatus.Finish, "{\"ErrorMsg\":\"\"}", 1700000000, 1700000003,
        6, 6, "", ImportMode.Partial, ImportApply.Always, false, Origin, "node-a", "node-b");

    [Fact]
    public void A_task_and_its_request_keep_every_field_through_the_serializer()
    {
        var register = new RegisterImportTask("{\"a\":\"é\"}"u8.ToArray(), "", ImportMode.Partial, ImportApply.Never, true, Origin);
        var serializer = (KuiperSerializer)Sys.Serialization.FindSerializerFor(register);

        var back = (RegisterImportTask)serializer.FromBinary(serializer.ToBinary(register), serializer.Manifest(register));
        var task = (ImportTaskState)serializer.FromBinary(serializer.ToBinary(SampleTask), serializer.Manifest(SampleTask));

        Assert.Equal(register.Content, back.Content);
        Assert.Equal(register with { Content = back.Content }, back);
        Assert.Equal(SampleTask, task);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_message_round_trips_through_the_kuiper_serializer(IKuiperMessage message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<KuiperSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(message.GetType(), back);
        Assert.Equal(bytes, serializer.ToBinary(back));
    }

    [Fact]
    public void A_leased_import_keeps_its_changes_positions_and_flags_through_the_serializer()
    {
        var serializer = (KuiperSerializer)Sys.Serialization.FindSerializerFor(LeasedImportFinished);

        var back = (EndLease)serializer.FromBinary(serializer.ToBinary(LeasedImportFinished), serializer.Manifest(LeasedImportFinished));
        var result = back.Result!;

        Assert.Equal("imp-3", back.LeaseId);
        Assert.Null(result.JournalFailure);
        Assert.Equal(["gone"], result.Changes![ResourceKind.Rules].Removed);
        Assert.Equal(42, result.Positions["rules-3"]);
        Assert.True(result.ArtefactsChanged);
        Assert.True(result.Applied);
        Assert.Equal(Errors, result.Report.Errors[ResourceKind.Rules]);
    }

    [Fact]
    public void Whether_an_import_applied_anything_crosses_and_an_older_node_s_answer_reads_as_applied()
    {
        var completed = new ImportCompleted(Report, "not stored: x", Applied: false);
        var serializer = (KuiperSerializer)Sys.Serialization.FindSerializerFor(completed);

        var back = (ImportCompleted)serializer.FromBinary(serializer.ToBinary(completed), serializer.Manifest(completed));
        var finished = ((EndLease)serializer.FromBinary(
            serializer.ToBinary(LeasedImportFinished with { Result = LeasedImportFinished.Result! with { Applied = false } }),
            serializer.Manifest(LeasedImportFinished))).Result!;
        // The previous release wrote no Applied: the safe side is "something may have been applied" (no 503).
        var older = System.Text.Encoding.UTF8.GetString(serializer.ToBinary(completed)).Replace(",\"Applied\":false", "");
        var olderBack = (ImportCompleted)serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(older), serializer.Manifest(completed));

        Assert.False(back.Applied);
        Assert.Equal("not stored: x", back.Unavailable);
        Assert.False(finished.Applied);
        Assert.DoesNotContain("Applied", older);
        Assert.True(olderBack.Applied);
    }

    [Fact]
    public void A_report_keeps_its_errors_through_the_serializer()
    {
        var serializer = (KuiperSerializer)Sys.Serialization.FindSerializerFor(Report);

        var back = (ImportReport)serializer.FromBinary(serializer.ToBinary(Report), serializer.Manifest(Report));

        Assert.Equal(Report.ImportId, back.ImportId);
        Assert.Equal(Report.CompletedAt, back.CompletedAt);
        Assert.Equal(Errors, back.Errors[ResourceKind.Rules]);
        Assert.Equal(Errors, back.Errors[ResourceKind.Service]);
    }

    [Fact]
    public void Every_message_type_has_a_stable_manifest()
    {
        var messageTypes = typeof(IKuiperMessage).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IKuiperMessage).IsAssignableFrom(t));

        Assert.All(messageTypes, t => Assert.True(KuiperSerializer.Manifests.ContainsKey(t), $"{t.Name} has no manifest"));
        Assert.Equal(KuiperSerializer.Manifests.Count, KuiperSerializer.Manifests.Values.Distinct().Count());
    }

    [Fact]
    public void An_unknown_manifest_fails_loudly()
    {
        var serializer = new KuiperSerializer((ExtendedActorSystem)Sys);

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "nope.v1"));
    }
}
