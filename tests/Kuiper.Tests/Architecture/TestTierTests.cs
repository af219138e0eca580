using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Architecture;

/// <summary>
/// Keeps the fast tier honest (docs/testing.md): a test class that starts a node process, reaches PostgreSQL, drives
/// the browser or makes network namespaces must carry <see cref="FullTierAttribute"/>, or the fast tier would run it.
/// The check reads the test assembly's IL: it follows every call, lambda and async body from each test class (its
/// methods, nested types, base classes and the fixtures its constructor takes) through the test assembly's own
/// helpers, and looks for the members that launch those things (<see cref="HeavyUse.Launchers"/>). A class in the
/// <see cref="NodeProcessCollection"/>, which runs one class at a time, is a node process test too.
/// </summary>
public sealed class TestTierTests
{
    private static readonly Assembly Tests = typeof(TestTierTests).Assembly;

    [Fact]
    public void Every_test_class_that_launches_a_node_postgres_a_browser_or_namespaces_is_in_the_full_tier()
    {
        var unmarked = TestClasses()
            .Where(c => c.GetCustomAttribute<FullTierAttribute>(inherit: false) is null)
            .Select(c => (Class: c, Path: HeavyUse.Why(c)))
            .Where(x => x.Path is not null)
            .Select(x => $"{x.Class.FullName} needs [FullTier(\"...\")]: {x.Path}")
            .ToList();
        Assert.True(unmarked.Count == 0, string.Join("\n", unmarked));
    }

    [Fact]
    public void Every_full_tier_mark_gives_its_reason()
    {
        var reasonless = TestClasses()
            .Where(c => c.GetCustomAttribute<FullTierAttribute>(inherit: false) is { } mark && string.IsNullOrWhiteSpace(mark.Reason))
            .Select(c => c.FullName);
        Assert.Empty(reasonless);
    }

    /// <summary>The check itself works: it finds each kind of launch it is meant to find, and not the harness's static helpers.</summary>
    [Theory]
    [InlineData(typeof(Cluster.ClusterTests))]           // TestCluster and PostgresDatabase
    [InlineData(typeof(Cluster.PartitionTests))]         // NamespaceCluster
    [InlineData(typeof(Cluster.DatabaseOutageTests))]    // PostgresServer
    [InlineData(typeof(Console.ConsoleTests))]           // Playwright, and NodeFixture taken by the constructor
    [InlineData(typeof(Http.RestartTests))]              // NodeProcess
    [InlineData(typeof(Cli.DataVerbsTests))]             // the built executable run as a client
    public void The_check_finds_the_launches(Type testClass) => Assert.NotNull(HeavyUse.PathFrom(testClass));

    [Fact]
    public void The_check_finds_the_node_process_collection() => Assert.NotNull(HeavyUse.InNodeProcessCollection(typeof(Cluster.HandOffTests)));

    [Theory]
    [InlineData(typeof(Inspection.ClientVerbsTests))]    // NodeProcess.FreeTcpPort only
    [InlineData(typeof(AsyncImports.ImportTasksTests))]  // NodeProcess.NewDataDir only, in an actor test
    [InlineData(typeof(Cluster.ComposeFileTests))]       // an Npgsql connection string builder, no connection
    [InlineData(typeof(TestTierTests))]
    public void The_check_lets_the_static_helpers_pass(Type testClass) => Assert.Null(HeavyUse.Why(testClass));

    private static IEnumerable<Type> TestClasses() =>
        Tests.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }
                                    && t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()));
}

/// <summary>Which code of the test assembly reaches a member that launches a node, PostgreSQL, a browser or namespaces.</summary>
internal static class HeavyUse
{
    private static readonly Assembly Tests = typeof(HeavyUse).Assembly;

    /// <summary>
    /// Where the slow things start. Every node process (and every run of the built executable) needs
    /// <see cref="NodeBuild.DllPath"/>; PostgreSQL is reached through the PostgreSQL harness or an Npgsql connection; the
    /// browser through Playwright; namespaces through <see cref="NamespaceNetwork.CreateAsync"/>; the previous release's build
    /// through <see cref="PreviousRelease.NodeDllAsync"/>. The harness's static helpers
    /// (<see cref="NodeProcess.FreeTcpPort"/>, <see cref="NodeProcess.NewDataDir"/>, <see cref="NodeBuild.RepoRoot"/>) launch nothing.
    /// </summary>
    public static readonly IReadOnlyList<MethodBase> Launchers =
    [
        typeof(NodeBuild).GetProperty(nameof(NodeBuild.DllPath))!.GetMethod!,
        typeof(PostgresServer).GetMethod(nameof(PostgresServer.StartAsync))!,
        typeof(PostgresDatabase).GetMethod(nameof(PostgresDatabase.CreateAsync))!,
        typeof(NamespaceNetwork).GetMethod(nameof(NamespaceNetwork.CreateAsync))!,
        typeof(PreviousRelease).GetMethod(nameof(PreviousRelease.NodeDllAsync))!,
    ];

