using System.Diagnostics;
using System.Security.Cryptography;

namespace Kuiper.Tests.Harness;

/// <summary>
/// A private network for the partition tests: one Linux network namespace per node, each with a veth pair whose
/// other end is on a bridge in the root namespace. The bridge holds <see cref="BridgeAddress"/> (the test process
/// and PostgreSQL are reached there); node <c>i</c> has <see cref="Addresses"/>[i]. Every name carries a random tag,
/// so parallel runs and leftovers never collide; the subnet is <c>10.199.X.0/24</c> with an X no interface uses.
/// <see cref="CutAsync"/> isolates one node from the other nodes only (blackhole routes in each namespace), so it
/// still reaches PostgreSQL and the test process. Needs root and iproute2 (<see cref="Unavailable"/>).
/// </summary>
public sealed class NamespaceNetwork : IAsyncDisposable
{
    private const string Prefix = "kp";
    private static readonly string OwnersDir = Path.Combine(Path.GetTempPath(), "kuiper-netns");
    private readonly HashSet<int> _cut = [];

    private NamespaceNetwork(string tag, int subnet, int size)
    {
        Tag = tag;
        BridgeAddress = $"10.199.{subnet}.1";
        Namespaces = Enumerable.Range(0, size).Select(i => $"{Prefix}n{tag}-{i}").ToList();
        Addresses = Enumerable.Range(0, size).Select(i => $"10.199.{subnet}.{10 + i}").ToList();
    }

    /// <summary>The full path of iproute2's <c>ip</c> (the test host's PATH may lack /usr/sbin), or null.</summary>
    private static readonly string? IpPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Append("/usr/sbin").Append("/sbin")
        .Where(dir => dir.Length > 0).Select(dir => Path.Combine(dir, "ip")).FirstOrDefault(File.Exists);

    private static string Ip => IpPath ?? throw new InvalidOperationException(Unavailable);

    /// <summary>Why these tests cannot run here (not Linux, not root, no <c>ip</c>), or null when they can.</summary>
    public static string? Unavailable { get; } = FindUnavailable();

    /// <summary>Five random characters in every name of this network (interface names have at most 15).</summary>
    public string Tag { get; }

    public string Bridge => $"{Prefix}b{Tag}";
    public string BridgeAddress { get; }

    /// <summary>The bridge address with the subnet's prefix length, as <c>scripts/postgres.sh start DIR ADDRESS/PREFIX</c> takes it.</summary>
    public string BridgeCidr => BridgeAddress + "/24";

    public IReadOnlyList<string> Namespaces { get; }
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The nodes cut off right now.</summary>
    public IReadOnlyCollection<int> Cut { get { lock (_cut) return [.. _cut]; } }

    /// <summary>The command prefix that runs a program in node <paramref name="node"/>'s namespace (it execs, it does not fork).</summary>
    public IReadOnlyList<string> ExecPrefix(int node) => [Ip, "netns", "exec", Namespaces[node]];

    private string RootVeth(int node) => $"{Prefix}v{Tag}{node}";
    private string InnerVeth(int node) => $"{Prefix}w{Tag}{node}";

