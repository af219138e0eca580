using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Serialization;
using Kuiper.Domain.Secrets;
using Kuiper.Messages.Partitions;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Secrets;

/// <summary>
/// Secrets on their way to storage (docs/decisions.md#secrets): the events and snapshots that carry definitions are
/// written sealed and read back exactly, a value under a missing key fails the read naming the key, and a rotation's
/// reseal touches only what is not under the newest key.
/// </summary>
public sealed class SecretsAtRestTests() : TestKit(ActorTestConfig.Setup)
{
    private static readonly SecretKey A = SecretKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly SecretKey B = SecretKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    private const string Config = """{"td":{"password":"pa\u0073s-1","server":"tcp://admin:url-pw-2@h:1883","qos":1},"x":{"token":12345}}""";
    private const string Stream = "CREATE STREAM s () WITH (DATASOURCE=\"postgres://u:ddl-pw-3@db/x\", TYPE=\"sql\")";
    private const string Plain = """{"server":"tcp://h:1883","qos":1}""";

    private static readonly string[] SecretsInThem = ["pa\\u0073s-1", "pass-1", "url-pw-2", "12345", "ddl-pw-3"];

    private KuiperSerializer Serializer(params SecretKey[] ring) =>
        new((ExtendedActorSystem)Sys, ring.Length == 0 ? null : new SecretKeyRing(ring));

    private static BatchStored Batch() => new("b1", false,
        new Dictionary<string, string> { ["mqtt"] = Config, ["s"] = Stream, ["plain"] = Plain },
        new Dictionary<string, string> { ["bad"] = "an error" });

    [Fact]
    public void A_batch_is_stored_sealed_and_read_back_byte_for_byte()
    {
        var serializer = Serializer(A);
        var bytes = serializer.ToBinary(Batch());
        var text = Encoding.UTF8.GetString(bytes);
        foreach (var secret in SecretsInThem) Assert.DoesNotContain(secret, text);
        Assert.Contains($"enc:v1:{A.Id}:", text);
        // What carries no secret is stored as it is.
        Assert.Contains("tcp://h:1883", text);

        var back = (BatchStored)serializer.FromBinary(bytes, serializer.Manifest(Batch()));
        Assert.Equal(Batch().Stored, back.Stored);
        Assert.Equal(Batch().Errors, back.Errors);
    }

    [Fact]
    public void A_snapshot_is_stored_sealed_and_read_back_byte_for_byte()
    {
        var serializer = Serializer(A);
        var snapshot = new PartitionSnapshot(Batch().Stored, [new BatchOutcome("b1", new Dictionary<string, string>())]);
        var bytes = serializer.ToBinary(snapshot);
        foreach (var secret in SecretsInThem) Assert.DoesNotContain(secret, Encoding.UTF8.GetString(bytes));
        Assert.Equal(snapshot.Resources, ((PartitionSnapshot)serializer.FromBinary(bytes, "partition.snapshot.v1")).Resources);
    }

    [Fact]
    public void Without_a_key_everything_is_stored_as_given()
    {
        var serializer = Serializer();
        var bytes = serializer.ToBinary(Batch());
        Assert.Contains("url-pw-2", Encoding.UTF8.GetString(bytes));
        Assert.Equal(Batch().Stored, ((BatchStored)serializer.FromBinary(bytes, "partition.batch-stored.v1")).Stored);
    }

    [Fact]
    public void A_value_under_a_key_the_node_lacks_fails_the_read_naming_the_key()
    {
        var bytes = Serializer(A).ToBinary(Batch());

        var otherKey = Assert.Throws<SerializationException>(() => Serializer(B).FromBinary(bytes, "partition.batch-stored.v1"));
        Assert.Contains($"sealed with key {A.Id}, which this node does not have", otherKey.Message);
        var noKey = Assert.Throws<SerializationException>(() => Serializer().FromBinary(bytes, "partition.batch-stored.v1"));
        Assert.Contains($"sealed with key {A.Id}, and this node has no Kuiper:Security:SecretsKeyFile", noKey.Message);
    }

    [Fact]
    public void A_reseal_moves_every_value_to_the_newest_key_and_leaves_the_rest_alone()
    {
        var underA = Serializer(A);
        var stored = underA.ReadSealed(underA.ToBinary(Batch()), "partition.batch-stored.v1");
        var ringBA = Serializer(B, A);

        var resealed = Assert.IsType<BatchStored>(ringBA.Secrets.Reseal(stored));
        var text = Encoding.UTF8.GetString(ringBA.WithoutSealing(resealed));
        Assert.DoesNotContain($"enc:v1:{A.Id}:", text);
        Assert.Contains($"enc:v1:{B.Id}:", text);
        Assert.Equal(Plain, resealed.Stored["plain"]);
        Assert.Equal(Batch().Stored, ((BatchStored)Serializer(B).FromBinary(ringBA.WithoutSealing(resealed), "partition.batch-stored.v1")).Stored);

        // Already under the newest key: nothing to rewrite.
        Assert.Null(ringBA.Secrets.Reseal(resealed));
    }

