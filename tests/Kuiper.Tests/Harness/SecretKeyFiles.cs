using System.Text.RegularExpressions;

namespace Kuiper.Tests.Harness;

/// <summary>Secrets key files as an operator makes them (<c>openssl rand -base64 32</c>), and the key id a sealed text names.</summary>
public static partial class SecretKeyFiles
{
    public static string New(string folder, string name = "secrets.key")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, OpenSsl.Run(null, "rand", "-base64", "32"));
        return path;
    }

    /// <summary>The key id of the first sealed value in <paramref name="text"/> (a <c>?secrets=sealed</c> export).</summary>
    public static string KeyIdOf(string text) => SealedValue().Match(text).Groups[1].Value;

    [GeneratedRegex("enc:v1:([0-9a-f]{8}):")]
    private static partial Regex SealedValue();
}
