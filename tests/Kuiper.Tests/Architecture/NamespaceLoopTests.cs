using System.Text.RegularExpressions;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Architecture;

/// <summary>
/// The folders of <c>src/Actors</c> and <c>src/Node</c> depend on each other one way only (hosting composes features,
/// features never use hosting; imports use partitions, never the reverse): a newcomer can read them bottom up. Read from
/// each file's <c>using</c> lines.
/// </summary>
public sealed partial class NamespaceLoopTests
{
    [GeneratedRegex(@"^namespace (Kuiper\.[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (Kuiper\.(?:Actors|Node)[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var project in new[] { "Actors", "Node" })
        {
            var root = Path.Combine(NodeBuild.RepoRoot, "src", project);
            foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file);
                if (relative.StartsWith("Domain", StringComparison.Ordinal) || relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                    continue;
                var text = File.ReadAllText(file);
                if (NamespaceLine().Match(text) is not { Success: true } ns) continue;
                var from = ns.Groups[1].Value;
                if (!graph.TryGetValue(from, out var uses)) graph[from] = uses = new HashSet<string>(StringComparer.Ordinal);
                foreach (Match used in UsingLine().Matches(text))
                    if (used.Groups[1].Value != from) uses.Add(used.Groups[1].Value);
            }
        }
        return graph;
    }

    [Fact]
    public void No_namespace_of_the_actors_or_the_node_reaches_itself_through_another()
    {
        var graph = Dependencies();
        var loops = new List<string>();
        foreach (var start in graph.Keys)
        {
            // Depth-first from each namespace: a path back to it is a loop.
            var stack = new Stack<List<string>>([[start]]);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (stack.TryPop(out var path))
                foreach (var next in graph.GetValueOrDefault(path[^1]) ?? [])
                {
                    if (next == start) loops.Add(string.Join(" -> ", path.Append(next)));
                    else if (seen.Add(next)) stack.Push([.. path, next]);
                }
        }
        Assert.Empty(loops.Distinct());
    }

    [Fact]
    public void The_scan_sees_the_known_one_way_dependencies()
    {
        var graph = Dependencies();

        Assert.Contains("Kuiper.Actors.Partitions", graph["Kuiper.Actors.Imports"]);
        Assert.Contains("Kuiper.Actors.Imports", graph["Kuiper.Actors.Hosting"]);
    }
}