    public static async Task<NamespaceNetwork> CreateAsync(int size)
    {
        if (Unavailable is { } reason) throw new InvalidOperationException(reason);
        if (size is < 1 or > 200) throw new ArgumentOutOfRangeException(nameof(size));
        await SweepLeftoversAsync();

        var used = await IpAsync("-4", "-o", "addr", "show");
        var free = Enumerable.Range(0, 256).Where(x => !used.Contains($" 10.199.{x}.")).ToList();
        if (free.Count == 0) throw new InvalidOperationException("no free 10.199.X.0/24 subnet");
        var network = new NamespaceNetwork(NewTag(), free[RandomNumberGenerator.GetInt32(free.Count)], size);
        Directory.CreateDirectory(OwnersDir);
        await File.WriteAllTextAsync(Path.Combine(OwnersDir, network.Tag), Environment.ProcessId.ToString());
        try
        {
            await IpAsync("link", "add", network.Bridge, "type", "bridge");
            await IpAsync("addr", "add", network.BridgeCidr, "dev", network.Bridge);
            await IpAsync("link", "set", network.Bridge, "up");
            for (var i = 0; i < size; i++)
            {
                var ns = network.Namespaces[i];
                await IpAsync("netns", "add", ns);
                await IpAsync("link", "add", network.RootVeth(i), "type", "veth", "peer", "name", network.InnerVeth(i));
                await IpAsync("link", "set", network.InnerVeth(i), "netns", ns);
                await IpAsync("link", "set", network.RootVeth(i), "master", network.Bridge);
                await IpAsync("link", "set", network.RootVeth(i), "up");
                await IpAsync("-n", ns, "link", "set", "lo", "up");
                await IpAsync("-n", ns, "addr", "add", network.Addresses[i] + "/24", "dev", network.InnerVeth(i));
                await IpAsync("-n", ns, "link", "set", network.InnerVeth(i), "up");
            }
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
        return network;
    }

    /// <summary>
    /// Cuts node <paramref name="node"/> off the other nodes, both ways: a blackhole route in its namespace for every
    /// other node's address, and one in every other namespace for its address. The bridge address stays reachable.
    /// </summary>
    public async Task CutAsync(int node)
    {
        lock (_cut)
            if (!_cut.Add(node)) throw new InvalidOperationException($"node {node} is already cut off");
        foreach (var (ns, address) in CutRoutes(node)) await IpAsync("-n", ns, "route", "add", "blackhole", address + "/32");
    }

    /// <summary>Undoes <see cref="CutAsync"/>.</summary>
    public async Task HealAsync(int node)
    {
        lock (_cut)
            if (!_cut.Remove(node)) throw new InvalidOperationException($"node {node} is not cut off");
        foreach (var (ns, address) in CutRoutes(node)) await IpAsync("-n", ns, "route", "del", "blackhole", address + "/32");
    }

    private IEnumerable<(string Namespace, string Address)> CutRoutes(int node)
    {
        for (var other = 0; other < Namespaces.Count; other++)
        {
            if (other == node) continue;
            yield return (Namespaces[node], Addresses[other]);
            yield return (Namespaces[other], Addresses[node]);
        }
    }

    /// <summary>Whether a TCP connection from node <paramref name="node"/>'s namespace to host:port succeeds within 2 s.</summary>
    public async Task<bool> CanConnectAsync(int node, string host, int port)
    {
        var (code, _, _) = await RunAsync(Ip, ["netns", "exec", Namespaces[node], "timeout", "2", "bash", "-c",
            $"exec 3<>/dev/tcp/{host}/{port}"]);
        return code == 0;
    }

    /// <summary>What is left of this network on the machine (namespaces and links carrying its tag): empty after disposal.</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync()
    {
        var names = await IpAsync("netns", "list") + "\n" + await IpAsync("-o", "link", "show");
        return names.Split('\n').Where(line => line.Contains(Tag, StringComparison.Ordinal)).ToList();
    }

    public async ValueTask DisposeAsync() => await RemoveAsync(Tag);

    /// <summary>Kills what still runs in the namespaces, deletes them (their veth pairs go with them) and the bridge.</summary>
    private static async Task RemoveAsync(string tag)
    {
        var namespaces = (await RunAsync(Ip, ["netns", "list"])).Output.Split('\n')
            .Select(line => line.Split(' ', 2)[0])
            .Where(name => name.StartsWith($"{Prefix}n{tag}-", StringComparison.Ordinal));
        foreach (var ns in namespaces)
        {
            var pids = (await RunAsync(Ip, ["netns", "pids", ns])).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var pid in pids)
                try { using var process = Process.GetProcessById(int.Parse(pid)); process.Kill(entireProcessTree: true); }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException) { }
            await RunAsync(Ip, ["netns", "del", ns]);
        }
        // "7: kpvabcde0@if6: <BROADCAST,...": the veths left in the root namespace, then the bridge.
        var links = (await RunAsync(Ip, ["-o", "link", "show"])).Output.Split('\n')
            .Select(line => line.Split(':', 3) is [_, var name, _] ? name.Trim().Split('@')[0] : "")
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length + 1 && name[(Prefix.Length + 1)..].StartsWith(tag, StringComparison.Ordinal))
            .OrderBy(name => name[Prefix.Length] == 'b');
        foreach (var link in links) await RunAsync(Ip, ["link", "del", link]);
        try { File.Delete(Path.Combine(OwnersDir, tag)); } catch (IOException) { }
    }

    /// <summary>Removes the networks of test processes that died without cleaning up (killed runs).</summary>
    private static async Task SweepLeftoversAsync()
    {
        if (!Directory.Exists(OwnersDir)) return;
        foreach (var file in Directory.GetFiles(OwnersDir))
        {
            var owner = int.TryParse(await File.ReadAllTextAsync(file), out var pid) ? pid : -1;
            if (owner > 0 && Directory.Exists($"/proc/{owner}")) continue;
            await RemoveAsync(Path.GetFileName(file));
        }
    }

    private static string NewTag()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return new string(Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
    }

    private static async Task<string> IpAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(Ip, args);
        if (code != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {error.Trim()}");
        return output;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static string? FindUnavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (!Environment.IsPrivilegedProcess) return "network namespaces need root (the partition tests run as root in CI)";
        return IpPath is null ? "iproute2's ip is not installed (apt-get install iproute2)" : null;
    }
}

/// <summary>A fact that needs <see cref="NamespaceNetwork"/>: skipped, with the reason, where namespaces cannot be made.</summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (NamespaceNetwork.Unavailable is { } reason) Skip = reason;
    }
}
