using Kuiper.Domain.GoCompat;
using System.Text.Json;
using Kuiper.Domain.Artefacts.Archives;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Domain.Artefacts.Plugins;

/// <summary>
/// <c>portablePlugins</c> items (eKuiper's portable plugin <c>Register</c> and <c>install</c>): value
/// <c>{"name","file","shellParas"}</c>; the zip holds the manifest <c>&lt;name&gt;.json</c>, the executable and the
/// sources', sinks' and functions' metadata.
/// </summary>
/// <remarks>
/// <para>Descriptor only: value JSON, name, URI, duplicate name. Archive: manifest, language, executable, declared
/// sources/sinks/functions, required files, install script.</para>
/// <para>Layout under the data dir: <c>plugins/portable/&lt;name&gt;/…</c> for every entry except those under
/// <c>sources/</c>, <c>sinks/</c> and <c>functions/</c>, which go to those folders of the data dir (eKuiper: to both
/// its etc and data folders). The executable keeps the zip's permission bits.</para>
/// <para>Not done here: starting the plugin process (<c>cannot find executable … when loading portable plugins</c>
/// cannot happen once the required files are there).</para>
/// </remarks>
public sealed class PortablePluginChecker(ArtefactPolicy policy) : IArtefactChecker
{
    private static readonly HashSet<string> Languages = new(StringComparer.Ordinal) { "go", "python" };

    private static readonly GoShape ManifestShape = GoShape.StructOf("portable.PluginInfo",
        ("name", GoShape.String), ("version", GoShape.String), ("language", GoShape.String), ("executable", GoShape.String),
        ("virtualEnvType", GoShape.PointerTo(GoShape.String)), ("env", GoShape.PointerTo(GoShape.String)),
        ("sources", GoShape.SliceOf(GoShape.String)), ("sinks", GoShape.SliceOf(GoShape.String)),
        ("functions", GoShape.SliceOf(GoShape.String)));

    public ArtefactKind Kind => ArtefactKind.PortablePlugin;

    public DescriptorCheck CheckDescriptor(string key, string value, IInstalledArtefacts installed)
    {
        var (error, descriptor, _) = Describe(value, installed);
        return error is not null ? DescriptorCheck.Fail(error) : DescriptorCheck.Fetch(descriptor!.File);
    }

    public CheckResult Check(string key, string value, IInstalledArtefacts installed, IReadOnlyDictionary<string, FetchResult> fetched)
    {
        var (error, descriptor, name) = Describe(value, installed);
        if (error is not null) return CheckResult.Fail(error);
        if (!fetched.TryGetValue(descriptor!.File, out var download)) throw new ArgumentException($"{descriptor.File} was not fetched.", nameof(fetched));
        if (!download.Succeeded) return CheckResult.Fail(descriptor.DownloadFailed(download));
        var (plan, installError) = Install(key, descriptor, name, download.Bytes!, installed);
        return installError is not null ? CheckResult.Fail($"fail to install plugin: {installError}") : CheckResult.Ok(plan!);
    }

    private static (string? Error, PluginDescriptor? Descriptor, string Name) Describe(string value, IInstalledArtefacts installed)
    {
        var (descriptor, parseError) = PluginDescriptor.Parse(value, functionPlugin: false);
        if (parseError is not null) return (parseError, null, "");
        var nameError = descriptor!.CheckNameAndUri(out var name);
        if (nameError is not null) return (nameError, null, name);
        if (installed.Find(ArtefactKind.PortablePlugin, name) is not null) return ($"invalid name {name}: duplicate", null, name);
        return (null, descriptor, name);
    }

    private (ArtefactPlan? Plan, string? Error) Install(string key, PluginDescriptor descriptor, string name, byte[] zip, IInstalledArtefacts installed)
    {
        var (content, zipError) = SafeZip.Read(zip, policy.ZipLimits);
        if (zipError is not null) return (null, zipError);

        var jsonName = name + ".json";
        var filesNumber = 0;
        ZipEntryData? manifestEntry = null;
        foreach (var entry in content!.Entries)
        {
            filesNumber++;
            if (entry.Name == jsonName)
            {
                manifestEntry = entry;
                break;
            }
        }
        if (manifestEntry is null) return (null, $"missing or invalid json file {jsonName}, found {filesNumber} files in total");

        var manifestText = System.Text.Encoding.UTF8.GetString(manifestEntry.Content);
        var manifestError = ManifestShape.Check(manifestText);
        if (manifestError is not null) return (null, manifestError);
        using var document = GoShape.Parse(manifestText);
        var root = document.RootElement;
        // eKuiper fills the name in before decoding: a manifest without one is named after the plugin.
        var manifestName = GoRead.String(root, "name", initial: name);
        var language = GoRead.String(root, "language");
        var executable = GoRead.String(root, "executable");
        var sources = GoRead.Strings(root, "sources");
        var sinks = GoRead.Strings(root, "sinks");
        var functions = GoRead.Strings(root, "functions");

        if (manifestName != name) return (null, $"invalid plugin, expect name '{name}' but got '{manifestName}'");
        if (language.Length == 0) return (null, "invalid plugin, missing language");
        if (executable.Length == 0) return (null, "invalid plugin, missing executable");
        if (sources.Count + sinks.Count + functions.Count == 0) return (null, "invalid plugin, must define at lease one source, sink or function");
        if (!Languages.Contains(language)) return (null, $"invalid plugin, language '{language}' is not supported");
        if (installed.Find(ArtefactKind.PortablePlugin, manifestName) is not null) return (null, $"portable plugin {manifestName} already exists");

        var required = new List<string> { jsonName, executable };
        required.AddRange(sources.Select(s => $"sources/{s}.yaml"));

        var files = new List<PlannedFile>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var needInstall = false;
        foreach (var entry in content.Entries)
        {
            var fileName = entry.Path;
            if (fileName.StartsWith("sources/", StringComparison.Ordinal) || fileName.StartsWith("sinks/", StringComparison.Ordinal) || fileName.StartsWith("functions/", StringComparison.Ordinal))
            {
                if (!entry.IsDirectory) files.Add(new PlannedFile(fileName, entry.Content, entry.UnixMode));
            }
            else
            {
                if (fileName == "install.sh") needInstall = true;
                if (!entry.IsDirectory) files.Add(new PlannedFile($"plugins/portable/{name}/{fileName}", entry.Content, entry.UnixMode));
            }
            if (!entry.IsDirectory) present.Add(fileName);
        }
        foreach (var file in required)
            if (!present.Contains(file)) return (null, $"missing {file}");

        InstallScript? script = null;
        var notes = new List<string>();
        if (needInstall)
        {
            if (policy.AllowInstallScripts) script = new InstallScript($"plugins/portable/{name}", [], descriptor.ShellParas, ScriptFailureStyle.Verbose);
            else if (descriptor.ShellParas.Count > 0) return (null, ArtefactPolicy.InstallScriptsDisabled);
            else notes.Add($"install.sh of portable plugin {name} was not run: {ArtefactPolicy.InstallScriptsDisabled}");
        }

        var plan = new ArtefactPlan(ArtefactKind.PortablePlugin, key, name, descriptor.InstallDescriptor(withFunctions: false), files,
            GoRead.String(root, "version") is { Length: > 0 } v ? v : null, new ArtefactProvides(sources, sinks, functions), script, notes);
        return (plan, null);
    }
}
