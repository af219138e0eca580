using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Serialization;
using Kuiper.Actors.Transfers;
using Kuiper.Messages;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Transfers;

public sealed class MessageTransferTests() : TestKit(ActorTestConfig.Setup)
{
    [Fact]
    public async Task A_chunked_message_round_trips_through_the_kuiper_serializer_with_its_stream_reference()
    {
        var materializer = Sys.Materializer();
        var chunks = new[] { "ab"u8.ToArray(), "cde"u8.ToArray() };
        var sourceRef = await Source.From(chunks).RunWith(StreamRefs.SourceRef<byte[]>(), materializer);
        Assert.IsType<Akka.Streams.Serialization.StreamRefSerializer>(Sys.Serialization.FindSerializerFor(sourceRef));
        var chunked = new ChunkedMessage("import.start.v1", 5, sourceRef);

        var serializer = Sys.Serialization.FindSerializerFor(chunked);
        Assert.IsType<KuiperSerializer>(serializer);
        var back = (ChunkedMessage)Sys.Serialization.Deserialize(serializer.ToBinary(chunked), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, chunked));

        Assert.Equal(("import.start.v1", 5L), (back.Manifest, back.Length));
        var pulled = await back.Chunks.Source.RunWith(Sink.Seq<byte[]>(), materializer);
        Assert.Equal("abcde"u8.ToArray(), pulled.SelectMany(c => c).ToArray());
    }

    private async Task<ChunkedMessage> Offer(byte[] bytes, long length, long deflatedLength)
    {
        var chunks = bytes.Chunk(MessageTransfer.ChunkBytes).ToArray();
        var sourceRef = await Source.From(chunks).RunWith(StreamRefs.SourceRef<byte[]>(), Sys.Materializer());
        return new ChunkedMessage("export.snapshot.v1", length, sourceRef, deflatedLength);
    }

    private static byte[] Deflate(byte[] bytes)
    {
        var deflated = new MemoryStream();
        using (var deflater = new System.IO.Compression.DeflateStream(deflated, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            deflater.Write(bytes);
        return deflated.ToArray();
    }

    [Fact]
    public async Task A_deflated_message_is_inflated_to_exactly_the_length_it_announced_or_refused()
    {
        var transfer = MessageTransfer.Get(Sys);
        var export = new ExportSnapshot(new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Streams] = Enumerable.Range(0, 2000).ToDictionary(i => $"s{i}", i => $"CREATE STREAM s{i} () WITH (TYPE=\"memory\")"),
        }));
        var message = Sys.Serialization.FindSerializerFor(export).ToBinary(export);
        var padded = message.Concat(new byte[200_000]).ToArray();

        var back = (ExportSnapshot)await transfer.ReceiveAsync(await Offer(Deflate(message), message.Length, Deflate(message).Length), TestActor);
        Assert.Equal(export.Bundle[ResourceKind.Streams], back.Bundle[ResourceKind.Streams]);

        // Inflates to more than announced (a bomb), to less, or is no Deflate data at all: refused, nothing larger is allocated.
        var bomb = Deflate(padded);
        var more = await Assert.ThrowsAsync<TransferFailedException>(async () => await transfer.ReceiveAsync(await Offer(bomb, message.Length, bomb.Length), TestActor));
        Assert.Contains($"inflated to more than the {message.Length} bytes it announced", more.Message);
        var less = await Assert.ThrowsAsync<TransferFailedException>(async () => await transfer.ReceiveAsync(await Offer(bomb, padded.Length + 1, bomb.Length), TestActor));
        Assert.Contains($"did not inflate to the {padded.Length + 1} bytes it announced", less.Message);
        var garbage = Enumerable.Repeat((byte)0xFF, 64).ToArray();
        await Assert.ThrowsAsync<TransferFailedException>(async () => await transfer.ReceiveAsync(await Offer(garbage, 1000, garbage.Length), TestActor));
        // A "deflated" form no smaller than the message is refused before a byte is pulled.
        var notSmaller = await Assert.ThrowsAsync<TransferFailedException>(async () => await transfer.ReceiveAsync(await Offer(message, message.Length, message.Length), TestActor));
        Assert.Contains($"announced {message.Length} deflated bytes for {message.Length}", notSmaller.Message);
    }

    [Fact]
    public void The_transfer_answers_round_trip_through_the_kuiper_serializer()
    {
        foreach (IKuiperMessage message in new IKuiperMessage[] { new TransferRefused("no", Answered: true), LocateActor.Instance, new ActorLocated(TestActor) })
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            Assert.IsType<KuiperSerializer>(serializer);
            var back = Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier,
                Akka.Serialization.Serialization.ManifestFor(serializer, message));
            Assert.Equal(message, back);
        }
    }

    /// <summary>Two actor systems with remoting on loopback: a large import crosses in chunks both ways; the unsendable is refused.</summary>
    [Fact]
    public async Task A_message_larger_than_a_frame_crosses_in_chunks_and_back_and_what_cannot_be_serialized_is_refused_at_once()
    {
        using var sender = Remote("sender");
        using var receiver = Remote("receiver");
        var echo = receiver.ActorOf(Props.Create(() => new Echo()), "echo");
        var remoteEcho = await sender.ActorSelection(new RootActorPath(((ExtendedActorSystem)receiver).Provider.DefaultAddress) / "user" / "echo")
            .ResolveOne(TimeSpan.FromSeconds(10));
        Assert.False(MessageTransfer.IsLocal(remoteEcho));
        Assert.True(MessageTransfer.IsLocal(echo));

        var streams = Enumerable.Range(0, 20_000).ToDictionary(i => $"s{i}", i => $"CREATE STREAM s{i} () WITH (TYPE=\"memory\", DATASOURCE=\"{new string('x', 100)}\")");
        var bundle = new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>> { [ResourceKind.Streams] = streams });
        var start = new StartImport("big", bundle, ImportMode.Full);

        var back = await MessageTransfer.Get(sender).AskAsync<StartImport>(remoteEcho, start, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(20_000, back.Bundle.Count);
        Assert.Equal(streams["s12345"], back.Bundle[ResourceKind.Streams]["s12345"]);
        Assert.True(await MessageTransfer.Get(receiver).ReceivedChunkedAsync(), "the question did not cross in chunks");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        var refused = await Assert.ThrowsAsync<TransferFailedException>(() =>
            MessageTransfer.Get(sender).AskAsync<object>(remoteEcho, new NoManifest(), TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(DateTime.UtcNow < deadline, "refused only after the deadline");
        Assert.Equal($"NoManifest could not be sent to {receiver.Provider().DefaultAddress}: {typeof(NoManifest).FullName} has no Kuiper manifest", refused.Message);
        Assert.False(refused.Answered);
    }

    private sealed record NoManifest : IKuiperMessage;

    /// <summary>Answers what it was sent, the way the coordinator does: a chunked question reassembled first, the answer told back.</summary>
    private sealed class Echo : ReceiveActor
    {
        public Echo()
        {
            var transfer = MessageTransfer.Get(Context.System);
            Receive<ChunkedMessage>(chunked =>
            {
                transfer.NoteChunked();
                transfer.Deliver(chunked, Self, Sender);
            });
            ReceiveAny(message => transfer.Tell(Sender, message, Self));
        }
    }

    private static ActorSystem Remote(string name) => ActorSystem.Create(name, ActorSystemSetup.Create(
        BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 1MiB }
            """).WithFallback(ActorMaterializer.DefaultConfig())),
        KuiperSerializer.Setup()));
}

internal static class TransferTestExtensions
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MessageTransfer, TaskCompletionSource<bool>> Chunked = new();

    public static void NoteChunked(this MessageTransfer transfer) => Chunked.GetOrCreateValue(transfer).TrySetResult(true);

    public static async Task<bool> ReceivedChunkedAsync(this MessageTransfer transfer) =>
        Chunked.TryGetValue(transfer, out var seen) && await seen.Task;

    public static IActorRefProvider Provider(this ActorSystem system) => ((ExtendedActorSystem)system).Provider;
}
