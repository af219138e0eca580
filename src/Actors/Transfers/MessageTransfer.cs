using Akka.Actor;
using Akka.Cluster;
using System.IO.Compression;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Kuiper.Actors.Transfers;

/// <summary>
/// Sends messages between nodes whatever their size: a message for an actor on this node is told as is (no copy);
/// one for another node is serialized here first, so that what cannot be serialized is refused at once, and when it
/// is larger than one chunk it crosses as a <see cref="ChunkedMessage"/>, pulled by the receiver with back-pressure
/// through an Akka.Streams stream reference. Nothing is dropped silently: whatever cannot be sent or taken is
/// answered with a <see cref="TransferRefused"/> (or, for an ask, a <see cref="TransferFailedException"/>).
/// </summary>
public sealed class MessageTransfer : IExtension
{
    /// <summary>
    /// 64 KiB: under .NET's large-object threshold (85,000 bytes), so chunk arrays die young; and a small part of the
    /// smallest frame limit a node accepts (<see cref="MinimumFrameBytes"/>), so a chunk with its envelope always fits.
    /// </summary>
    public const int ChunkBytes = 64 * 1024;

    /// <summary>The smallest remoting frame limit a node may be configured with (chunks must stay well below it).</summary>
    public const long MinimumFrameBytes = 1024 * 1024;

    /// <summary>Where the largest message a node takes in chunks is configured (the hosting extension sets it).</summary>
    public const string MaxMessageBytesPath = "kuiper.transfers.max-message-bytes";

    /// <summary>A chunked message whose sender sends nothing for this long is abandoned (a sender that left is noticed sooner).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long an asker whose chunks were not all taken waits for the receiver's reason before it gives its own.</summary>
    private static readonly TimeSpan RefusalGrace = TimeSpan.FromSeconds(3);

    private readonly ExtendedActorSystem _system;
    private readonly Lazy<IMaterializer> _materializer;
    private readonly ILoggingAdapter _log;

    public MessageTransfer(ExtendedActorSystem system)
    {
        _system = system;
        var configured = system.Settings.Config.GetLong(MaxMessageBytesPath, 0);
        MaxMessageBytes = configured > 0 ? Math.Min(configured, Array.MaxLength) : Array.MaxLength;
        _materializer = new Lazy<IMaterializer>(() => system.Materializer(namePrefix: "transfers"));
        _log = Logging.GetLogger(system, typeof(MessageTransfer));
    }

    /// <summary>The serializer bound to Kuiper's messages (the one with stable manifests): chunks carry only what it writes.</summary>
    private int KuiperSerializerId => _system.Serialization.FindSerializerForType(typeof(ChunkedMessage)).Identifier;

    public static MessageTransfer Get(ActorSystem system) => system.WithExtension<MessageTransfer, MessageTransferProvider>();

    /// <summary>The largest message this node takes in chunks; a larger one is refused before any of it is pulled.</summary>
    public long MaxMessageBytes { get; }

    public static bool IsLocal(IActorRef target) => target.Path.Address.HasLocalScope;

    /// <summary>The actor behind <paramref name="proxy"/> (a cluster singleton's proxy), so that a sender sees where it runs.</summary>
    public static async Task<IActorRef> LocateAsync(IActorRef proxy, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await proxy.Ask<ActorLocated>(LocateActor.Instance, timeout, cancellationToken)).Actor;

    /// <summary>Singletons located, by proxy path, with the oldest member of their role when they were located.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ActorPath, (IActorRef Actor, UniqueAddress Oldest)> _located = new();