    /// <summary>Playwright starts the browser; of Npgsql, only a connection or a data source reaches a server (a connection string builder does not).</summary>
    private static bool IsLaunching(Type? type) =>
        type?.Namespace is { } ns
        && (ns == "Microsoft.Playwright" || ns.StartsWith("Microsoft.Playwright.", StringComparison.Ordinal)
            || (ns == "Npgsql" && (type.IsAssignableTo(typeof(System.Data.Common.DbConnection)) || type.IsAssignableTo(typeof(System.Data.Common.DbDataSource)))));

    private static readonly HashSet<(Module, int)> LauncherKeys = Launchers.Select(Key).ToHashSet();

    private static readonly Dictionary<(Module, int), string?> Memo = new();

    /// <summary>Why <paramref name="testClass"/> belongs in the full tier; null: nothing says it does.</summary>
    public static string? Why(Type testClass) => PathFrom(testClass) ?? InNodeProcessCollection(testClass);

    /// <summary>The node process collection runs one class at a time, after the others: its classes are node process tests.</summary>
    public static string? InNodeProcessCollection(Type testClass) =>
        testClass.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CollectionAttribute))
            ?.ConstructorArguments is [{ Value: NodeProcessCollection.Name }]
            ? $"in the \"{NodeProcessCollection.Name}\" collection, which runs one class at a time"
            : null;

    /// <summary>How the code of <paramref name="testClass"/> reaches a launcher; null: it does not.</summary>
    public static string? PathFrom(Type testClass)
    {
        lock (Memo)
        {
            foreach (var type in BodyTypes(testClass))
            foreach (var method in DeclaredMethods(type))
                if (PathFrom(method, []) is { } path)
                    return type == testClass ? path : $"{Name(type)} -> {path}";
            return null;
        }
    }

    /// <summary>
    /// The types whose code runs for a test class: itself, its nested types (lambdas, async bodies), its base classes from
    /// this assembly, and the fixtures its constructors take or its IClassFixture interfaces name.
    /// </summary>
    private static IEnumerable<Type> BodyTypes(Type testClass)
    {
        var roots = new List<Type>();
        for (var t = testClass; t is not null && t.Assembly == Tests; t = t.BaseType) roots.Add(t);
        roots.AddRange(testClass.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType));
        roots.AddRange(testClass.GetInterfaces().Where(i => i.IsGenericType).SelectMany(i => i.GetGenericArguments()));
        return roots.Where(t => t.Assembly == Tests).Distinct().SelectMany(WithNested).Distinct();
    }

    private static IEnumerable<Type> WithNested(Type type) =>
        new[] { type }.Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested));

    private static IEnumerable<MethodBase> DeclaredMethods(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
    }

    private static string? PathFrom(MethodBase method, HashSet<(Module, int)> visiting)
    {
        var key = Key(method);
        if (LauncherKeys.Contains(key)) return Name(method);
        if (method.Module.Assembly != Tests) return IsLaunching(method.DeclaringType) ? Name(method) : null;
        if (Memo.TryGetValue(key, out var known)) return known;
        if (!visiting.Add(key)) return null; // a cycle: what it reaches is found from where it started

        string? found = null;
        foreach (var callee in Callees(method))
        {
            if (PathFrom(callee, visiting) is not { } rest) continue;
            found = Key(callee) == key ? rest : $"{Name(method)} -> {rest}";
            break;
        }
        visiting.Remove(key);
        Memo[key] = found;
        return found;
    }

    /// <summary>The methods <paramref name="method"/> calls, constructs or takes a delegate to, and its async or iterator body.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        if (method.GetCustomAttribute<StateMachineAttribute>() is { } machine)
            foreach (var body in DeclaredMethods(machine.StateMachineType))
                yield return body;

        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method is MethodInfo { IsGenericMethod: true } g ? g.GetGenericArguments() : null;
        foreach (var token in MethodTokens(il))
        {
            MethodBase? callee;
            try { callee = method.Module.ResolveMethod(token, typeArgs, methodArgs); }
            catch (ArgumentException) { callee = null; }
            if (callee is not null) yield return callee;
        }
    }

    /// <summary>The tokens of call, callvirt, newobj, ldftn and ldvirtftn in a method body.</summary>
    private static IEnumerable<int> MethodTokens(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            OpCode op;
            if (il[i] == 0xFE) { op = TwoByte[il[i + 1]]; i += 2; }
            else { op = OneByte[il[i]]; i += 1; }
            if (op.OperandType == OperandType.InlineMethod) yield return BitConverter.ToInt32(il, i);
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }

    private static readonly OpCode[] OneByte = new OpCode[256];
    private static readonly OpCode[] TwoByte = new OpCode[256];

    static HeavyUse()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            var value = (ushort)op.Value;
            if (op.Size == 1) OneByte[value] = op;
            else TwoByte[value & 0xFF] = op;
        }
    }

    private static (Module, int) Key(MethodBase method) => (method.Module, method.MetadataToken);

    private static string Name(MethodBase method) => $"{Name(method.DeclaringType!)}.{method.Name}";

    private static string Name(Type type) => type.FullName?.Replace("Kuiper.Tests.", "", StringComparison.Ordinal) ?? type.Name;
}
