using Akka.Hosting;
using Kuiper.Actors.Serialization;

namespace Kuiper.Actors.Hosting;

public static class SerializationHostingExtensions
{
    /// <summary>
    /// Binds every Kuiper message and event to the explicit, manifest-based serializer, which seals secrets with the
    /// key ring of <c>Kuiper:Security:SecretsKeyFile</c> on their way to storage.
    /// </summary>
    public static AkkaConfigurationBuilder WithKuiperSerialization(this AkkaConfigurationBuilder builder, KuiperSettings settings) =>
        builder.AddSetup(KuiperSerializer.Setup(settings.SecretsAtRest()));
}
