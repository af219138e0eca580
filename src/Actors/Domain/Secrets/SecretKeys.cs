namespace Kuiper.Domain.Secrets;

/// <summary>
/// The one definition of what is secret in a stored JSON text: the value of any object member whose key is in
/// <see cref="Names"/> (ignoring case, at any depth), and the password of a URL's userinfo inside any string
/// (<c>scheme://user:password@host</c>).
/// </summary>
/// <remarks>
/// <para>eKuiper 1.13 (<c>pkg/hidden/hidden.go</c>) masked only <c>password</c> and <c>token</c> (exact keys, ignoring
/// case) and the password of a URL under a key named <c>url</c>; eKuiper 2 removed that package. Both of its keys are
/// here, and URL passwords are found in every string, whatever its key.</para>
/// <para>Keys match whole, never as a part (<c>tokenExpiry</c> or <c>passwordFile</c> are not secret): a part match
/// would mask settings such as <c>tokenType</c> and then refuse their <c>******</c> on the way back. <c>pwd</c> is in:
/// it is the password key of ODBC and several SQL drivers' connection options.</para>
/// </remarks>
public static class SecretKeys
{
    /// <summary>Every secret key, as documented; matched ignoring case.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "password",
        "passwd",
        "pwd",
        "token",
        "secret",
        "access_token",
        "refresh_token",
        "api_key",
        "apikey",
        "secret_key",
        "access_key_secret",
        "private_key",
        "private_key_password",
        "client_secret",
        "sasl_password",
        "saslPassword",
        "credential",
        "credentials",
        "sentinel_password",
        "bind_password",
    ];

    private static readonly HashSet<string> Set = new(Names, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the value of an object member with this key is secret (the whole key, ignoring case).</summary>
    public static bool IsSecret(string key) => key is not null && Set.Contains(key);
}
