using System.Text.RegularExpressions;

namespace Kuiper.Tests.Architecture;

/// <summary>
/// One class reaches the coordinator from the edge: <c>CoordinatorClient</c>, made by the coordinator's hosting extension.
/// Any other file that looks the coordinator up (its registry entry, or a history request used as a ping) is a second road.
/// </summary>
public sealed partial class OneWayToTheCoordinatorTests
{
    [GeneratedRegex(@"IRequiredActor<ImportCoordinator>|(Get|GetAsync|TryGet)<ImportCoordinator>|new GetImportHistory\(0\)")]
    private static partial Regex CoordinatorLookup();

    [Fact]
    public void Only_the_coordinator_client_s_hosting_looks_the_coordinator_up()
    {
        var root = Path.Combine(Harness.NodeBuild.RepoRoot, "src");
        var lookups = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Where(f => CoordinatorLookup().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

        Assert.Equal(["Actors/Hosting/CoordinatorHostingExtensions.cs"], lookups);
    }
}
