using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Serialization;
using Kuiper.Actors.Transfers;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Transfers;

public sealed class SingletonLocationTests() : TestKit(ActorTestConfig.Setup)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A stand-in for a singleton's proxy: answers where "the singleton" runs and counts the questions.</summary>
    private sealed class CountingProxy : ReceiveActor
    {
        public CountingProxy(IActorRef singleton, IActorRef counter) =>
            Receive<LocateActor>(_ =>
            {
                counter.Tell("asked");
                Sender.Tell(new ActorLocated(singleton));
            });
    }

    [Fact]
    public async Task In_a_cluster_the_singleton_is_located_once_while_the_oldest_member_stays_and_again_once_forgotten()
    {
        using var node = ActorSystem.Create("kuiper", ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.cluster.roles = ["{{ClusterSettings.Role}}"]
            """).WithFallback(Akka.Streams.ActorMaterializer.DefaultConfig())), KuiperSerializer.Setup()));
        var cluster = Akka.Cluster.Cluster.Get(node);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(Patience);

        var counter = CreateTestProbe(node);
        var singleton = CreateTestProbe(node).Ref;
        var proxy = node.ActorOf(Props.Create(() => new CountingProxy(singleton, counter.Ref)));
        var transfer = MessageTransfer.Get(node);

        Assert.Equal(singleton, await transfer.LocateSingletonAsync(proxy, ClusterSettings.Role, Patience, CancellationToken.None));
        Assert.Equal(singleton, await transfer.LocateSingletonAsync(proxy, ClusterSettings.Role, Patience, CancellationToken.None));
        counter.ExpectMsg("asked");
        counter.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        transfer.Forget(proxy);
        Assert.Equal(singleton, await transfer.LocateSingletonAsync(proxy, ClusterSettings.Role, Patience, CancellationToken.None));
        counter.ExpectMsg("asked");

        // A role no member has: nothing tells where such a singleton would run, so it is asked every time.
        await transfer.LocateSingletonAsync(proxy, "no-such-role", Patience, CancellationToken.None);
        await transfer.LocateSingletonAsync(proxy, "no-such-role", Patience, CancellationToken.None);
        counter.ExpectMsg("asked");
        counter.ExpectMsg("asked");
    }

    [Fact]
    public async Task Outside_a_cluster_the_proxy_is_asked_every_time()
    {
        var counter = CreateTestProbe();
        var proxy = Sys.ActorOf(Props.Create(() => new CountingProxy(TestActor, counter.Ref)));
        var transfer = MessageTransfer.Get(Sys);

        Assert.Equal(TestActor, await transfer.LocateSingletonAsync(proxy, ClusterSettings.Role, Patience, CancellationToken.None));
        Assert.Equal(TestActor, await transfer.LocateSingletonAsync(proxy, ClusterSettings.Role, Patience, CancellationToken.None));
        counter.ExpectMsg("asked");
        counter.ExpectMsg("asked");
    }
}
