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

    /// <summary>The full commit id of the previous release.</summary>
    public static string PreviousCommit { get; } =
        File.ReadAllText(Path.Combine(NodeBuild.RepoRoot, "compat", "previous-release")).Trim();
}
