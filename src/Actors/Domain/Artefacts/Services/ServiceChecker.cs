using Kuiper.Domain.GoCompat;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.Artefacts.Archives;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Resources;

namespace Kuiper.Domain.Artefacts.Services;

/// <summary>
/// <c>Service</c> items (eKuiper's service manager <c>Create</c>): value <c>{"name","file"}</c>, the zip holds the
/// descriptor <c>&lt;name&gt;.json</c> and the schema files its interfaces name (under <c>schemas/</c>).
/// </summary>
/// <remarks>
/// <para>Descriptor only: value JSON, name (ValidateID), already installed, URI. Archive: the descriptor, its
/// JSON, each interface's schema type and that its schema file is there.</para>
/// <para>Layout: every entry of the zip under <c>services/</c> of the data dir, as eKuiper unpacks it into
/// <c>data/services</c>.</para>
/// <para>Not checked (no protobuf compiler here): the content of <c>.proto</c> files. A missing one is reported as
/// <c>Fail to parse schema file hw.proto: open data/services/schemas/hw.proto: no such file or directory</c>;
/// eKuiper's text comes from its protobuf parser and names an absolute path.</para>
/// </remarks>
public sealed class ServiceChecker(ArtefactPolicy policy) : IArtefactChecker
{
    private static readonly GoShape RequestShape = GoShape.StructOf("service.ServiceCreationRequest",
        ("name", GoShape.String), ("file", GoShape.String));

    private static readonly GoShape FileLanguage = GoShape.PointerTo(GoShape.StructOf("service.fileLanguage",
        ("en_US", GoShape.String), ("zh_CN", GoShape.String)));

    private static readonly GoShape ConfShape = GoShape.StructOf("service.conf",
        ("about", GoShape.PointerTo(GoShape.StructOf("service.about",
            ("author", GoShape.PointerTo(GoShape.StructOf("service.author",
                ("name", GoShape.String), ("email", GoShape.String), ("company", GoShape.String), ("website", GoShape.String)))),
            ("helpUrl", FileLanguage),
            ("description", FileLanguage)))),
        ("interfaces", GoShape.MapOf(GoShape.PointerTo(GoShape.StructOf("service.binding",
            ("name", GoShape.String),
            ("description", FileLanguage),
            ("address", GoShape.String),
            ("protocol", GoShape.NamedString("service.protocol")),
            ("schemaType", GoShape.NamedString("service.schema")),
            ("schemaFile", GoShape.String),
            ("schemaless", GoShape.Bool),
            ("functions", GoShape.SliceOf(GoShape.PointerTo(GoShape.StructOf("service.mapping",
                ("name", GoShape.String), ("serviceName", GoShape.String), ("description", FileLanguage))))),
            ("options", GoShape.MapOf(GoShape.Any)))))));

    public ArtefactKind Kind => ArtefactKind.Service;

    public DescriptorCheck CheckDescriptor(string key, string value, IInstalledArtefacts installed)
    {
        var (error, _, file) = Describe(value, installed);
        return error is not null ? DescriptorCheck.Fail(error) : DescriptorCheck.Fetch(file);
    }

