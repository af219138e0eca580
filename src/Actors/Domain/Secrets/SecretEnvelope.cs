using System.Security.Cryptography;
using System.Text;

namespace Kuiper.Domain.Secrets;

/// <summary>
/// A sealed secret: <c>enc:v1:&lt;key id&gt;:&lt;base64 of nonce (12 bytes) | ciphertext | tag (16 bytes)&gt;</c>,
/// AES-256-GCM over the UTF-8 bytes of the plaintext with a random nonce and the fixed associated data
/// <c>kuiper.secret.v1</c> (so that nothing sealed by another use of the same key opens here). Standard base64 with
/// padding: none of its characters needs escaping in a JSON string.
/// </summary>
public static class SecretEnvelope
{
    /// <summary>What every sealed value starts with.</summary>
    public const string Prefix = "enc:v1:";

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] AssociatedData = "kuiper.secret.v1"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>
    /// Whether <paramref name="value"/> has the form of a sealed value: the prefix, then a key id and a colon. Anything
    /// else (<c>enc:v1:hello</c>) is a plain string everywhere, sealed at rest like any other secret, never "opened".
    /// </summary>
    public static bool IsSealed(string? value) => KeyIdOf(value) is not null;

    /// <summary>The key id a sealed value names, or null when it is not one.</summary>
    public static string? KeyIdOf(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var end = value.IndexOf(':', Prefix.Length);
        return end > Prefix.Length ? value[Prefix.Length..end] : null;
    }

    /// <summary><paramref name="plaintext"/> sealed with the ring's newest key.</summary>
    public static string Seal(string plaintext, SecretKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var key = ring.Current;
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var blob = new byte[NonceLength + clear.Length + TagLength];
        var nonce = blob.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Bytes, TagLength))
            aes.Encrypt(nonce, clear, blob.AsSpan(NonceLength, clear.Length), blob.AsSpan(NonceLength + clear.Length), AssociatedData);
        return Prefix + key.Id + ":" + Convert.ToBase64String(blob);
    }

    /// <summary>The plaintext of a sealed value; false and the reason (naming the key id) when it does not open.</summary>
    public static bool TryOpen(string sealedValue, SecretKeyRing ring, out string plaintext, out string error)
    {
        plaintext = "";
        if (KeyIdOf(sealedValue) is not { } id)
        {
            error = $"not a sealed value: it must read {Prefix}<key id>:<base64>";
            return false;
        }
        if (ring.Find(id) is not { } key)
        {
            error = $"sealed with key {id}, which this node does not have";
            return false;
        }
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(sealedValue[(Prefix.Length + id.Length + 1)..]);
        }
        catch (FormatException)
        {
            error = $"sealed with key {id}, but its data is not base64";
            return false;
        }
        if (blob.Length < NonceLength + TagLength)
        {
            error = $"sealed with key {id}, but its data is {blob.Length} bytes, shorter than a nonce and a tag";
            return false;
        }
        var length = blob.Length - NonceLength - TagLength;
        var clear = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagLength);
            aes.Decrypt(blob.AsSpan(0, NonceLength), blob.AsSpan(NonceLength, length), blob.AsSpan(NonceLength + length), clear, AssociatedData);
            plaintext = StrictUtf8.GetString(clear);
        }
        catch (AuthenticationTagMismatchException)
        {
            error = $"sealed with key {id}, but it does not open: it was altered";
            return false;
        }
        catch (DecoderFallbackException)
        {
            error = $"sealed with key {id}, but its plaintext is not UTF-8";
            return false;
        }
        error = "";
        return true;
    }
}
