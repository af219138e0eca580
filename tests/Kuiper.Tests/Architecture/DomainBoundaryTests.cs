using System.Reflection;
using Kuiper.Domain.Bundles;

namespace Kuiper.Tests.Architecture;

/// <summary>The pure eKuiper behaviour stays pure: the compiler guards it, this test says so if a reference slips in.</summary>
public sealed class DomainBoundaryTests
{
    private static readonly Assembly Domain = typeof(BundleCodec).Assembly;

    [Fact]
    public void Domain_assembly_is_the_nested_project() => Assert.Equal("Kuiper.Domain", Domain.GetName().Name);

    [Theory]
    [InlineData("Akka")]
    [InlineData("LinqToDB")]
    [InlineData("Npgsql")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Microsoft.Extensions")]
    public void Domain_references_no_framework_of_the_outer_layers(string prefix)
    {
        var offending = Domain.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Empty(offending);
    }

    [Fact]
    public void Domain_types_live_under_the_domain_namespace()
    {
        var outside = Domain.GetTypes().Where(t => t.Namespace is { } ns && !ns.StartsWith("Kuiper.Domain", StringComparison.Ordinal)
                                                   && !ns.StartsWith("System", StringComparison.Ordinal) && !ns.StartsWith("Microsoft", StringComparison.Ordinal))
            .Select(t => t.FullName);
        Assert.Empty(outside);
    }

    [Fact]
    public void Domain_references_only_the_contracts_and_the_script_parser()
    {
        var kuiper = Domain.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Kuiper", StringComparison.Ordinal));
        Assert.Equal(["Kuiper.Messages"], kuiper);
    }
}