    /// <summary>
    /// <see cref="LocateAsync"/>, remembered: a cluster singleton runs on the oldest member of its role and moves only when
    /// that member changes, so while the oldest stays the same member (same incarnation) the actor located last is
    /// used again without a round trip to its node. A caller whose message was not answered calls <see cref="Forget"/>.
    /// </summary>
    public async Task<IActorRef> LocateSingletonAsync(IActorRef proxy, string role, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var oldest = OldestOf(role);
        if (oldest is not null && _located.TryGetValue(proxy.Path, out var known) && known.Oldest.Equals(oldest)) return known.Actor;
        var actor = await LocateAsync(proxy, timeout, cancellationToken);
        // Remembered only when the oldest did not change while the proxy looked (a hand-over may have been under way).
        if (oldest is not null && oldest.Equals(OldestOf(role))) _located[proxy.Path] = (actor, oldest);
        return actor;
    }

    /// <summary>Located again next time (the actor remembered did not answer).</summary>
    public void Forget(IActorRef proxy) => _located.TryRemove(proxy.Path, out _);

    /// <summary>The oldest Up member with the role, where the singleton manager places the singleton; null outside a cluster.</summary>
    private UniqueAddress? OldestOf(string role)
    {
        if (_system.Provider is not Akka.Cluster.IClusterActorRefProvider) return null;
        UniqueAddress? oldest = null;
        Member? oldestMember = null;
        foreach (var member in Akka.Cluster.Cluster.Get(_system).State.Members)
        {
            if (member.Status != MemberStatus.Up || !member.HasRole(role)) continue;
            if (oldestMember is null || member.IsOlderThan(oldestMember))
            {
                oldestMember = member;
                oldest = member.UniqueAddress;
            }
        }
        return oldest;
    }

    /// <summary>
    /// Tells <paramref name="target"/> the message from <paramref name="sender"/>: at once when local or small, else
    /// chunked once its stream is offered. What cannot be sent is told to <paramref name="target"/> as <see cref="TransferRefused"/>.
    /// </summary>
    public void Tell(IActorRef target, object message, IActorRef sender)
    {
        Serialized? serialized;
        try
        {
            serialized = Serialize(target, message);
        }
        catch (TransferFailedException e)
        {
            _log.Warning(e.Message);
            // Said to whoever waits for it: told by its asker (an answer), the question was handled already.
            target.Tell(new TransferRefused(e.Message, Answered: true), sender);
            return;
        }
        if (serialized is null)
        {
            target.Tell(message, sender);
            return;
        }
        _ = SendChunkedAsync(target, serialized, sender);
    }

    private async Task SendChunkedAsync(IActorRef target, Serialized serialized, IActorRef sender)
    {
        try
        {
            var (chunked, sending) = await OfferAsync(serialized);
            target.Tell(chunked, sender);
            await sending;
        }
        catch (Exception e)
        {
            _log.Warning("{0} was not taken by {1}: {2}", serialized.What, target.Path.Address, e.Message);
        }
    }

    /// <summary>
    /// Asks <paramref name="target"/> and waits for its answer, each way chunked where needed. Throws
    /// <see cref="TransferFailedException"/> as soon as the question cannot be sent, is not taken, or is refused.
    /// </summary>
    public async Task<T> AskAsync<T>(IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        object question = message;
        Task? sending = null;
        if (Serialize(target, message) is { } serialized) (question, sending) = await OfferAsync(serialized);
        using var asking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reply = target.Ask<object>(question, timeout, asking.Token);
        if (sending is not null && await Task.WhenAny(reply, sending) == sending && sending.IsFaulted
            // A receiver that refused says why right after it cancels: its reason is better than "not taken".
            && await Task.WhenAny(reply, Task.Delay(RefusalGrace, cancellationToken)) != reply)
        {
            asking.Cancel();
            throw new TransferFailedException(
                $"{Describe(message)} was not taken by {target.Path.Address}: {sending.Exception!.GetBaseException().Message}");
        }
        return await UnwrapAsync<T>(await reply, target);
    }

