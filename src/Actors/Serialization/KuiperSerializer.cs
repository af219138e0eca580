using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Akka.Actor.Setup;
using Akka.Util;
using Kuiper.Actors.Releases;
using Kuiper.Domain.Secrets;
using Kuiper.Messages;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Serialization;

/// <summary>
/// The one serializer for everything we persist or send between nodes. Each type has a stable manifest, so a
/// renamed class never breaks a journal; an unknown type or manifest fails loudly instead of falling back.
/// </summary>
public sealed class KuiperSerializer(ExtendedActorSystem system, IReadOnlyDictionary<string, AppVersion> introductions, SecretsAtRest secrets)
    : SerializerWithStringManifest(system)
{
    public KuiperSerializer(ExtendedActorSystem system, SecretKeyRing? ring = null) : this(system, FormatIntroductions.Since, new SecretsAtRest(ring, seal: true))
    {
    }

    public KuiperSerializer(ExtendedActorSystem system, IReadOnlyDictionary<string, AppVersion> introductions)
        : this(system, introductions, new SecretsAtRest(null, seal: false))
    {
    }

    /// <summary>How this serializer seals secrets on their way to storage (a rotation reads and writes through it).</summary>
    public SecretsAtRest Secrets => secrets;

    public const int SerializerId = 7081;

    /// <summary>
    /// Manifests are part of the storage format: never change one, add a new one for a new shape, and keep to the
    /// compatibility rule for it (docs/releases.md#adding-a-format: a sample, and a gate on every member's release).
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(StartImport)] = "import.start.v2",
        [typeof(ImportCompleted)] = "import.completed.v1",
        [typeof(RequestLease)] = "lease.request.v1",
        [typeof(LeaseGranted)] = "lease.granted.v1",
        [typeof(EndLease)] = "lease.end.v1",
        [typeof(LeaseEnded)] = "lease.ended.v1",
        [typeof(ImportResult)] = "import.result.v1",
        [typeof(ClaimImportKey)] = "import.key.claim.v1",
        [typeof(ImportKeyClaim)] = "import.key.claimed.v1",
        [typeof(SettleImportKey)] = "import.key.settle.v1",
        [typeof(ImportKeySettled)] = "import.key.settled.v1",
        [typeof(IdempotentAnswer)] = "import.key.answer.v1",
        [typeof(ImportKeyRecorded)] = "import.key.recorded.v1",
        [typeof(GetImportStatus)] = "import.status.get.v1",
        [typeof(ImportStatus)] = "import.status.v1",
        [typeof(ExportAll)] = "export.all.v1",
        [typeof(ExportSnapshot)] = "export.snapshot.v1",
        [typeof(ImportRecorded)] = "import.recorded.v1",
        [typeof(GetImportHistory)] = "import.history.get.v1",
        [typeof(GetImportProgress)] = "import.progress.get.v1",
        [typeof(ImportProgress)] = "import.progress.v1",
        [typeof(CancelImport)] = "import.cancel.v1",
        [typeof(ImportCancelAnswer)] = "import.cancel.answer.v1",
        [typeof(ImportHistory)] = "import.history.v1",
        [typeof(ImportHistorySnapshot)] = "import.history.snapshot.v1",
        [typeof(ChangeResources)] = "resources.change.v1",
        [typeof(ResourcesChanged)] = "resources.changed.v1",
        [typeof(ImportReport)] = "import.report.v1",
        [typeof(ApplyBatch)] = "partition.apply.v2",
        [typeof(BatchApplied)] = "partition.applied.v2",
        [typeof(GetPartitionContents)] = "partition.contents.get.v1",
        [typeof(GetPartitionPosition)] = "partition.position.get.v1",
        [typeof(PartitionPosition)] = "partition.position.v1",
        [typeof(PartitionContents)] = "partition.contents.v1",
        [typeof(StopPartition)] = "partition.stop.v1",
        [typeof(Kuiper.Messages.Artefacts.ArtefactsChanged)] = "artefacts.changed.v1",
        [typeof(BatchStored)] = "partition.batch-stored.v1",
        [typeof(PartitionSnapshot)] = "partition.snapshot.v1",
        [typeof(RegisterImportTask)] = "import-task.register.v1",
        [typeof(ImportTaskRegistered)] = "import-task.registered.v1",
        [typeof(ImportTaskRefused)] = "import-task.refused.v1",
        [typeof(GetImportTask)] = "import-task.get.v1",
        [typeof(ImportTaskAnswer)] = "import-task.answer.v1",
        [typeof(CancelImportTask)] = "import-task.cancel.v1",
        [typeof(ImportTaskCancelAnswer)] = "import-task.cancel.answer.v1",
        [typeof(ImportTaskState)] = "import-task.state.v1",
        [typeof(ImportTaskAccepted)] = "import-task.accepted.v1",
        [typeof(ImportTaskStarted)] = "import-task.started.v1",
        [typeof(ImportTaskEnded)] = "import-task.ended.v1",
        [typeof(ImportTasksSnapshot)] = "import-task.snapshot.v1",
        [typeof(Transfers.ChunkedMessage)] = "transfer.chunked.v1",
        [typeof(Transfers.TransferRefused)] = "transfer.refused.v1",
        [typeof(Transfers.LocateActor)] = "transfer.locate.v1",
        [typeof(Transfers.ActorLocated)] = "transfer.located.v1",
    };

    /// <summary>The JSON forms of the messages now sent in <see cref="CompactFormat"/>: still read, from nodes of the previous release.</summary>
    private static readonly IReadOnlyDictionary<string, Type> JsonBefore = new Dictionary<string, Type>
    {
        ["import.start.v1"] = typeof(StartImport),
        ["partition.apply.v1"] = typeof(ApplyBatch),
        ["partition.applied.v1"] = typeof(BatchApplied),
    };

    private static readonly IReadOnlyDictionary<string, Type> Types = Manifests.ToDictionary(m => m.Value, m => m.Key)
        .Concat(JsonBefore).ToDictionary(m => m.Key, m => m.Value);

    /// <summary>
    /// Relaxed escaping: rule and config texts are full of quotes, which the default encoder writes as
    /// <c>\u0022</c>. Any escaping reads back the same; this one is faster and a quarter smaller on disk.
    /// </summary>
    private static readonly JsonSerializerOptions Relaxed = new(JsonSerializerDefaults.General)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The relaxed options, plus actor and stream references, which only this actor system can write and resolve.</summary>
    private readonly JsonSerializerOptions _options = new(Relaxed)
    {
        Converters = { new ActorRefConverter(system), new SourceRefConverter(system) },
    };

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType().FullName} has no Kuiper manifest");

    public override byte[] ToBinary(object obj)
    {
        var manifest = Manifest(obj);
        // A format newer than a member's release would reach it as "Unknown Kuiper manifest": refuse it here instead.
        if (introductions.TryGetValue(manifest, out var since) && MemberReleases.OlderThan(system, since) is { } older)
            throw new SerializationException(
                $"{manifest} is a format of release {since} and {older.Address} runs {older.AppVersion}: send the earlier form until every member is upgraded");
        // Sealed only once every member reads sealed secrets: a member of an earlier release would take them for passwords.
        return WithoutSealing(secrets.Sealing && SecretsAtRest.MayHoldSecrets(obj)
                              && MemberReleases.EveryMemberRuns(system, FormatIntroductions.SealedSecrets)
            ? secrets.Seal(obj)
            : obj);
    }

    /// <summary>The stored form of a message whose secrets are already as they should be stored (a rotation's rewrite).</summary>
    public byte[] WithoutSealing(object obj) => obj is ApplyBatch or BatchApplied or StartImport
        ? CompactFormat.Write(obj)
        : JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        // Messages from other nodes and events read back in a recovery: large ones leave garbage worth returning.
        Memory.HeapTrimming.Shared.After(bytes.Length);
        return secrets.Open(Read(bytes, manifest));
    }

    /// <summary>A stored message as stored, its sealed secrets left sealed (a rotation's read).</summary>
    public object ReadSealed(byte[] bytes, string manifest) => Read(bytes, manifest);

    private object Read(byte[] bytes, string manifest) => manifest switch
    {
        "import.start.v2" => CompactFormat.Read<StartImport>(bytes),
        "partition.apply.v2" => CompactFormat.Read<ApplyBatch>(bytes),
        "partition.applied.v2" => CompactFormat.Read<BatchApplied>(bytes),
        _ => Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, _options)
              ?? throw new SerializationException($"{manifest}: empty payload")
            : throw new SerializationException($"Unknown Kuiper manifest '{manifest}'"),
    };

    /// <summary>The JSON form, whatever the message's usual form (tests of the forms read from older nodes).</summary>
    public byte[] ToJson(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);

    /// <summary>The marker the serializer is bound to.</summary>
    public static readonly Type BoundTo = typeof(IKuiperMessage);

    /// <summary>The binding every actor system of ours uses, the node's and the tests' alike.</summary>
    /// <param name="secrets">how secrets reach the journal and snapshots; null: as given</param>
    public static SerializationSetup Setup(SecretsAtRest? secrets = null) => SerializationSetup.Create(system =>
        [SerializerDetails.Create("kuiper", new KuiperSerializer(system, FormatIntroductions.Since, secrets ?? new SecretsAtRest(null, seal: false)), [BoundTo])]);
}
