using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Configs;
using Kuiper.Domain.Rules;
using Kuiper.Domain.Streams;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Resources;

/// <summary>The kinds this node stores, each with its domain rules.</summary>
public static class ResourceRulesCatalog
{
    public static readonly IReadOnlyDictionary<ResourceKind, IResourceRules> Stored = new IResourceRules[]
    {
        new StreamResourceRules(ResourceKind.Streams),
        new StreamResourceRules(ResourceKind.Tables),
        new RuleDefinitionRules(),
        new ConfigRules(ResourceKind.SourceConfig),
        new ConfigRules(ResourceKind.SinkConfig),
        new ConfigRules(ResourceKind.ConnectionConfig),
        new ArtefactRules(ResourceKind.NativePlugins),
        new ArtefactRules(ResourceKind.PortablePlugins),
        new ArtefactRules(ResourceKind.Service),
        new ArtefactRules(ResourceKind.Schema),
        new ArtefactRules(ResourceKind.Uploads),
        new ArtefactRules(ResourceKind.Scripts),
    }.ToDictionary(r => r.Kind);
}