    [Fact]
    public void A_reseal_seals_what_was_stored_before_there_was_a_key()
    {
        var stored = Serializer().ReadSealed(Serializer().ToBinary(Batch()), "partition.batch-stored.v1");
        var resealed = Assert.IsType<BatchStored>(Serializer(A).Secrets.Reseal(stored));
        var text = Encoding.UTF8.GetString(Serializer(A).WithoutSealing(resealed));
        foreach (var secret in SecretsInThem) Assert.DoesNotContain(secret, text);
    }

    [Fact]
    public void A_reseal_of_a_value_under_a_key_the_ring_lacks_fails_naming_it()
    {
        var stored = Serializer(A).ReadSealed(Serializer(A).ToBinary(Batch()), "partition.batch-stored.v1");
        var error = Assert.Throws<SerializationException>(() => Serializer(B).Secrets.Reseal(stored));
        Assert.Contains($"sealed with key {A.Id}, which this node does not have", error.Message);
    }

    [Theory]
    [InlineData("""{"a":{"password":"x"}}""")]
    [InlineData("""[{"token":1e400},{"url":"mqtt://u:p@h"}]""")]
    [InlineData("CREATE STREAM s () WITH (DATASOURCE=\"tcp://u:p@h\")")]
    public void Text_resealed_under_another_key_opens_to_the_same_bytes(string text)
    {
        var ringA = new SecretKeyRing([A]);
        var ringBA = new SecretKeyRing([B, A]);
        var underA = SecretText.Seal(text, ringA);
        var (underB, error) = SecretText.Reseal(underA, ringBA);
        Assert.Null(error);
        Assert.DoesNotContain(A.Id, underB);
        Assert.Equal(text, SecretText.Open(underB!, new SecretKeyRing([B])).Text);
        Assert.Same(underB, SecretText.Reseal(underB!, ringBA).Text);
    }

    /// <summary>The quick check that skips the JSON scan must never skip a secret: every key, in any case, any URL password.</summary>
    [Fact]
    public void The_quick_check_lets_every_secret_through()
    {
        foreach (var name in SecretKeys.Names)
        {
            Assert.True(SecretText.MayHoldSecret($$"""{"{{name}}":"x"}"""), name);
            Assert.True(SecretText.MayHoldSecret($$"""{"{{name.ToUpperInvariant()}}":"x"}"""), name);
        }
        Assert.True(SecretText.MayHoldSecret("CREATE STREAM s () WITH (DATASOURCE=\"tcp://u:p@h\")"));
        Assert.True(SecretText.MayHoldSecret("""{"p\u0061ssword":"x"}"""));
        Assert.True(SecretText.MayHoldSecret("""{"paſsword":"x"}"""));
        Assert.False(SecretText.MayHoldSecret("""{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}"""));
        Assert.Equal("""{"PASSWORD":"******"}""", SecretText.Mask("""{"PASSWORD":"x"}"""));
    }

    /// <summary>A string that merely starts like a sealed value is a plain string: stored (sealed where it is a secret) and read back as written.</summary>
    [Fact]
    public void Text_that_only_looks_sealed_is_stored_and_read_back_as_written()
    {
        var batch = new BatchStored("b1", false, new Dictionary<string, string>
        {
            ["r1"] = """{"id":"r1","description":"enc:v1:hello","actions":[{"mqtt":{"password":"enc:v1:","token":"enc:v1::x"}}]}""",
            ["s1"] = "CREATE STREAM s1 () WITH (DATASOURCE=\"enc:v1:abc\")",
        }, new Dictionary<string, string>());
        foreach (var serializer in new[] { Serializer(A), Serializer() })
        {
            var bytes = serializer.ToBinary(batch);
            Assert.Equal(batch.Stored, ((BatchStored)serializer.FromBinary(bytes, "partition.batch-stored.v1")).Stored);
        }
        var stored = Serializer(A).ReadSealed(Serializer(A).ToBinary(batch), "partition.batch-stored.v1");
        Assert.Null(Serializer(A).Secrets.Reseal(stored));
        Assert.Equal(batch.Stored, ((BatchStored)Serializer(B, A).FromBinary(Serializer(B, A).WithoutSealing(Serializer(B, A).Secrets.Reseal(stored)!), "partition.batch-stored.v1")).Stored);
    }
}
