using System.Runtime.Serialization;
using Kuiper.Domain.Secrets;
using Kuiper.Messages.Partitions;

namespace Kuiper.Actors.Serialization;

/// <summary>
/// Secrets sealed on their way to the journal and the snapshot store, opened on their way back: the events and
/// snapshots that carry definitions hold <c>enc:v1:...</c> where a secret is, and the actors only ever see plaintext
/// (docs/decisions.md#secrets). Without a key ring everything passes as it is, as before.
/// </summary>
/// <remarks>
/// Only <see cref="BatchStored"/> and <see cref="PartitionSnapshot"/> carry definitions. Error texts are masked where
/// they are made, and the import history keeps names and positions, never definitions.
/// </remarks>
/// <param name="ring">the keys that open what is stored; the newest seals</param>
/// <param name="seal">false: store secrets as given, while the ring still opens what is sealed (an unseal)</param>
public sealed class SecretsAtRest(SecretKeyRing? ring, bool seal)
{
    public SecretKeyRing? Ring => ring;

    /// <summary>Whether secrets are sealed on their way to storage.</summary>
    public bool Sealing => seal && ring is not null;

    /// <summary>The key stored secrets are sealed with; null when they are stored as given.</summary>
    public string? SealingKey => Sealing ? ring!.Current.Id : null;

    /// <summary>Whether <paramref name="message"/> is a stored form that carries definitions, hence secrets.</summary>
    public static bool MayHoldSecrets(object message) => message is BatchStored or PartitionSnapshot;

    /// <summary>What is written: every secret sealed with the ring's newest key.</summary>
    public object Seal(object message) => Sealing ? Map(message, text => SecretText.Seal(text, ring!)) : message;

    /// <summary>What is read: every sealed secret opened; a value under a key this node lacks fails the read, naming the key.</summary>
    public object Open(object message) => Map(message, text =>
    {
        if (!text.Contains(SecretEnvelope.Prefix, StringComparison.Ordinal)) return text;
        if (ring is null)
            return SecretText.SealedKeyIds(text) is [var keyId, ..]
                ? throw new SerializationException($"a stored secret is sealed with key {keyId}, and this node has no Kuiper:Security:SecretsKeyFile")
                : text;
        var (opened, error) = SecretText.Open(text, ring);
        return opened ?? throw new SerializationException("a stored " + error);
    });

    /// <summary>
    /// A stored message as this node would store it now (a rotation): every secret under the newest key, or, when not
    /// <see cref="Sealing"/>, every secret opened; null when it already is. Read it without <see cref="Open"/>, write the
    /// result without <see cref="Seal"/>.
    /// </summary>
    public object? Reseal(object message)
    {
        if (ring is null) throw new InvalidOperationException("no key ring: nothing to seal with");
        if (!Sealing)
        {
            var opened = Open(message);
            return ReferenceEquals(opened, message) ? null : opened;
        }
        var resealed = Map(message, text =>
        {
            var (result, error) = SecretText.Reseal(text, ring);
            return result ?? throw new SerializationException("a stored " + error);
        });
        return ReferenceEquals(resealed, message) ? null : resealed;
    }

    /// <summary>The message with each definition mapped; the same instance when the map changed none.</summary>
    private static object Map(object message, Func<string, string> map) => message switch
    {
        BatchStored stored when MapValues(stored.Stored, map) is var values && !ReferenceEquals(values, stored.Stored) =>
            stored with { Stored = values },
        PartitionSnapshot snapshot when MapValues(snapshot.Resources, map) is var values && !ReferenceEquals(values, snapshot.Resources) =>
            snapshot with { Resources = values },
        _ => message,
    };

    private static IReadOnlyDictionary<string, string> MapValues(IReadOnlyDictionary<string, string> values, Func<string, string> map)
    {
        Dictionary<string, string>? mapped = null;
        foreach (var (name, text) in values)
        {
            var result = map(text);
            if (mapped is null && ReferenceEquals(result, text)) continue;
            // The first change: copy what came before it, then go on.
            mapped ??= values.TakeWhile(pair => pair.Key != name).ToDictionary(StringComparer.Ordinal);
            mapped[name] = result;
        }
        return mapped ?? values;
    }
}
