using Kuiper.Actors.Configs;
using Kuiper.Actors.Rules;
using Kuiper.Actors.Streams;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Resources;

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
    }.ToDictionary(r => r.Kind);
}
