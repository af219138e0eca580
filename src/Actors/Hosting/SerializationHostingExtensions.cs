using Akka.Hosting;
using Kuiper.Actors.Serialization;

namespace Kuiper.Actors.Hosting;

public static class SerializationHostingExtensions
{
    /// <summary>Binds every Kuiper message and event to the explicit, manifest-based serializer.</summary>
    public static AkkaConfigurationBuilder WithKuiperSerialization(this AkkaConfigurationBuilder builder) =>
        builder.AddSetup(KuiperSerializer.Setup());
}
