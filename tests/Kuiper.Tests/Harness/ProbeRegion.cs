using Akka.Actor;
using Akka.TestKit;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Messages.Partitions;

namespace Kuiper.Tests.Harness;

/// <summary>A region that answers position reads itself (the coordinator records them) and shows the test everything else.</summary>
public sealed class ProbeRegion : ReceiveActor
{
    public ProbeRegion(IActorRef probe)
    {
        Receive<GetPartitionPosition>(get => Sender.Tell(new PartitionPosition(get.Kind, get.Partition, 0)));
        ReceiveAny(message => probe.Forward(message));
    }
}

public static class ProbeRegions
{
    /// <summary>A <see cref="ProbeRegion"/> per kind, in front of that kind's probe.</summary>
    public static PartitionRegions Of(ActorSystem system, IReadOnlyDictionary<ResourceKind, TestProbe> probes) =>
        new(probes.ToDictionary(p => p.Key, p => system.ActorOf(Props.Create(() => new ProbeRegion(p.Value.Ref)))));
}
