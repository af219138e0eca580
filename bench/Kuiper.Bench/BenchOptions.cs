namespace Kuiper.Bench;

/// <summary>The command line of the bench (see <see cref="Usage"/>).</summary>
public sealed record BenchOptions(
    int N, int Runs, int WarmUps, bool Vary, string NodeDll, int Starts, bool Single, bool Cluster, int BigN, int BigTimeoutSeconds,
    bool SecretsKey = false)
{
    public const string Usage = """
        dotnet run -c Release --no-build --project bench/Kuiper.Bench -- [options]
          (default)          single-node figures on SQLite: cold start, idle memory, first cold import, warm import/export, memory after 100k
          --cluster          cluster figures instead, on PostgreSQL ($KUIPER_TEST_POSTGRES, else a private server): one node vs 3 nodes, exports via the coordinator's node and another, and a big import
          --all              both, one summary
          --n N              resources of the warm and cluster bundles (10000)
          --runs R           counted runs after the warm-up, of imports and of cluster exports (7; --quick 3)
          --warmup W         uncounted imports (and cluster exports) before the counted runs, after which the nodes settle (5; --quick 1)
          --starts K         rounds of the cold figures, two fresh processes each: one idles, one imports (5; --quick 2)
          --vary             every warm run changes every definition
          --quick            fewer starts and runs, for a smoke run
          --big-n N          resources of the big cluster import (500000; 0 skips it)
          --big-timeout S    client timeout of the big import in seconds (300)
          --node PATH        the Kuiper.Node.dll to measure (default: this checkout's Release build)
          --secrets-key      every node seals secrets with a fresh key file (Kuiper:Security:SecretsKeyFile): compare with a run without
        """;

    private static readonly string[] Flags = ["--cluster", "--all", "--vary", "--quick", "--secrets-key"];
    private static readonly string[] Valued = ["--n", "--runs", "--warmup", "--starts", "--big-n", "--big-timeout", "--node"];

    /// <summary>The options, or an <see cref="ArgumentException"/> naming the first one not understood.</summary>
    public static BenchOptions Parse(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (Valued.Contains(args[i]) && i + 1 < args.Length) i++;
            else if (!Flags.Contains(args[i])) throw new ArgumentException($"unknown option or missing value: {args[i]}");
        }
        var quick = args.Contains("--quick");
        var all = args.Contains("--all");
        var cluster = all || args.Contains("--cluster");
        var node = Value("--node");
        return new BenchOptions(
            N: Int("--n", 10_000),
            Runs: Int("--runs", quick ? 3 : 7),
            WarmUps: AtLeastOne("--warmup", Int("--warmup", quick ? 1 : 5)),
            Vary: args.Contains("--vary"),
            NodeDll: node is null ? FindNodeDll() : Existing(Path.GetFullPath(node)),
            Starts: Int("--starts", quick ? 2 : 5),
            Single: all || !cluster,
            Cluster: cluster,
            BigN: Int("--big-n", 500_000),
            BigTimeoutSeconds: Int("--big-timeout", 300),
            SecretsKey: args.Contains("--secrets-key"));

        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => Value(name) is { } text ? int.Parse(text) : fallback;

        static int AtLeastOne(string name, int value) => value >= 1 ? value : throw new ArgumentException($"{name} must be at least 1, not {value}");
    }

    /// <summary>The folder holding Kuiper.Actors.sln, above the bench's build output.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kuiper.Actors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Kuiper.Actors.sln not found");
    }

    private static string FindNodeDll()
    {
        var dll = Path.Combine(RepoRoot(), "src", "Node", "bin", "Release", "net10.0", "Kuiper.Node.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found: build the node first (dotnet build -c Release)", dll);
    }

    private static string Existing(string dll) =>
        File.Exists(dll) ? dll : throw new FileNotFoundException($"--node {dll}: no such file", dll);
}
