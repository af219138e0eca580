using Akka.Actor;
using Akka.Streams;
using Kuiper.Messages;

namespace Kuiper.Actors.Transfers;

/// <summary>
/// A message too large for one remoting frame, sent as its serialized bytes in chunks the receiver pulls with
/// back-pressure (an Akka.Streams stream reference). The receiver reassembles the bytes, deserializes them with
/// the Kuiper serializer and handles the message as if it had come whole, from the same sender.
/// </summary>
/// <param name="Manifest">the Kuiper manifest of the message carried</param>
/// <param name="Length">its serialized size in bytes: the receiver refuses a stream that brings more or less</param>
/// <param name="DeflatedLength">
/// when above 0, the stream carries that many bytes of Deflate data that inflate to exactly <paramref name="Length"/> bytes
/// (definitions compress about tenfold, and a node's remoting moves few bytes a millisecond on a busy machine)
/// </param>
public sealed record ChunkedMessage(string Manifest, long Length, ISourceRef<byte[]> Chunks, long DeflatedLength = 0) : IKuiperMessage;

/// <summary>A message could not be sent, or a chunked one could not be taken: the asker gets this at once, never silence.</summary>
/// <param name="Answered">true: the question was taken and handled, only its answer could not be sent back</param>
public sealed record TransferRefused(string Reason, bool Answered = false) : IKuiperMessage;

/// <summary>
/// Asks an actor behind a proxy for its own reference (the proxy answers <c>Identify</c> itself), so that a sender
/// knows whether it is local (sent as is) or on another node (chunked when large). Replies <see cref="ActorLocated"/>.
/// </summary>
public sealed record LocateActor : IKuiperMessage
{
    public static readonly LocateActor Instance = new();
}

public sealed record ActorLocated(IActorRef Actor) : IKuiperMessage;

/// <summary>A transfer failed: the text says what and where, for a 503 or a log line.</summary>
/// <param name="Answered">true: the question was taken and handled, only its answer was lost</param>
public sealed class TransferFailedException(string message, bool answered = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Answered { get; } = answered;
}
