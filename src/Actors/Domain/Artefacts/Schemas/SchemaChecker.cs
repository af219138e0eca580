using Kuiper.Domain.GoCompat;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.Artefacts.Archives;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Domain.Artefacts.Schemas;

/// <summary>
/// <c>Schema</c> items (eKuiper's <c>CreateOrUpdateSchema</c>, the import path, which skips <c>Info.Validate</c>): key
/// <c>&lt;type&gt;_&lt;name&gt;</c>, value <c>{"type","name","content","file","soFile","version"}</c>.
/// </summary>
/// <remarks>
/// <para>Descriptor only: value JSON, type/name/version, type known, no newer version installed; which URIs to
/// fetch. With the bytes: the zip's <c>&lt;name&gt;.proto</c>.</para>
/// <para>Layout: <c>schemas/&lt;type&gt;/&lt;name&gt;[@version]&lt;ext&gt;</c> (<c>.proto</c> for protobuf, <c>.so</c> for
/// custom), the zip's supporting folder <c>schemas/&lt;type&gt;/&lt;name&gt;/…</c>, and <c>soFile</c> as
/// <c>schemas/&lt;type&gt;/&lt;name&gt;.so</c>. A zip is used when <c>file</c> ends in <c>.zip</c>; otherwise
/// <c>content</c> wins over <c>file</c>.</para>
/// <para>Export: the bundle value verbatim when the bundle key is <c>&lt;type&gt;_&lt;name&gt;</c> (what eKuiper's
/// partial import stores), else Go's marshal of the schema info under <c>&lt;type&gt;_&lt;name&gt;</c>.</para>
/// <para>Ours: an empty name is refused with <c>name is required</c> (eKuiper would replace the whole type
/// folder).</para>
/// </remarks>
public sealed class SchemaChecker(ArtefactPolicy policy) : IArtefactChecker
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        ["protobuf"] = ".proto",
        ["custom"] = ".so",
    };

    private static readonly GoShape InfoShape = GoShape.StructOf("schema.Info",
        ("type", GoShape.String), ("name", GoShape.String), ("content", GoShape.String),
        ("file", GoShape.String), ("soFile", GoShape.String), ("version", GoShape.String));

    public ArtefactKind Kind => ArtefactKind.Schema;

    /// <summary>Whether eKuiper knows the schema type (<c>protobuf</c>, <c>custom</c>).</summary>
    public static bool IsKnownType(string type) => Extensions.ContainsKey(type);

    private sealed record Info(string Type, string Name, string Content, string File, string SoFile, string Version)
    {
        public bool FileIsZip => Path.GetExtension(File) == ".zip";

        public IEnumerable<string> Fetches()
        {
            if (Content.Length > 0 || File.Length > 0)
            {
                if (FileIsZip || Content.Length == 0) yield return File;
            }
            if (SoFile.Length > 0) yield return SoFile;
        }
    }

    public DescriptorCheck CheckDescriptor(string key, string value, IInstalledArtefacts installed)
    {
        var (error, info) = Describe(value, installed);
        return error is not null ? DescriptorCheck.Fail(error) : DescriptorCheck.Fetch([.. info!.Fetches()]);
    }

    public CheckResult Check(string key, string value, IInstalledArtefacts installed, IReadOnlyDictionary<string, FetchResult> fetched)
    {
        var (error, info) = Describe(value, installed);
        if (error is not null) return CheckResult.Fail(error);
        var dir = $"schemas/{info!.Type}";
        var ext = Extensions[info.Type];
        var schemaFileName = info.Name + ext;
        var targetName = info.Version.Length > 0 ? $"{info.Name}@{info.Version}{ext}" : schemaFileName;
        var files = new List<PlannedFile>();

        if (info.Content.Length > 0 || info.File.Length > 0)
        {
            if (info.FileIsZip)
            {
                var download = Fetched(fetched, info.File);
                if (!download.Succeeded) return CheckResult.Fail(download.Error!);
                var (content, zipError) = SafeZip.Read(download.Bytes!, policy.ZipLimits);
                if (zipError is not null) return CheckResult.Fail(zipError);
                var found = false;
                foreach (var entry in content!.Entries)
                {
                    if (entry.Name == schemaFileName)
                    {
                        files.Add(new PlannedFile($"{dir}/{targetName}", entry.Content));
                        found = true;
                    }
                    else if (entry.Name.StartsWith(info.Name + "/", StringComparison.Ordinal) && !entry.IsDirectory)
                    {
                        files.Add(new PlannedFile($"{dir}/{entry.Path}", entry.Content, entry.UnixMode));
                    }
                }
                if (!found) return CheckResult.Fail($"schema file {schemaFileName} not found inside the zip");
            }
            else if (info.Content.Length > 0)
            {
                files.Add(new PlannedFile($"{dir}/{targetName}", Encoding.UTF8.GetBytes(info.Content)));
            }
            else
            {
                var download = Fetched(fetched, info.File);
                if (!download.Succeeded) return CheckResult.Fail(download.Error!);
                files.Add(new PlannedFile($"{dir}/{targetName}", download.Bytes!));
            }
        }

        if (info.SoFile.Length > 0)
        {
            var download = Fetched(fetched, info.SoFile);
            if (!download.Succeeded) return CheckResult.Fail(download.Error!);
            files.Add(new PlannedFile($"{dir}/{info.Name}.so", download.Bytes!));
        }

        var installKey = $"{info.Type}_{info.Name}";
        var descriptor = key == installKey ? value : GoMarshal.Object(w =>
        {
            w.WriteString("type", info.Type);
            w.WriteString("name", info.Name);
            if (info.Content.Length > 0) w.WriteString("content", info.Content);
            if (info.File.Length > 0) w.WriteString("file", info.File);
            if (info.SoFile.Length > 0) w.WriteString("soFile", info.SoFile);
            if (info.Version.Length > 0) w.WriteString("version", info.Version);
        });
        return CheckResult.Ok(new ArtefactPlan(ArtefactKind.Schema, key, installKey, descriptor, files,
            info.Version.Length > 0 ? info.Version : null));
    }

    private static FetchResult Fetched(IReadOnlyDictionary<string, FetchResult> fetched, string uri) =>
        fetched.TryGetValue(uri, out var result) ? result : throw new ArgumentException($"{uri} was not fetched.", nameof(fetched));

    private static (string? Error, Info? Info) Describe(string value, IInstalledArtefacts installed)
    {
        var parseError = InfoShape.Check(value);
        if (parseError is not null) return (parseError, null);
        using var document = GoShape.Parse(value);
        var root = document.RootElement;
        var info = new Info(GoRead.String(root, "type"), GoRead.String(root, "name"), GoRead.String(root, "content"),
            GoRead.String(root, "file"), GoRead.String(root, "soFile"), GoRead.String(root, "version"));

        if (Unsafe(info.Type)) return ($"schema type {info.Type} is invalid", null);
        if (Unsafe(info.Name)) return ($"schema name {info.Name} is invalid", null);
        if (Unsafe(info.Version)) return ($"schema version {info.Version} is invalid", null);
        if (info.Name.Length == 0) return ("name is required", null);
        if (!Extensions.ContainsKey(info.Type)) return ($"schema type {info.Type} not found", null);
        if (installed.Find(ArtefactKind.Schema, $"{info.Type}_{info.Name}") is { Version: { Length: > 0 } old } && string.CompareOrdinal(old, info.Version) > 0)
            return ($"schema {info.Type}.{info.Name} already registered with a newer version {old}", null);
        return (null, info);
    }

    private static bool Unsafe(string s) => s.Contains('/') || s.Contains('\\') || s.Contains("..");
}
