namespace Kuiper.Tests.Harness;

/// <summary>
/// Actor tests run with the Kuiper serializer bound as in production, every message serialized on send
/// (so a message that cannot cross nodes fails here), in-memory persistence, and timeouts scaled for 2 cores.
/// </summary>
public static class ActorTestConfig
{
    public const string Hocon = """
        akka.loglevel = WARNING
        akka.test.timefactor = 3
        akka.actor.serialize-messages = on
        akka.actor.serializers.kuiper = "Kuiper.Actors.Serialization.KuiperSerializer, Kuiper.Actors"
        akka.actor.serialization-bindings { "Kuiper.Messages.IKuiperMessage, Kuiper.Messages" = kuiper }
        akka.actor.serialization-identifiers { "Kuiper.Actors.Serialization.KuiperSerializer, Kuiper.Actors" = 7081 }
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;
}
