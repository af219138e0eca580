using System.Text.Json;
using System.Text.Json.Nodes;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Releases;

/// <summary>
/// <c>compat/formats/&lt;release&gt;.json</c>: the bytes a release wrote for each format (serializer manifest) it added,
/// kept for ever so that every later release is tested against them. A file is written once, by the release it names
/// (<c>KUIPER_WRITE_FORMAT_SAMPLES=&lt;release&gt;</c>, see docs/releases.md), and never edited afterwards.
/// </summary>
public static class FormatSamples
{
    public const string WriteVariable = "KUIPER_WRITE_FORMAT_SAMPLES";

    public static string Folder { get; } = Path.Combine(NodeBuild.RepoRoot, "compat", "formats");

    public sealed record Sample(string Release, string Manifest, byte[] Bytes);

    /// <summary>Every sample of every release, oldest release first.</summary>
    public static IReadOnlyList<Sample> All() =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.json")
                .Select(path => (Release: Path.GetFileNameWithoutExtension(path), Path: path))
                .OrderBy(f => Akka.Util.AppVersion.Create(f.Release))
                .SelectMany(f => JsonNode.Parse(File.ReadAllText(f.Path))!["samples"]!.AsArray()
                    .Select(s => new Sample(f.Release, (string)s!["manifest"]!, Bytes(s))))
                .ToList()
            : [];

    /// <summary>JSON forms are kept as text, to be read in a review; the compact binary ones in base64.</summary>
    private static byte[] Bytes(JsonNode sample) =>
        sample["json"] is { } json ? System.Text.Encoding.UTF8.GetBytes((string)json!) : Convert.FromBase64String((string)sample["bytes"]!);

    private static JsonObject Entry(string manifest, byte[] bytes)
    {
        try
        {
            var text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            using var _ = JsonDocument.Parse(text);
            return new JsonObject { ["manifest"] = manifest, ["json"] = text };
        }
        catch (Exception e) when (e is System.Text.DecoderFallbackException or JsonException)
        {
            return new JsonObject { ["manifest"] = manifest, ["bytes"] = Convert.ToBase64String(bytes) };
        }
    }

    /// <summary>Adds <paramref name="samples"/> to the file of <paramref name="release"/>, one sample per line for readable diffs.</summary>
    public static void Append(string release, IEnumerable<(string Manifest, byte[] Bytes)> samples)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, release + ".json");
        var kept = File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path))!["samples"]!.AsArray().Select(s => s!.DeepClone()).ToList()
            : [];
        kept.AddRange(samples.Select(s => Entry(s.Manifest, s.Bytes)));
        // Relaxed escaping keeps the quotes of the JSON forms readable; the text reads back the same either way.
        var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var lines = kept.Select(s => "    " + s.ToJsonString(options));
        File.WriteAllText(path, $"{{\n  \"release\": {JsonSerializer.Serialize(release)},\n  \"samples\": [\n{string.Join(",\n", lines)}\n  ]\n}}\n");
    }
}
