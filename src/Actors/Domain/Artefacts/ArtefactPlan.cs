using System.Security.Cryptography;
using System.Text;
using Kuiper.Domain.Artefacts.Archives;

namespace Kuiper.Domain.Artefacts;

/// <summary>The bundle kinds that carry files (and scripts, which carry code).</summary>
public enum ArtefactKind
{
    /// <summary><c>nativePlugins</c>: Go <c>.so</c> plugins.</summary>
    NativePlugin,

    /// <summary><c>portablePlugins</c>: executables speaking eKuiper's plugin protocol.</summary>
    PortablePlugin,

    /// <summary><c>Service</c>: external service descriptors and their schema files.</summary>
    Service,

    /// <summary><c>Schema</c>: protobuf or custom schemas.</summary>
    Schema,

    /// <summary><c>uploads</c>: files under <c>&lt;DataDir&gt;/uploads</c>.</summary>
    Upload,

    /// <summary><c>scripts</c>: JavaScript functions.</summary>
    Script,
}

/// <summary>One file to install, at a path relative to the node's data dir (<c>/</c>-separated, checked).</summary>
/// <param name="Path">Relative to the data dir, e.g. <c>plugins/sinks/tdengine.so</c>.</param>
/// <param name="Content">The bytes.</param>
/// <param name="UnixMode">Permission bits (e.g. <c>0755</c> for an executable); null: <c>0644</c>.</param>
public sealed record PlannedFile(string Path, byte[] Content, int? UnixMode = null)
{
    /// <summary>Hex SHA-256 of the content.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary>What an artefact contributes to SQL: source, sink and function names.</summary>
public sealed record ArtefactProvides(IReadOnlyList<string> Sources, IReadOnlyList<string> Sinks, IReadOnlyList<string> Functions)
{
    public static ArtefactProvides None { get; } = new([], [], []);
}

/// <summary>How a failed install script is reported.</summary>
public enum ScriptFailureStyle
{
    /// <summary>Native plugins: <c>fail to install plugin: exit status 1</c>.</summary>
    ExitStatus,

    /// <summary>Portable plugins: <c>fail to install plugin: err:exit status 1 stdout:... stderr:...</c>.</summary>
    Verbose,
}

/// <summary>
/// An <c>install.sh</c> to run as <c>/bin/sh install.sh &lt;arguments&gt;</c>. Only ever planned when the node allows
/// install scripts (<c>Kuiper:Security:AllowInstallScripts</c>).
/// </summary>
/// <param name="WorkingDirectory">
/// Data-dir-relative folder of the plan (e.g. <c>plugins/portable/pysam</c>) it runs in, staged copy; null: a
/// scratch folder holding <paramref name="ScratchFiles"/> (native plugins), removed afterwards.
/// </param>
/// <param name="ScratchFiles">Files (relative to the scratch folder) that exist only while the script runs.</param>
/// <param name="Arguments">The <c>shellParas</c>.</param>
/// <param name="FailureStyle">How a failure is worded.</param>
public sealed record InstallScript(string? WorkingDirectory, IReadOnlyList<PlannedFile> ScratchFiles, IReadOnlyList<string> Arguments, ScriptFailureStyle FailureStyle);

/// <summary>
/// A validated artefact, ready for <see cref="Installing.ArtefactInstaller"/>: every file it installs (paths relative
/// to a node's data dir), and the install descriptor that export returns for it.
/// </summary>
public sealed record ArtefactPlan
{
    public ArtefactPlan(
        ArtefactKind kind,
        string bundleKey,
        string installKey,
        string descriptor,
        IReadOnlyList<PlannedFile> files,
        string? version = null,
        ArtefactProvides? provides = null,
        InstallScript? installScript = null,
        IReadOnlyList<string>? notes = null)
    {
        Kind = kind;
        BundleKey = bundleKey;
        InstallKey = installKey;
        Descriptor = descriptor;
        // The last file planned for a path wins, as the last write would on disk.
        Files = files.GroupBy(f => f.Path, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        foreach (var file in Files)
        {
            var check = SafeZip.CheckName(file.Path);
            if (check is not null || file.Path != SafeZip.CleanPath(file.Path))
                throw new ArgumentException($"Planned path {file.Path} is not a clean relative path.", nameof(files));
        }
        Version = version;
        Provides = provides ?? ArtefactProvides.None;
        InstallScript = installScript;
        Notes = notes ?? [];
        ContentHash = ComputeHash();
    }

    public ArtefactKind Kind { get; }

    /// <summary>The key the item had in the bundle.</summary>
    public string BundleKey { get; }

    /// <summary>
    /// The key it is installed and exported under: <c>&lt;type&gt;_&lt;name&gt;</c> for native plugins and schemas, the
    /// name for portable plugins, services and uploads, the id for scripts.
    /// </summary>
    public string InstallKey { get; }

    /// <summary>The install descriptor export returns under <see cref="InstallKey"/> (a JSON string, Go-marshalled).</summary>
    public string Descriptor { get; }

    /// <summary>Files to install, relative to the data dir; no two with the same path.</summary>
    public IReadOnlyList<PlannedFile> Files { get; }

    /// <summary>Native plugin version (after <c>@</c> in the <c>.so</c> name) or schema version; null when none.</summary>
    public string? Version { get; }

    public ArtefactProvides Provides { get; }

    /// <summary>The install script to run, only when the node allows it.</summary>
    public InstallScript? InstallScript { get; }

    /// <summary>Things worth logging (e.g. an <c>install.sh</c> that was not run).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Hex SHA-256 over everything that decides what ends up on disk and in export.</summary>
    public string ContentHash { get; }

    private string ComputeHash()
    {
        var sb = new StringBuilder();
        sb.Append(Kind).Append('\n').Append(InstallKey).Append('\n').Append(Descriptor).Append('\n');
        foreach (var file in Files.OrderBy(f => f.Path, StringComparer.Ordinal))
            sb.Append(file.Path).Append('\0').Append(file.UnixMode).Append('\0').Append(file.Sha256).Append('\n');
        if (InstallScript is { } script)
        {
            sb.Append("script:").Append(script.WorkingDirectory).Append('\0').AppendJoin('\0', script.Arguments).Append('\n');
            foreach (var file in script.ScratchFiles.OrderBy(f => f.Path, StringComparer.Ordinal))
                sb.Append(file.Path).Append('\0').Append(file.Sha256).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
