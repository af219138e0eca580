using System.Text.RegularExpressions;
using Akka.Util;
using Kuiper.Actors.Releases;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Releases;

/// <summary>The bookkeeping of releases (docs/releases.md#making-a-release), read from the repository and its history.</summary>
public sealed class ReleaseRuleTests
{
    private static readonly string Changelog = File.ReadAllText(Path.Combine(NodeBuild.RepoRoot, "CHANGELOG.md"));

    [Fact]
    public void The_version_is_semantic_newer_than_the_previous_release_and_the_one_the_build_carries()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", RepositoryRelease.Version);
        Assert.True(AppVersion.Create(RepositoryRelease.Version).CompareTo(AppVersion.Create(RepositoryRelease.PreviousVersion)) > 0,
            $"{RepositoryRelease.Version} is not newer than the previous release {RepositoryRelease.PreviousVersion}");
        Assert.Equal(RepositoryRelease.Version, ThisRelease.Version);
        Assert.Equal(RepositoryRelease.Version, ThisRelease.AppVersion.Version);
    }

    [Fact]
    public void The_previous_release_is_one_full_commit_id_of_this_history()
    {
        var text = File.ReadAllText(Path.Combine(NodeBuild.RepoRoot, "compat", "previous-release"));

        Assert.Matches("^[0-9a-f]{40}\n$", text);
        // An ancestor of what is built: a release from another branch could not be rolled from here.
        RepositoryRelease.Git("merge-base", "--is-ancestor", RepositoryRelease.PreviousCommit, "HEAD");
    }

    [Fact]
    public void The_changelog_says_what_changed_and_how_to_upgrade_and_roll_back_from_the_previous_release()
    {
        var section = Section(RepositoryRelease.Version);

        Assert.Contains("### Changed", section);
        Assert.Contains($"### Upgrading from {RepositoryRelease.PreviousVersion}", section);
        Assert.Contains($"### Rolling back to {RepositoryRelease.PreviousVersion}", section);
        Assert.NotEmpty(Section(RepositoryRelease.PreviousVersion));
    }

    /// <summary>The text under <c>## version</c>, up to the next release's heading.</summary>
    private static string Section(string version)
    {
        var match = Regex.Match(Changelog, $@"(?ms)^## {Regex.Escape(version)} \(.*?(?=^## |\z)");
        Assert.True(match.Success, $"CHANGELOG.md has no section '## {version} (...)'");
        return match.Value;
    }
}
