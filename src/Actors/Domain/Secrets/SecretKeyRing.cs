using System.Security.Cryptography;

namespace Kuiper.Domain.Secrets;

/// <summary>
/// One AES-256 key and its id: the first 8 hex digits (lower case) of the SHA-256 of its 32 bytes. The id depends on
/// the key alone, so renaming or moving a key file never orphans what it sealed, and every node that holds the key
/// names it alike; 32 bits of a hash of a random 256-bit key tell nothing about the key.
/// </summary>
public sealed class SecretKey
{
    /// <summary>AES-256: 32 bytes.</summary>
    public const int Length = 32;

    private SecretKey(byte[] bytes)
    {
        Bytes = bytes;
        Id = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 4));
    }

    /// <summary>The key's id, as written in every value it seals (<c>enc:v1:&lt;id&gt;:...</c>).</summary>
    public string Id { get; }

    internal byte[] Bytes { get; }

    /// <summary>A key of exactly 32 bytes; throws otherwise.</summary>
    public static SecretKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length
            ? new SecretKey(bytes.ToArray())
            : throw new ArgumentException($"a secret key is {Length} bytes, not {bytes.Length}", nameof(bytes));

    /// <summary>
    /// The key in a key file's text: one line of base64 (surrounding whitespace and a final line break allowed) that
    /// decodes to 32 bytes. The error names <paramref name="source"/> (the file).
    /// </summary>
    public static SecretKey? Parse(string source, string text, out string? error)
    {
        var line = text.Trim();
        if (line.Length == 0)
        {
            error = $"secret key file {source} is empty: it must hold one line of base64 of {Length} random bytes (openssl rand -base64 32)";
            return null;
        }
        if (line.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            error = $"secret key file {source} holds more than one line: it must hold one line of base64 of {Length} random bytes";
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(line);
        }
        catch (FormatException)
        {
            error = $"secret key file {source} is not base64: it must hold one line of base64 of {Length} random bytes";
            return null;
        }
        if (bytes.Length != Length)
        {
            error = $"secret key file {source} holds {bytes.Length} bytes after base64 decoding: a key is {Length} bytes (openssl rand -base64 32)";
            return null;
        }
        error = null;
        return new SecretKey(bytes);
    }
}

/// <summary>
/// The keys this node can open secrets with. The first key is the newest: it seals; the others only open what older
/// keys sealed, until every text is sealed again with the newest.
/// </summary>
public sealed class SecretKeyRing
{
    private readonly Dictionary<string, SecretKey> _byId = new(StringComparer.Ordinal);

    /// <summary>A ring of <paramref name="keys"/>, newest first; throws when empty or when two keys share an id.</summary>
    public SecretKeyRing(IEnumerable<SecretKey> keys)
    {
        var list = keys.ToList();
        if (list.Count == 0) throw new ArgumentException("a key ring needs at least one key", nameof(keys));
        foreach (var key in list)
            if (!_byId.TryAdd(key.Id, key))
                throw new ArgumentException($"key {key.Id} is in the ring twice", nameof(keys));
        Current = list[0];
        Ids = list.ConvertAll(k => k.Id);
    }

    /// <summary>The key that seals.</summary>
    public SecretKey Current { get; }

    /// <summary>The ids of the ring's keys, newest first.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>The key with this id, or null.</summary>
    public SecretKey? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// The ring of the key files at <paramref name="paths"/>, newest first (see <see cref="SecretKey.Parse"/>); null and
    /// an error naming the file when one cannot be read or holds no key, or two files hold the same key.
    /// </summary>
    public static SecretKeyRing? Load(IReadOnlyList<string> paths, out string? error)
    {
        if (paths.Count == 0)
        {
            error = "no secret key file given";
            return null;
        }
        var keys = new List<SecretKey>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"secret key file {path} cannot be read: {e.Message}";
                return null;
            }
            if (SecretKey.Parse(path, text, out error) is not { } key) return null;
            if (!files.TryAdd(key.Id, path))
            {
                error = $"secret key files {files[key.Id]} and {path} hold the same key ({key.Id})";
                return null;
            }
            keys.Add(key);
        }
        error = null;
        return new SecretKeyRing(keys);
    }
}
