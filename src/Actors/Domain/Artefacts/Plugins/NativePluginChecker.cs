using Kuiper.Domain.GoCompat;
using System.Text.RegularExpressions;
using Kuiper.Domain.Artefacts.Archives;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Domain.Artefacts.Plugins;

/// <summary>
/// <c>nativePlugins</c> items (eKuiper's native plugin <c>Register</c> and <c>install</c>): key
/// <c>&lt;type&gt;_&lt;name&gt;</c>, value <c>{"name","file","shellParas"}</c> (+ <c>"functions"</c> for functions).
/// </summary>
/// <remarks>
/// <para>Descriptor only: value JSON, name, URI, duplicate name, function symbols taken. Archive: unsafe entries,
/// the <c>.so</c> (and a source's yaml), install script.</para>
/// <para>Layout under the data dir: <c>plugins/&lt;type&gt;/&lt;name&gt;[@version].so</c>,
/// <c>sources/&lt;name&gt;.yaml</c> (sources), <c>&lt;type&gt;/&lt;name&gt;.json</c> (UI metadata),
/// <c>&lt;type&gt;/&lt;name&gt;/…</c> (the zip's <c>etc/</c> folder). eKuiper writes the yaml, json and <c>etc/</c>
/// files twice (etc and data folders); a node has one data dir, so once. Other entries exist only while
/// <c>install.sh</c> runs.</para>
/// <para>Not checked (no Go runtime here): that the <c>.so</c> opens (<c>cannot open &lt;path&gt;: …</c>).</para>
/// </remarks>
public sealed class NativePluginChecker(ArtefactPolicy policy) : IArtefactChecker
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["sources"] = "sources",
        ["sinks"] = "sinks",
        ["functions"] = "functions",
    };

    public ArtefactKind Kind => ArtefactKind.NativePlugin;

    /// <summary>
    /// The plugin type a bundle key names: the text before the first <c>_</c>; anything unknown is <c>sources</c>,
    /// as in eKuiper (whose map lookup yields its zero value).
    /// </summary>
    public static string TypeOf(string key)
    {
        var prefix = key.Split('_')[0];
        return Types.GetValueOrDefault(prefix, "sources");
    }

    public DescriptorCheck CheckDescriptor(string key, string value, IInstalledArtefacts installed)
    {
        var (error, descriptor, _, _) = Describe(key, value, installed);
        return error is not null ? DescriptorCheck.Fail(error) : DescriptorCheck.Fetch(descriptor!.File);
    }

    public CheckResult Check(string key, string value, IInstalledArtefacts installed, IReadOnlyDictionary<string, FetchResult> fetched)
    {
        var (error, descriptor, type, name) = Describe(key, value, installed);
        if (error is not null) return CheckResult.Fail(error);
        if (!fetched.TryGetValue(descriptor!.File, out var download)) throw new ArgumentException($"{descriptor.File} was not fetched.", nameof(fetched));
        if (!download.Succeeded) return CheckResult.Fail(descriptor.DownloadFailed(download));

        // Function symbols are registered before the archive is looked at.
        var symbols = type == "functions" ? (descriptor.Functions.Count > 0 ? descriptor.Functions : [name]) : [];
        var taken = installed.All(ArtefactKind.NativePlugin)
            .Where(p => p.InstallKey != $"{type}_{name}")
            .SelectMany(p => p.Provides.Functions)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var symbol in symbols)
            if (!taken.Add(symbol)) return CheckResult.Fail($"function name {symbol} already exists");

        var (plan, installError) = Install(key, descriptor, type, name, download.Bytes!, symbols);
        return installError is not null ? CheckResult.Fail($"fail to install plugin: {installError}") : CheckResult.Ok(plan!);
    }

    private static (string? Error, PluginDescriptor? Descriptor, string Type, string Name) Describe(string key, string value, IInstalledArtefacts installed)
    {
        var type = TypeOf(key);
        var (descriptor, parseError) = PluginDescriptor.Parse(value, functionPlugin: type == "functions");
        if (parseError is not null) return (parseError, null, type, "");
        var nameError = descriptor!.CheckNameAndUri(out var name);
        if (nameError is not null) return (nameError, null, type, name);
        if (installed.Find(ArtefactKind.NativePlugin, $"{type}_{name}") is not null) return ($"invalid name {name}: duplicate", null, type, name);
        return (null, descriptor, type, name);
    }

    private (ArtefactPlan? Plan, string? Error) Install(string key, PluginDescriptor descriptor, string type, string name, byte[] zip, IReadOnlyList<string> symbols)
    {
        var (content, zipError) = SafeZip.Read(zip, policy.ZipLimits);
        if (zipError is not null) return (null, zipError);

        var haveInstallFile = content!.Entries.Any(e => e.Name == "install.sh");
        if (descriptor.ShellParas.Count > 0 && !haveInstallFile)
            return (null, $"have shell parameters : {GoShape.FormatList(descriptor.ShellParas)} but no install.sh file");

        var soPattern = new Regex($"^(({name})|({UpperFirst(name)}))(@.*)?\\.so$", RegexOptions.CultureInvariant);
        var yamlFile = type == "sources" ? name + ".yaml" : null;
        var expectFiles = type == "sources" ? 3 : 1;
        // The counted paths, worded like eKuiper's (its etc, data and plugins folders).
        var filenames = new List<string>();
        var zipFiles = new List<string>();
        var files = new List<PlannedFile>();
        var scratch = new List<PlannedFile>();
        bool yamlChecked = false, soChecked = false;
        string? version = null;

        foreach (var entry in content.Entries)
        {
            zipFiles.Add(entry.Name);
            var fileName = entry.Name;
            if (yamlFile is not null && fileName == yamlFile)
            {
                yamlChecked = true;
                filenames.Add($"etc/{type}/{yamlFile}");
                filenames.Add($"data/{type}/{yamlFile}");
                files.Add(new PlannedFile($"{type}/{yamlFile}", entry.Content));
            }
            else if (fileName == name + ".json")
            {
                files.Add(new PlannedFile($"{type}/{fileName}", entry.Content));
            }
            else if (soPattern.IsMatch(fileName))
            {
                filenames.Add($"plugins/{type}/{fileName}");
                if (!entry.IsDirectory) files.Add(new PlannedFile($"plugins/{type}/{entry.Path}", entry.Content, entry.UnixMode));
                version = VersionOf(fileName);
                soChecked = true;
            }
            else if (fileName.StartsWith("etc/", StringComparison.Ordinal))
            {
                var rest = SafeZip.CleanPath(fileName["etc/".Length..]);
                if (!entry.IsDirectory && rest.Length > 0) files.Add(new PlannedFile($"{type}/{name}/{rest}", entry.Content, entry.UnixMode));
            }
            else if (!entry.IsDirectory)
            {
                scratch.Add(new PlannedFile(entry.Path, entry.Content, entry.UnixMode));
            }
        }

        if (filenames.Count != expectFiles)
            return (null, $"invalid zip file: expectFiles: {expectFiles}, got filenames:{GoShape.FormatList(filenames)}, zipFiles: {GoShape.FormatList(zipFiles)}, yamlFileChecked:{GoBool(yamlChecked)}, soFileChecked:{GoBool(soChecked)}");

        InstallScript? script = null;
        var notes = new List<string>();
        if (haveInstallFile)
        {
            if (policy.AllowInstallScripts) script = new InstallScript(null, scratch, descriptor.ShellParas, ScriptFailureStyle.ExitStatus);
            else if (descriptor.ShellParas.Count > 0) return (null, ArtefactPolicy.InstallScriptsDisabled);
            else notes.Add($"install.sh of native plugin {type}_{name} was not run: {ArtefactPolicy.InstallScriptsDisabled}");
        }

        var provides = type switch
        {
            "sources" => new ArtefactProvides([name], [], []),
            "sinks" => new ArtefactProvides([], [name], []),
            _ => new ArtefactProvides([], [], symbols),
        };
        var plan = new ArtefactPlan(ArtefactKind.NativePlugin, key, $"{type}_{name}", descriptor.InstallDescriptor(withFunctions: true),
            files, string.IsNullOrEmpty(version) ? null : version, provides, script, notes);
        return (plan, null);
    }

    /// <summary>eKuiper's <c>parseName</c>: the text between <c>@</c> and <c>.so</c>.</summary>
    private static string VersionOf(string fileName)
    {
        var stem = fileName.Split(".so")[0];
        var parts = stem.Split('@');
        return parts.Length > 1 ? parts[1] : "";
    }

    private static string UpperFirst(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string GoBool(bool b) => b ? "true" : "false";
}
