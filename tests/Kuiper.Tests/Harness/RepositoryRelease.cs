using System.Xml.Linq;

namespace Kuiper.Tests.Harness;

/// <summary>
/// The release the repository describes, read from its own files rather than from the build under test: the version of
/// <c>Directory.Build.props</c> and the previous release named in <c>compat/previous-release</c>.
/// </summary>
public static class RepositoryRelease
{
    public static string Version { get; } =
        XDocument.Load(Path.Combine(NodeBuild.RepoRoot, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();

    /// <summary><c>compat/previous-release</c>: the previous release's full commit id, one line.</summary>
    public static string PreviousCommitFile { get; } = Path.Combine(NodeBuild.RepoRoot, "compat", "previous-release");

    /// <summary>The full commit id of the previous release.</summary>
    public static string PreviousCommit { get; } = File.ReadAllText(PreviousCommitFile).Trim();

    /// <summary>The previous release's version: the <c>Directory.Build.props</c> of its commit, from the clone's history.</summary>
    public static string PreviousVersion => _previousVersion.Value;

    private static readonly Lazy<string> _previousVersion = new(() =>
        XDocument.Parse(Git("show", $"{PreviousCommit}:Directory.Build.props")).Descendants("Version").Single().Value.Trim());

    /// <summary>Runs git in the repository; fails with git's own words (e.g. a shallow clone without the previous release).</summary>
    public static string Git(params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = NodeBuild.RepoRoot };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var git = System.Diagnostics.Process.Start(info)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({git.ExitCode}): {error.Trim()} (the tests need a clone with its full history)");
        return output.Result;
    }
}