    /// <summary>The answer itself: reassembled when it came chunked; a refusal becomes a <see cref="TransferFailedException"/>.</summary>
    public async Task<T> UnwrapAsync<T>(object answer, IActorRef from)
    {
        if (answer is ChunkedMessage chunked)
        {
            try
            {
                answer = await ReceiveAsync(chunked, from);
            }
            catch (Exception e)
            {
                throw new TransferFailedException($"the answer from {from.Path.Address} could not be taken: {e.GetBaseException().Message}", answered: true, e);
            }
        }
        return answer switch
        {
            T expected => expected,
            TransferRefused refused => throw new TransferFailedException(refused.Reason, refused.Answered),
            _ => throw new TransferFailedException($"{from.Path} answered {answer.GetType().Name}, not {typeof(T).Name}", answered: true),
        };
    }

    /// <summary>
    /// Reassembles a chunked message and tells it to <paramref name="recipient"/> as if <paramref name="sender"/> had
    /// sent it whole; if it cannot be taken, <paramref name="sender"/> is told why at once.
    /// </summary>
    public void Deliver(ChunkedMessage chunked, IActorRef recipient, IActorRef sender) =>
        ReceiveAsync(chunked, sender).ContinueWith(received =>
        {
            if (received.IsCompletedSuccessfully)
            {
                recipient.Tell(received.Result, sender);
                return;
            }
            var reason = received.Exception?.GetBaseException().Message ?? "cancelled";
            _log.Warning("A {0} from {1} was not taken: {2}", chunked.Manifest, sender.Path.Address, reason);
            sender.Tell(new TransferRefused(reason), recipient);
        }, TaskScheduler.Default);

    /// <summary>Pulls every chunk (at most <see cref="MaxMessageBytes"/>, checked before the first) and deserializes the message.</summary>
    public async Task<object> ReceiveAsync(ChunkedMessage chunked, IActorRef from)
    {
        var materializer = _materializer.Value;
        if (chunked.Length < 0 || chunked.Length > MaxMessageBytes)
        {
            // Cancelled rather than left: its sender learns at once that it will not be taken.
            chunked.Chunks.Source.RunWith(Sink.Cancelled<byte[]>(), materializer);
            throw new TransferFailedException(
                $"a message of {chunked.Length} bytes from {from.Path.Address} is larger than the {MaxMessageBytes} bytes this node takes " +
                "(twice Kuiper:Import:MaxRequestBytes)");
        }
        var deflated = chunked.DeflatedLength > 0;
        if (chunked.DeflatedLength < 0 || (deflated && chunked.DeflatedLength >= chunked.Length))
        {
            chunked.Chunks.Source.RunWith(Sink.Cancelled<byte[]>(), materializer);
            throw new TransferFailedException($"a message from {from.Path.Address} announced {chunked.DeflatedLength} deflated bytes for {chunked.Length}");
        }
        var buffer = new byte[deflated ? chunked.DeflatedLength : chunked.Length];
        long received = 0;
        await chunked.Chunks.Source.IdleTimeout(IdleTimeout).RunForeach(chunk =>
        {
            if (received + chunk.Length > buffer.Length)
                throw new TransferFailedException($"a message from {from.Path.Address} brought more than the {buffer.Length} bytes it announced");
            chunk.CopyTo(buffer, received);
            received += chunk.Length;
        }, materializer);
        if (received != buffer.Length)
            throw new TransferFailedException($"a message from {from.Path.Address} ended after {received} of the {buffer.Length} bytes it announced");
        var bytes = deflated ? Inflate(buffer, chunked.Length, from) : buffer;
        return _system.Serialization.Deserialize(bytes, KuiperSerializerId, chunked.Manifest);
    }

    /// <summary>Exactly <paramref name="length"/> bytes (already checked against the limit), or a refusal: never more.</summary>
    private static byte[] Inflate(byte[] deflated, long length, IActorRef from)
    {
        var bytes = new byte[length];
        try
        {
            using var inflater = new DeflateStream(new MemoryStream(deflated, writable: false), CompressionMode.Decompress);
            inflater.ReadExactly(bytes);
            if (inflater.ReadByte() != -1)
                throw new TransferFailedException($"a message from {from.Path.Address} inflated to more than the {length} bytes it announced");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new TransferFailedException($"a message from {from.Path.Address} did not inflate to the {length} bytes it announced: {e.Message}");
        }
        return bytes;
    }

