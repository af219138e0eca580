using Kuiper.Bench;

// Issue 15's figures in one run, one key=value line each, then a summary against its targets (informational:
// the exit code is 0 whatever the figures). Usage: see BenchOptions.Usage (--help).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine($"{e.Message}\n{BenchOptions.Usage}");
    return 2;
}
Console.WriteLine($"node: {options.NodeDll}");
// Others may share the machine: the load tells how far to trust the figures.
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Load()}");
Cleanup.HandleSignals();
if (options.SecretsKey)
{
    // One key for every node of the run, as a cluster shares it: the bench bundle's passwords are sealed at rest.
    var keyFile = Path.Combine(Path.GetTempPath(), $"kuiper-bench-{Guid.NewGuid():N}.key");
    File.WriteAllText(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
    Cleanup.Register($"key file {keyFile}", () => File.Delete(keyFile));
    NodeUnderTest.CommonArgs = [$"--Kuiper:Security:SecretsKeyFile={keyFile}"];
    Console.WriteLine("secrets: sealed at rest with a fresh key");
}

ColdFigures? cold = null;
WarmFigures? warm = null;
BigMemoryFigures? big = null;
ClusterFigures? cluster = null;
try
{
    if (options.Single)
    {
        cold = await ColdStart.RunAsync(options);
        warm = await WarmImport.RunAsync(options);
        big = await MemoryFigures.RunAsync(options);
    }
    if (options.Cluster) cluster = await ClusterBench.RunAsync(options);
}
finally
{
    Cleanup.RunAll();
}
Summary.Print(cold, warm, big, cluster);
Console.WriteLine($"machine at the end: {Load()}");
return 0;

static string Load() => File.Exists("/proc/loadavg")
    ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
    : "load average unknown";
