using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Util;
using Kuiper.Actors.Releases;
using Kuiper.Actors.Serialization;
using Kuiper.Messages.Imports;

namespace Kuiper.Tests.Releases;

/// <summary>
/// Two releases in one cluster, in process: a member of an older release holds a newer format back until it is
/// removed, and new partitions go to the member of the newest release (Akka's shard allocation by app version).
/// </summary>
public sealed class MixedReleaseClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Kuiper.Domain.Secrets.SecretKeyRing Ring =
        new([Kuiper.Domain.Secrets.SecretKey.FromBytes(new byte[Kuiper.Domain.Secrets.SecretKey.Length])]);

    private static readonly Kuiper.Messages.Partitions.BatchStored WithSecret = new("b1", false,
        new Dictionary<string, string> { ["mqtt"] = """{"a":{"password":"pw-in-the-clear"}}""" }, new Dictionary<string, string>());
    private ActorSystem _older = null!, _newer = null!;

    private static ActorSystem Member(string release) => ActorSystem.Create("kuiper", ActorSystemSetup.Create(
        BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.cluster.roles = ["{{Kuiper.Actors.Hosting.ClusterSettings.Role}}"]
            akka.cluster.app-version = "{{release}}"
            akka.cluster.sharding.state-store-mode = ddata
            akka.cluster.sharding.distributed-data.durable.keys = []
            """).WithFallback(Akka.Streams.ActorMaterializer.DefaultConfig())), KuiperSerializer.Setup()));

    public async Task InitializeAsync()
    {
        _older = Member("0.2.0");
        _newer = Member("0.3.0");
        var older = AkkaCluster.Get(_older);
        older.Join(older.SelfAddress);
        AkkaCluster.Get(_newer).Join(older.SelfAddress);
        await Task.WhenAll(UpAsync(_older, 2), UpAsync(_newer, 2));
    }

    private static async Task UpAsync(ActorSystem system, int members)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (AkkaCluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up) < members)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{members} members never came up");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_format_of_the_newer_release_is_refused_while_a_member_of_the_older_one_remains_and_written_once_it_left()
    {
        // As if import.status.get.v1 had been added by 0.3.0.
        var serializer = new KuiperSerializer((ExtendedActorSystem)_newer,
            new Dictionary<string, AppVersion> { ["import.status.get.v1"] = AppVersion.Create("0.3.0") });

        var refused = Assert.Throws<SerializationException>(() => serializer.ToBinary(GetImportStatus.Instance));
        Assert.Equal($"import.status.get.v1 is a format of release 0.3.0 and {AkkaCluster.Get(_older).SelfAddress} runs 0.2.0: send the earlier form until every member is upgraded",
            refused.Message);
        Assert.False(MemberReleases.EveryMemberRuns(_newer, AppVersion.Create("0.3.0")));
        Assert.True(MemberReleases.EveryMemberRuns(_newer, AppVersion.Create("0.2.0")));
        // Secrets are stored as given while a member would take a sealed one for the password itself.
        var sealing = new KuiperSerializer((ExtendedActorSystem)_newer, Ring);
        Assert.Contains("pw-in-the-clear", System.Text.Encoding.UTF8.GetString(sealing.ToBinary(WithSecret)));
        // A format every member reads is written as ever.
        Assert.NotEmpty(serializer.ToBinary(new GetImportHistory(1)));

        var removed = new TaskCompletionSource();
        AkkaCluster.Get(_older).RegisterOnMemberRemoved(() => removed.TrySetResult());
        AkkaCluster.Get(_older).Leave(AkkaCluster.Get(_older).SelfAddress);
        await removed.Task.WaitAsync(Patience);
        var deadline = DateTime.UtcNow + Patience;
        while (AkkaCluster.Get(_newer).State.Members.Count > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the older member was never removed");
            await Task.Delay(100);
        }

        Assert.True(MemberReleases.EveryMemberRuns(_newer, AppVersion.Create("0.3.0")));
        Assert.DoesNotContain("pw-in-the-clear", System.Text.Encoding.UTF8.GetString(sealing.ToBinary(WithSecret)));
        Assert.Equal(GetImportStatus.Instance, serializer.FromBinary(serializer.ToBinary(GetImportStatus.Instance), "import.status.get.v1"));
    }

    /// <summary>Answers with the address of the node it runs on.</summary>
    private sealed class WhereAmI : ReceiveActor
    {
        public WhereAmI() => ReceiveAny(_ => Sender.Tell(AkkaCluster.Get(Context.System).SelfAddress));
    }

    private sealed class ById : HashCodeMessageExtractor
    {
        public ById() : base(16)
        {
        }

        public override string EntityId(object message) => (string)message;
    }

    [Fact]
    public async Task New_partitions_go_to_the_member_of_the_newest_release_even_when_it_is_the_younger()
    {
        IActorRef Region(ActorSystem system)
        {
            var sharding = ClusterSharding.Get(system);
            var settings = ClusterShardingSettings.Create(system).WithRememberEntities(false);
            // The allocation strategy the partitions use (PartitionHostingExtensions).
            return sharding.Start("where", Props.Create<WhereAmI>(), settings, new ById(), sharding.DefaultShardAllocationStrategy(settings),
                PoisonPill.Instance);
        }

        var fromOlder = Region(_older);
        Region(_newer);

        var homes = new List<Address>();
        foreach (var id in Enumerable.Range(0, 12).Select(i => $"entity-{i}"))
            homes.Add(await fromOlder.Ask<Address>(id, Patience));

        // The older member is the oldest: it runs the shard coordinator, and would get half the shards by count alone.
        Assert.Equal(AkkaCluster.Get(_older).SelfAddress, AkkaCluster.Get(_older).State.Members.MinBy(m => m, Akka.Cluster.Member.AgeOrdering)!.Address);
        Assert.All(homes, home => Assert.Equal(AkkaCluster.Get(_newer).SelfAddress, home));
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_newer.Terminate(), _older.Terminate());
    }
}
