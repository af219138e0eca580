using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Releases;
using Kuiper.Actors.Serialization;
using Kuiper.Actors.Transfers;
using Kuiper.Messages;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Serialization;

namespace Kuiper.Tests.Releases;

/// <summary>
/// The compatibility rule, for formats: this release reads every message and every persisted event and snapshot that
/// an earlier release wrote (the samples in <c>compat/formats/</c>), every format it writes has a sample from the
/// release that added it, and a format added since the previous release is written only once every member runs it.
/// </summary>
public sealed class FormatSampleTests() : TestKit(ActorTestConfig.Setup)
{
    private KuiperSerializer Serializer => (KuiperSerializer)Sys.Serialization.FindSerializerForType(KuiperSerializer.BoundTo);

    /// <summary>One or more values of every type the serializer writes, references included.</summary>
    private async Task<IReadOnlyList<IKuiperMessage>> ValuesOfEveryFormatAsync()
    {
        var values = ((IEnumerable<object[]>)KuiperSerializerTests.Samples()).Select(row => (IKuiperMessage)row[0]).ToList();
        var chunks = await Source.Single(new byte[] { 1, 2, 3 }).RunWith(StreamRefs.SourceRef<byte[]>(), Sys.Materializer());
        values.Add(new ChunkedMessage("export.snapshot.v1", 3, chunks, 5));
        values.Add(new ActorLocated(TestActor));
        return values;
    }

    [Fact]
    public void Every_sample_an_earlier_release_wrote_is_read_as_the_type_its_manifest_names()
    {
        var samples = FormatSamples.All();
        Assert.NotEmpty(samples);

        Assert.All(samples, sample =>
        {
            var read = Serializer.FromBinary(sample.Bytes, sample.Manifest);
            Assert.Equal(KuiperSerializer.Manifests.Single(m => m.Value == sample.Manifest || Reads(m.Key, sample.Manifest)).Key, read.GetType());
            // What was read is whole enough to be written again in today's form, and read back.
            var again = Serializer.ToBinary(read);
            Assert.Equal(read.GetType(), Serializer.FromBinary(again, Serializer.Manifest(read)).GetType());
        });
    }

    /// <summary>Formats replaced by a newer one for the same type, still read (see KuiperSerializer's JsonBefore).</summary>
    private static bool Reads(Type type, string olderManifest) =>
        (olderManifest, type.Name) is ("import.start.v1", "StartImport") or ("partition.apply.v1", "ApplyBatch") or ("partition.applied.v1", "BatchApplied");

    [Fact]
    public async Task Every_format_this_release_writes_has_a_sample_from_the_release_that_added_it()
    {
        var values = await ValuesOfEveryFormatAsync();
        Assert.Equal(KuiperSerializer.Manifests.Values.Order(), values.Select(Serializer.Manifest).Distinct().Order());

        var sampled = FormatSamples.All().Select(s => s.Manifest).ToHashSet();
        var missing = values.Where(v => !sampled.Contains(Serializer.Manifest(v))).ToList();
        if (missing.Count > 0 && Environment.GetEnvironmentVariable(FormatSamples.WriteVariable) is { Length: > 0 } release)
        {
            FormatSamples.Append(release, missing.Select(v => (Serializer.Manifest(v), Serializer.ToBinary(v))));
            missing.Clear();
        }

        Assert.True(missing.Count == 0,
            $"formats without a sample: {string.Join(", ", missing.Select(Serializer.Manifest).Distinct())}. A new format is " +
            $"sampled by the release that adds it: {FormatSamples.WriteVariable}={RepositoryRelease.Version} dotnet test --filter " +
            $"{nameof(Every_format_this_release_writes_has_a_sample_from_the_release_that_added_it)}, then list it in FormatIntroductions (docs/releases.md)");
    }

    [Fact]
    public void A_format_added_after_the_previous_release_waits_for_every_member_to_run_the_release_that_added_it()
    {
        var previous = Akka.Util.AppVersion.Create(RepositoryRelease.PreviousVersion);
        var firstSampled = FormatSamples.All().GroupBy(s => s.Manifest).ToDictionary(g => g.Key, g => g.First().Release);

        // Added after the previous release: gated on the release that added it.
        var added = firstSampled.Where(f => Akka.Util.AppVersion.Create(f.Value).CompareTo(previous) > 0)
            .ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(added.OrderBy(a => a.Key), FormatIntroductions.Since.ToDictionary(s => s.Key, s => s.Value.Version).OrderBy(a => a.Key));
    }
}
