using System.Runtime.Serialization;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Serialization;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Serialization;

public sealed class CompactFormatTests() : TestKit(ActorTestConfig.Setup)
{
    private static readonly Dictionary<string, string> Errors = new() { ["r1"] = "bad <rule> \"x\"\n", ["é中"] = "", [""] = "\u0000" };

    private static readonly string LongRule = "{\"id\":\"r\",\"sql\":\"SELECT * FROM s WHERE a = \\\"" + new string('x', 5000) + "\\\"\"}";

    private KuiperSerializer Serializer => (KuiperSerializer)Sys.Serialization.FindSerializerFor(new StopPartition());

    private T RoundTrip<T>(T message) where T : class
    {
        var manifest = Serializer.Manifest(message);
        return (T)Sys.Serialization.Deserialize(Serializer.ToBinary(message), Serializer.Identifier, manifest);
    }

    [Fact]
    public void A_batch_keeps_every_field_and_item_in_order()
    {
        var batch = new ApplyBatch(ResourceKind.Rules, 15, "imp/rules/15/check", true,
            [new ResourceItem("r2", LongRule), new ResourceItem("r1", "é \"quoted\" \\ back"), new ResourceItem("", "")],
            new ValidationContext(["s1", "t1"], Upsert: true), BatchOperation.Set, CheckOnly: true);

        var back = RoundTrip(batch);

        Assert.Equal("partition.apply.v2", Serializer.Manifest(batch));
        Assert.Equal(batch.Items, back.Items);
        Assert.Equal(batch.Context!.KnownSources, back.Context!.KnownSources);
        Assert.IsType<HashSet<string>>(back.Context.KnownSources);
        Assert.Equal(batch with { Items = back.Items, Context = back.Context }, back);
        Assert.True(back.Context.Upsert);
    }

    [Fact]
    public void A_batch_without_context_and_one_with_no_known_sources_stay_so()
    {
        var none = RoundTrip(new ApplyBatch(ResourceKind.Streams, 0, "b", false, []));
        var unknown = RoundTrip(new ApplyBatch(ResourceKind.Rules, 1, "b", false, [], ValidationContext.None));

        Assert.Null(none.Context);
        Assert.Empty(none.Items);
        Assert.NotNull(unknown.Context);
        Assert.Null(unknown.Context!.KnownSources);
        Assert.False(unknown.Context.Upsert);
    }

    [Fact]
    public void An_answer_keeps_its_errors_changes_failure_and_position()
    {
        var applied = new BatchApplied(ResourceKind.SinkConfig, 7, "b", Errors, "not stored: x",
            new BatchChanges(["a"], ["b", "c"], [], ["d"]), long.MaxValue);

        var back = RoundTrip(applied);

        Assert.Equal(Errors, back.Errors);
        Assert.Equal(["a"], back.Changes!.Added);
        Assert.Equal(["b", "c"], back.Changes.Changed);
        Assert.Empty(back.Changes.Removed);
        Assert.Equal(["d"], back.Changes.Unchanged);
        Assert.Equal(applied with { Errors = back.Errors, Changes = back.Changes }, back);
        Assert.Null(RoundTrip(applied with { Changes = null, JournalFailure = null }).Changes);
    }

    [Fact]
    public void An_import_keeps_its_bundle_in_order_and_its_origin_to_the_tick()
    {
        var origin = new ImportOrigin("akka.tcp://kuiper@10.0.0.1:4053", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5.5)).AddTicks(7),
            "issuer", "import-9");
        var bundle = new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Rules] = new Dictionary<string, string> { ["z"] = LongRule, ["a"] = "{}" },
            [ResourceKind.Streams] = new Dictionary<string, string>(),
            [ResourceKind.Uploads] = Errors,
        });
        var start = new StartImport("imp-1", bundle, ImportMode.Partial, ImportApply.Never, origin);

        var back = RoundTrip(start);

        Assert.Equal([ResourceKind.Rules, ResourceKind.Streams, ResourceKind.Uploads], back.Bundle.Sections.Keys);
        Assert.Equal(["z", "a"], back.Bundle[ResourceKind.Rules].Keys);
        Assert.Equal(bundle[ResourceKind.Rules], back.Bundle[ResourceKind.Rules]);
        Assert.Equal(Errors, back.Bundle[ResourceKind.Uploads]);
        Assert.Equal(origin, back.Origin);
        Assert.Equal(origin.RequestedAt.Offset, back.Origin!.RequestedAt.Offset);
        Assert.Equal(start with { Bundle = back.Bundle }, back);
        Assert.Null(RoundTrip(start with { Origin = null }).Origin);
    }

    [Fact]
    public void The_json_forms_of_the_previous_release_are_still_read()
    {
        var batch = new ApplyBatch(ResourceKind.Rules, 3, "c/rules/3", false, [new ResourceItem("r", LongRule)], new ValidationContext(["demo"]));
        var applied = new BatchApplied(ResourceKind.Rules, 3, "c/rules/3", Errors, SequenceNr: 9);
        var start = new StartImport("imp", new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
            { [ResourceKind.Rules] = new Dictionary<string, string> { ["r"] = LongRule } }), ImportMode.Full);

        var batchBack = (ApplyBatch)Serializer.FromBinary(Serializer.ToJson(batch), "partition.apply.v1");
        var appliedBack = (BatchApplied)Serializer.FromBinary(Serializer.ToJson(applied), "partition.applied.v1");
        var startBack = (StartImport)Serializer.FromBinary(Serializer.ToJson(start), "import.start.v1");

        Assert.Equal(batch.Items, batchBack.Items);
        Assert.Equal(Errors, appliedBack.Errors);
        Assert.Equal(9, appliedBack.SequenceNr);
        Assert.Equal(LongRule, startBack.Bundle[ResourceKind.Rules]["r"]);
    }

    [Fact]
    public void A_truncated_padded_or_corrupt_message_fails_loudly_and_allocates_nothing_large()
    {
        var bytes = Serializer.ToBinary(new ApplyBatch(ResourceKind.Rules, 3, "b", false, [new ResourceItem("r", LongRule)]));

        foreach (var cut in new[] { 0, 1, 5, bytes.Length / 2, bytes.Length - 1 })
            Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..cut], "partition.apply.v2"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], "partition.apply.v2"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([2, .. bytes[1..]], "partition.apply.v2"));
        // A count of two billion items in a 30-byte message.
        byte[] hugeCount = [1, 2, 0, 0, 0, 3, 0, 0, 0, 1, (byte)'b', 0, 0xFF, 0xFF, 0xFF, 0x7F];
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(hugeCount, "partition.apply.v2"));
        // An unknown resource kind.
        byte[] badKind = [1, 99, 0, 0, 0, 3, 0, 0, 0, 1, (byte)'b', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(badKind, "partition.apply.v2"));
        // Invalid UTF-8 in a name.
        byte[] badText = [1, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0xC3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(badText, "partition.apply.v2"));
    }
}
