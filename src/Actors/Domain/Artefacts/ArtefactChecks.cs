using Kuiper.Domain.Artefacts.Archives;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Domain.Artefacts;

/// <summary>What a node allows artefacts to do.</summary>
public sealed record ArtefactPolicy
{
    public static ArtefactPolicy Default { get; } = new();

    /// <summary>
    /// <c>Kuiper:Security:AllowInstallScripts</c> (default false): run a plugin's <c>install.sh</c>. Off, a plugin whose
    /// <c>shellParas</c> ask for its script is refused, and a script without parameters is installed but not run.
    /// </summary>
    public bool AllowInstallScripts { get; init; }

    public ZipLimits ZipLimits { get; init; } = ZipLimits.Default;

    /// <summary>The text for a plugin that needs its install script on a node that does not run them.</summary>
    public const string InstallScriptsDisabled = "install scripts are disabled on this node (Kuiper:Security:AllowInstallScripts)";
}

/// <summary>An installed artefact, as a node (or the cluster) knows it.</summary>
public sealed record InstalledArtefact(
    ArtefactKind Kind,
    string InstallKey,
    string Descriptor,
    string ContentHash,
    IReadOnlyList<string> Files,
    string? Version,
    ArtefactProvides Provides);

/// <summary>
/// What is installed already: the checks that eKuiper makes against its registries (<c>invalid name x: duplicate</c>,
/// <c>service x exist</c>, <c>function name f already exists</c>, newer schema versions) read it.
/// </summary>
public interface IInstalledArtefacts
{
    /// <summary>The artefact installed under <paramref name="installKey"/>, or null.</summary>
    InstalledArtefact? Find(ArtefactKind kind, string installKey);

    /// <summary>Every installed artefact of a kind.</summary>
    IReadOnlyList<InstalledArtefact> All(ArtefactKind kind);
}

/// <summary>A fixed set of installed artefacts (tests, or a snapshot of the cluster's view).</summary>
public sealed class InstalledSet(IEnumerable<InstalledArtefact> items) : IInstalledArtefacts
{
    private readonly IReadOnlyList<InstalledArtefact> _items = items.ToList();

    public static InstalledSet Empty { get; } = new([]);

    public InstalledArtefact? Find(ArtefactKind kind, string installKey) =>
        _items.LastOrDefault(i => i.Kind == kind && i.InstallKey == installKey);

    public IReadOnlyList<InstalledArtefact> All(ArtefactKind kind) => _items.Where(i => i.Kind == kind).ToList();
}

/// <summary>The outcome of the descriptor step: what to fetch next, or the error that ends the item.</summary>
public sealed record DescriptorCheck
{
    private DescriptorCheck(string? error, IReadOnlyList<string> fetches)
    {
        Error = error;
        Fetches = fetches;
    }

    /// <summary>eKuiper's text; null when the item may go on.</summary>
    public string? Error { get; }

    /// <summary>The URIs to fetch, in the order eKuiper reads them (a failure stops the rest).</summary>
    public IReadOnlyList<string> Fetches { get; }

    public static DescriptorCheck Fail(string error) => new(error, []);

    public static DescriptorCheck Fetch(params string[] uris) => new(null, uris);
}

/// <summary>A validated plan or eKuiper's text for the item.</summary>
public sealed record CheckResult
{
    private CheckResult(ArtefactPlan? plan, string? error)
    {
        Plan = plan;
        Error = error;
    }

    public ArtefactPlan? Plan { get; }

    public string? Error { get; }

    public bool Succeeded => Error is null;

    public static CheckResult Ok(ArtefactPlan plan) => new(plan ?? throw new ArgumentNullException(nameof(plan)), null);

    public static CheckResult Fail(string error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));
}

/// <summary>
/// The per-kind checks, pure: a function of the bundle item, what is installed, the node's policy and the fetched
/// bytes. Run <see cref="CheckDescriptor"/> first (no I/O: value JSON, names, URIs, the registry), fetch the URIs it
/// names in order (stop at the first failure), then <see cref="Check"/> (archive contents).
/// </summary>
public interface IArtefactChecker
{
    ArtefactKind Kind { get; }

    /// <summary>The checks that need only the descriptor and the registry, and the URIs to fetch.</summary>
    DescriptorCheck CheckDescriptor(string key, string value, IInstalledArtefacts installed);

    /// <summary>
    /// Everything: repeats the descriptor checks, then reads the fetched bytes (<paramref name="fetched"/> by URI;
    /// a failed fetch is reported with the kind's wording) and returns the plan or the error.
    /// </summary>
    CheckResult Check(string key, string value, IInstalledArtefacts installed, IReadOnlyDictionary<string, FetchResult> fetched);
}

/// <summary>Runs the steps of a checker with a fetcher: descriptor, fetches, archive.</summary>
public static class ArtefactChecks
{
    /// <summary>The checker of a kind.</summary>
    public static IArtefactChecker For(ArtefactKind kind, ArtefactPolicy? policy = null)
    {
        policy ??= ArtefactPolicy.Default;
        return kind switch
        {
            ArtefactKind.NativePlugin => new Plugins.NativePluginChecker(policy),
            ArtefactKind.PortablePlugin => new Plugins.PortablePluginChecker(policy),
            ArtefactKind.Service => new Services.ServiceChecker(policy),
            ArtefactKind.Schema => new Schemas.SchemaChecker(policy),
            ArtefactKind.Upload => new Uploads.UploadChecker(),
            ArtefactKind.Script => new Scripts.ScriptChecker(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>Descriptor checks, the fetches they ask for (in order, stopping at the first failure), then the full check.</summary>
    public static async Task<CheckResult> CheckAsync(
        IArtefactChecker checker, string key, string value, IInstalledArtefacts installed, ArtefactFetcher fetcher, CancellationToken cancellationToken)
    {
        var descriptor = checker.CheckDescriptor(key, value, installed);
        if (descriptor.Error is not null) return CheckResult.Fail(descriptor.Error);
        var fetched = new Dictionary<string, FetchResult>(StringComparer.Ordinal);
        foreach (var uri in descriptor.Fetches)
        {
            if (fetched.ContainsKey(uri)) continue;
            var result = await fetcher.FetchAsync(uri, cancellationToken);
            fetched[uri] = result;
            if (!result.Succeeded) break;
        }
        return checker.Check(key, value, installed, fetched);
    }
}
