using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Kuiper.Actors.Serialization;

namespace Kuiper.Tests.Harness;

/// <summary>
/// Actor tests run with the node's own serializer binding (<see cref="KuiperSerializer.Setup"/>), every message
/// serialized on send (so a message that cannot cross nodes fails here), in-memory persistence, and timeouts
/// scaled for 2 cores.
/// </summary>
public static class ActorTestConfig
{
    private const string Hocon = """
        akka.loglevel = WARNING
        akka.test.timefactor = 3
        akka.actor.serialize-messages = on
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    public static ActorSystemSetup Setup =>
        ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString(Hocon).WithFallback(Akka.Streams.ActorMaterializer.DefaultConfig())), KuiperSerializer.Setup());
}
