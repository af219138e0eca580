using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Configs;
using Kuiper.Domain.Rules;
using Kuiper.Domain.Streams;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Resources;

/// <summary>What a partial import does with an artefact whose name is already stored (eKuiper's import paths).</summary>
public enum WhenStoredOnPartialImport
{
    /// <summary>Overwrite it (uploads, scripts, and every kind that is no artefact).</summary>
    Replace,

    /// <summary>Leave the stored one, silently (plugins and schemas: installed only when absent).</summary>
    Keep,

    /// <summary>Refuse the item with <c>service &lt;name&gt; exist</c>.</summary>
    Refuse,
}

/// <summary>
/// Everything this node knows about one bundle kind. The table below declares each kind once; bundle
/// sections, shard regions, persistence ids, the import order and the artefact handling are derived from it.
/// </summary>
/// <param name="BundleKey">the key exactly as eKuiper exports it (note the capitalised <c>Service</c> and <c>Schema</c>)</param>
/// <param name="RegionName">the shard region (entity type) name, also the prefix of its persistence ids</param>
/// <param name="ImportStage">kinds of a lower stage are applied first (they are read by the kinds after them)</param>
/// <param name="Artefact">the kind of files it carries, null for plain definitions</param>
public sealed record ResourceKindDeclaration(
    ResourceKind Kind,
    string BundleKey,
    string RegionName,
    int ImportStage,
    ArtefactKind? Artefact,
    WhenStoredOnPartialImport WhenStored,
    IResourceRules Rules);

public static class ResourceKinds
{
    // Import stages: configs are read by streams and sinks, uploads by every installer; plugins, schemas, services
    // and scripts provide the types and functions that streams and rules use; rules read streams and tables.
    private const int Configs = 0, Uploads = 1, Providers = 2, StreamsStage = 3, TablesStage = 4, RulesStage = 5;

    /// <summary>Every kind, in eKuiper's export key order.</summary>
    public static readonly IReadOnlyList<ResourceKindDeclaration> Declarations =
    [
        new(ResourceKind.Streams, "streams", "streams", StreamsStage, null, WhenStoredOnPartialImport.Replace,
            new StreamResourceRules(ResourceKind.Streams)),
        new(ResourceKind.Tables, "tables", "tables", TablesStage, null, WhenStoredOnPartialImport.Replace,
            new StreamResourceRules(ResourceKind.Tables)),
        new(ResourceKind.Rules, "rules", "rules", RulesStage, null, WhenStoredOnPartialImport.Replace,
            new RuleDefinitionRules()),
        new(ResourceKind.NativePlugins, "nativePlugins", "native-plugins", Providers, ArtefactKind.NativePlugin,
            WhenStoredOnPartialImport.Keep, new ArtefactRules(ResourceKind.NativePlugins)),
        new(ResourceKind.PortablePlugins, "portablePlugins", "portable-plugins", Providers, ArtefactKind.PortablePlugin,
            WhenStoredOnPartialImport.Keep, new ArtefactRules(ResourceKind.PortablePlugins)),
        new(ResourceKind.SourceConfig, "sourceConfig", "source-configs", Configs, null, WhenStoredOnPartialImport.Replace,
            new ConfigRules(ResourceKind.SourceConfig)),
        new(ResourceKind.SinkConfig, "sinkConfig", "sink-configs", Configs, null, WhenStoredOnPartialImport.Replace,
            new ConfigRules(ResourceKind.SinkConfig)),
        new(ResourceKind.ConnectionConfig, "connectionConfig", "connection-configs", Configs, null, WhenStoredOnPartialImport.Replace,
            new ConfigRules(ResourceKind.ConnectionConfig)),
        new(ResourceKind.Service, "Service", "services", Providers, ArtefactKind.Service, WhenStoredOnPartialImport.Refuse,
            new ArtefactRules(ResourceKind.Service)),
        new(ResourceKind.Schema, "Schema", "schemas", Providers, ArtefactKind.Schema, WhenStoredOnPartialImport.Keep,
            new ArtefactRules(ResourceKind.Schema)),
        new(ResourceKind.Uploads, "uploads", "uploads", Uploads, ArtefactKind.Upload, WhenStoredOnPartialImport.Replace,
            new ArtefactRules(ResourceKind.Uploads)),
        new(ResourceKind.Scripts, "scripts", "scripts", Providers, ArtefactKind.Script, WhenStoredOnPartialImport.Replace,
            new ArtefactRules(ResourceKind.Scripts)),
    ];

    private static readonly ResourceKindDeclaration[] ByKind = Declarations.OrderBy(d => (int)d.Kind).ToArray();

    /// <summary>Every kind in eKuiper's export key order.</summary>
    public static readonly IReadOnlyList<ResourceKind> All = Declarations.Select(d => d.Kind).ToArray();

    /// <summary>The kinds grouped by import stage, lowest first.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<ResourceKind>> ImportOrder = Declarations
        .GroupBy(d => d.ImportStage).OrderBy(g => g.Key)
        .Select(g => (IReadOnlyList<ResourceKind>)g.Select(d => d.Kind).ToArray()).ToArray();

    /// <summary>The kinds that carry files.</summary>
    public static readonly IReadOnlyList<ResourceKind> Artefacts = Declarations.Where(d => d.Artefact is not null).Select(d => d.Kind).ToArray();

    public static ResourceKindDeclaration Declaration(this ResourceKind kind) => ByKind[(int)kind];

    /// <summary>An import that may add or remove files: a full import (it replaces every artefact) or one that carries some.</summary>
    public static bool TouchesArtefacts(Bundle bundle, ImportMode mode) =>
        mode == ImportMode.Full || Artefacts.Any(kind => bundle[kind].Count > 0);

    public static string BundleKey(this ResourceKind kind) => kind.Declaration().BundleKey;

    public static string RegionName(this ResourceKind kind) => kind.Declaration().RegionName;

    public static IResourceRules Rules(this ResourceKind kind) => kind.Declaration().Rules;

    public static bool IsArtefact(this ResourceKind kind) => kind.Declaration().Artefact is not null;

    /// <summary>The artefact kind of a kind that carries files.</summary>
    public static ArtefactKind ToArtefactKind(this ResourceKind kind) =>
        kind.Declaration().Artefact ?? throw new ArgumentException($"{kind} carries no files", nameof(kind));

    /// <summary>The bundle kind whose items are artefacts of this kind.</summary>
    public static ResourceKind ToResourceKind(this ArtefactKind artefact) => Declarations.First(d => d.Artefact == artefact).Kind;
}
