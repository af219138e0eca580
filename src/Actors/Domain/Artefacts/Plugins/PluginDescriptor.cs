using Kuiper.Domain.GoCompat;
using System.Text.Json;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Resources;

namespace Kuiper.Domain.Artefacts.Plugins;

/// <summary>
/// The install descriptor of a plugin, eKuiper's <c>plugin.IOPlugin</c> (<c>{"name","file","shellParas"}</c>) or, for a
/// native function plugin, <c>plugin.FuncPlugin</c> (plus <c>"functions"</c>).
/// </summary>
internal sealed record PluginDescriptor(string Name, string File, IReadOnlyList<string> ShellParas, IReadOnlyList<string> Functions)
{
    public static readonly GoShape IoPluginShape = GoShape.StructOf("plugin.IOPlugin",
        ("name", GoShape.String), ("file", GoShape.String), ("shellParas", GoShape.SliceOf(GoShape.String)));

    public static readonly GoShape FuncPluginShape = GoShape.StructOf("plugin.FuncPlugin",
        ("name", GoShape.String), ("file", GoShape.String), ("shellParas", GoShape.SliceOf(GoShape.String)),
        ("functions", GoShape.SliceOf(GoShape.String)));

    /// <summary>The value decoded like Go's <c>json.Unmarshal</c>, or its raw error text.</summary>
    public static (PluginDescriptor? Descriptor, string? Error) Parse(string value, bool functionPlugin)
    {
        var error = (functionPlugin ? FuncPluginShape : IoPluginShape).Check(value);
        if (error is not null) return (null, error);
        using var document = GoShape.Parse(value);
        var root = document.RootElement;
        return (new PluginDescriptor(
            GoRead.String(root, "name"),
            GoRead.String(root, "file"),
            GoRead.Strings(root, "shellParas"),
            functionPlugin ? GoRead.Strings(root, "functions") : []), null);
    }

    /// <summary>
    /// <c>Register</c>'s first checks, shared by native and portable plugins: the trimmed name, then (ours, as upstream
    /// does since #4144) that it is a valid id, then the URI: valid and ending in <c>.zip</c>.
    /// </summary>
    public string? CheckNameAndUri(out string trimmedName)
    {
        trimmedName = Name.Trim(' ');
        if (trimmedName.Length == 0) return $"invalid name {trimmedName}: should not be empty";
        // Names become file names: refuse what is not an id (eKuiper accepts "../x").
        var idError = ResourceId.Check(trimmedName);
        if (idError is not null) return idError;
        if (!GoUrl.IsValidUrl(File) || !File.EndsWith(".zip", StringComparison.Ordinal)) return $"invalid uri {File}";
        return null;
    }

    /// <summary>
    /// What export returns: Go's marshal of <c>IOPlugin</c>, <c>shellParas</c> omitted when empty. With
    /// <paramref name="withFunctions"/>, a non-empty <c>functions</c> list follows (eKuiper drops it).
    /// </summary>
    public string InstallDescriptor(bool withFunctions) => GoMarshal.Object(w =>
    {
        w.WriteString("name", Name);
        w.WriteString("file", File);
        if (ShellParas.Count > 0) GoMarshal.Strings(w, "shellParas", ShellParas);
        if (withFunctions && Functions.Count > 0) GoMarshal.Strings(w, "functions", Functions);
    });

    /// <summary>The error eKuiper gives for a download that failed.</summary>
    public string DownloadFailed(FetchResult result) => $"fail to download file {File}: {result.Error}";
}
