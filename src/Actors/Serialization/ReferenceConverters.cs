using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Streams;

namespace Kuiper.Actors.Serialization;

/// <summary>An actor reference as Akka writes it for the current transport (with this node's address when it crosses).</summary>
internal sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
{
    public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        system.Provider.ResolveActorRef(reader.GetString() ?? throw new JsonException("an actor reference must be a path"));

    public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
}

/// <summary>
/// A stream reference of byte chunks, written by Akka.Streams' own stream-ref serializer (which must be bound: see
/// TransferHostingExtensions) and nested here as its serializer id, manifest and bytes.
/// </summary>
internal sealed class SourceRefConverter(ExtendedActorSystem system) : JsonConverter<ISourceRef<byte[]>>
{
    private sealed record Nested(int Serializer, string Manifest, byte[] Bytes);

    public override ISourceRef<byte[]> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var nested = JsonSerializer.Deserialize<Nested>(ref reader) ?? throw new JsonException("a stream reference is missing");
        return system.Serialization.Deserialize(nested.Bytes, nested.Serializer, nested.Manifest) as ISourceRef<byte[]>
               ?? throw new JsonException("not a stream reference of byte chunks");
    }

    public override void Write(Utf8JsonWriter writer, ISourceRef<byte[]> value, JsonSerializerOptions options)
    {
        var serializer = system.Serialization.FindSerializerFor(value);
        if (serializer is KuiperSerializer or Akka.Serialization.NewtonSoftJsonSerializer)
            throw new JsonException("stream references need Akka.Streams' stream-ref serializer, which is not bound");
        JsonSerializer.Serialize(writer, new Nested(serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, value),
            serializer.ToBinary(value)));
    }
}
