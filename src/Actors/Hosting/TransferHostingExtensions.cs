using Akka.Hosting;
using Akka.Streams;
using Kuiper.Actors.Transfers;

namespace Kuiper.Actors.Hosting;

public static class TransferHostingExtensions
{
    /// <summary>
    /// Messages of any size between nodes (<see cref="MessageTransfer"/>): Akka.Streams' settings, whose stream-ref
    /// serializer must be bound when the system starts (a materializer created later adds them too late for
    /// serialization); the remoting frame limit; and the largest message a node takes in chunks (twice the largest request).
    /// </summary>
    public static AkkaConfigurationBuilder WithMessageTransfers(this AkkaConfigurationBuilder builder, KuiperSettings settings)
    {
        var frame = settings.Cluster.MaximumFrameBytes;
        if (frame < MessageTransfer.MinimumFrameBytes)
            throw new ArgumentException($"Kuiper:Cluster:MaximumFrameBytes must be at least {MessageTransfer.MinimumFrameBytes} (chunks are {MessageTransfer.ChunkBytes} bytes)");
        return builder
            .AddHocon($$"""
                akka.remote.dot-netty.tcp.maximum-frame-size = {{frame}}b
                {{MessageTransfer.MaxMessageBytesPath}} = {{2 * settings.Import.MaxRequestBytes}}
                """, HoconAddMode.Prepend)
            .AddHocon(ActorMaterializer.DefaultConfig(), HoconAddMode.Append);
    }
}