    /// <summary>The fastest Deflate: definitions shrink about tenfold for a few milliseconds a megabyte.</summary>
    private static byte[] Deflate(byte[] bytes)
    {
        var deflated = new MemoryStream(bytes.Length / 8);
        using (var deflater = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) deflater.Write(bytes);
        return deflated.ToArray();
    }

    /// <param name="Bytes">what crosses: the serialized message, or its Deflate form when <paramref name="Length"/> is larger</param>
    /// <param name="Length">the serialized message's size</param>
    private sealed record Serialized(string What, string Manifest, byte[] Bytes, long Length)
    {
        public bool Deflated => Bytes.Length < Length;
    }

    /// <summary>Null: tell the message as is (the target is local, or it fits one chunk). Throws when it cannot be serialized.</summary>
    private Serialized? Serialize(IActorRef target, object message)
    {
        if (IsLocal(target)) return null;
        byte[] bytes;
        string manifest;
        try
        {
            var serializer = _system.Serialization.FindSerializerFor(message);
            bytes = serializer.ToBinary(message);
            manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
            if (bytes.Length > ChunkBytes && serializer.Identifier != KuiperSerializerId)
                throw new InvalidOperationException($"only Kuiper messages are sent in chunks, not {message.GetType().Name}");
        }
        catch (Exception e)
        {
            throw new TransferFailedException($"{Describe(message)} could not be sent to {target.Path.Address}: {e.Message}", inner: e);
        }
        if (bytes.Length <= ChunkBytes) return null;
        var deflated = Deflate(bytes);
        return new Serialized(Describe(message), manifest, deflated.Length < bytes.Length ? deflated : bytes, bytes.Length);
    }

    /// <summary>
    /// The message's stream, offered for the receiver to pull, and the task of its sending: it fails when the receiver
    /// does not take every chunk (it refused, left, or did not subscribe within the stream reference's subscription timeout).
    /// </summary>
    private async Task<(ChunkedMessage Chunked, Task Sending)> OfferAsync(Serialized serialized)
    {
        var chunks = new ChunkSequence(serialized.Bytes);
        var (terminated, offered) = Source.From(chunks)
            .WatchTermination(Keep.Right)
            .ToMaterialized(StreamRefs.SourceRef<byte[]>(), Keep.Both)
            .Run(_materializer.Value);
        var sending = terminated.ContinueWith(done =>
        {
            // The message and its bytes were held until the last chunk was taken: garbage only now.
            Memory.HeapTrimming.Shared.After(serialized.Length);
            if (done.IsFaulted) throw done.Exception!.GetBaseException();
            if (!chunks.AllTaken)
                throw new TransferFailedException("the receiver stopped taking it (it refused it, left, or did not subscribe in time)");
        }, TaskScheduler.Default);
        return (new ChunkedMessage(serialized.Manifest, serialized.Length, await offered, serialized.Deflated ? serialized.Bytes.Length : 0), sending);
    }

    private static string Describe(object message) => message.GetType().Name;

    /// <summary>The chunks of one message, copied out one at a time as the stream pulls them.</summary>
    private sealed class ChunkSequence(byte[] bytes) : IEnumerable<byte[]>
    {
        public bool AllTaken { get; private set; }

        public IEnumerator<byte[]> GetEnumerator()
        {
            for (var offset = 0; offset < bytes.Length; offset += ChunkBytes)
                yield return bytes.AsSpan(offset, Math.Min(ChunkBytes, bytes.Length - offset)).ToArray();
            AllTaken = true;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed class MessageTransferProvider : ExtensionIdProvider<MessageTransfer>
{
    public override MessageTransfer CreateExtension(ExtendedActorSystem system) => new(system);
}
