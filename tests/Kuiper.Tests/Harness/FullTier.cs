using Xunit.Abstractions;
using Xunit.Sdk;

namespace Kuiper.Tests.Harness;

/// <summary>
/// Puts every test of a class in the full tier (trait <c>Tier=Full</c>): it starts node processes, needs PostgreSQL,
/// drives a browser or makes network namespaces, or is too slow for the fast tier. The fast tier is
/// <c>bash scripts/test-fast.sh</c> (<c>--filter "Tier!=Full"</c>); <c>scripts/test.sh</c> runs both tiers.
/// <see cref="Kuiper.Tests.Architecture.TestTierTests"/> fails when a class that uses such a harness lacks the mark.
/// See docs/testing.md.
/// </summary>
[TraitDiscoverer("Kuiper.Tests.Harness.FullTierDiscoverer", "Kuiper.Tests")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class FullTierAttribute(string reason) : Attribute, ITraitAttribute
{
    public const string Trait = "Tier";
    public const string Value = "Full";

    /// <summary>What makes the class slow or needy: node processes, PostgreSQL, a browser, network namespaces, or its time.</summary>
    public string Reason { get; } = reason;
}

/// <summary>Gives the tests of a <see cref="FullTierAttribute"/> class the trait <c>Tier=Full</c>.</summary>
public sealed class FullTierDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(FullTierAttribute.Trait, FullTierAttribute.Value)];
}