    public CheckResult Check(string key, string value, IInstalledArtefacts installed, IReadOnlyDictionary<string, FetchResult> fetched)
    {
        var (error, name, file) = Describe(value, installed);
        if (error is not null) return CheckResult.Fail(error);
        if (!fetched.TryGetValue(file, out var download)) throw new ArgumentException($"{file} was not fetched.", nameof(fetched));
        if (!download.Succeeded) return CheckResult.Fail($"fail to download file {file}: {download.Error}");

        var (content, zipError) = SafeZip.Read(download.Bytes!, policy.ZipLimits);
        if (zipError is not null) return CheckResult.Fail(zipError);

        var baseName = name + ".json";
        if (!content!.Entries.Any(e => string.Equals(e.Name, baseName, StringComparison.OrdinalIgnoreCase)))
            return CheckResult.Fail($"cannot find the json descriptor file {baseName} for service");

        var files = content.Entries.Where(e => !e.IsDirectory)
            .Select(e => new PlannedFile($"services/{e.Path}", e.Content, e.UnixMode)).ToList();

        // eKuiper then reads services/<name>.json with the exact name.
        var descriptorEntry = content.Entries.FirstOrDefault(e => !e.IsDirectory && e.Path == baseName);
        if (descriptorEntry is null)
            return CheckResult.Fail($"parse services file {baseName} failed: open data/services/{baseName}: no such file or directory");
        var confText = Encoding.UTF8.GetString(descriptorEntry.Content);
        var confError = ConfShape.Check(confText);
        if (confError is not null) return CheckResult.Fail($"parse services file {baseName} failed: {confError}");

        using var document = GoShape.Parse(confText);
        var functions = new List<string>();
        if (document.RootElement.TryGetField("interfaces", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var binding in map.EnumerateObject())
            {
                var schemaType = GoRead.String(binding.Value, "schemaType");
                var schemaFile = GoRead.String(binding.Value, "schemaFile");
                var schemaless = GoRead.Bool(binding.Value, "schemaless");
                var schemaError = SchemaError(schemaType, schemaFile, schemaless, content, installed);
                if (schemaError is not null) return CheckResult.Fail($"Fail to parse schema file {schemaFile}: {schemaError}");
                if (schemaless) functions.Add(binding.Name);
                else if (binding.Value.TryGetField("functions", out var mappings) && mappings.ValueKind == JsonValueKind.Array)
                    functions.AddRange(mappings.EnumerateArray().Select(m => GoRead.String(m, "name")).Where(n => n.Length > 0));
            }
        }

        var descriptor = GoMarshal.Object(w =>
        {
            w.WriteString("name", name);
            w.WriteString("file", file);
        });
        return CheckResult.Ok(new ArtefactPlan(ArtefactKind.Service, key, name, descriptor, files,
            provides: new ArtefactProvides([], [], functions)));
    }

    private static (string? Error, string Name, string File) Describe(string value, IInstalledArtefacts installed)
    {
        var parseError = RequestShape.Check(value);
        if (parseError is not null) return (parseError, "", "");
        using var document = GoShape.Parse(value);
        var name = GoRead.String(document.RootElement, "name");
        var file = GoRead.String(document.RootElement, "file");
        var idError = ResourceId.Check(name);
        if (idError is not null) return (idError, name, file);
        if (installed.Find(ArtefactKind.Service, name) is not null) return ($"service {name} exist", name, file);
        if (!GoUrl.IsValidUrl(file)) return ($"invalid file path {file}", name, file);
        return (null, name, file);
    }

    /// <summary>eKuiper's <c>parse(schemaType, file, schemaless)</c>, minus compiling the proto file.</summary>
    private static string? SchemaError(string schemaType, string schemaFile, bool schemaless, ZipContent content, IInstalledArtefacts installed)
    {
        switch (schemaType)
        {
            case "":
                if (schemaless) return schemaFile.Length == 0 ? null : "schemaless type does not support schema files";
                return $"unsupported schema {schemaType} for schema type";
            case "protobuf":
                if (schemaless) return $"unsupported schema {schemaType} for schemaless type";
                var path = "schemas/" + SafeZip.CleanPath(schemaFile);
                var inZip = content.Entries.Any(e => !e.IsDirectory && e.Path == path);
                var onNode = installed.All(ArtefactKind.Service).Any(s => s.Files.Contains("services/" + path));
                if (schemaFile.Length == 0 || SafeZip.CheckName(schemaFile) is not null || !(inZip || onNode))
                    return $"open data/services/schemas/{schemaFile}: no such file or directory";
                return null;
            default:
                return $"unsupported schema {schemaType}";
        }
    }
}
