using Kuiper.Domain.Sql;
using Xunit;

namespace Kuiper.Tests.Sql;

/// <summary>The built-in function catalog harvested from eKuiper's internal/binder/function.</summary>
public class BuiltinFunctionsTests
{
    [Fact]
    public void Catalog_holds_every_eKuiper_builtin()
    {
        // 182 stateless built-ins plus the stateful compress/decompress (internal/binder/function).
        Assert.Equal(184, BuiltinFunctions.Names.Count());
    }

    [Theory]
    [InlineData("count", SqlFunctionType.Aggregate)]
    [InlineData("last_agg_hit_time", SqlFunctionType.Aggregate)]
    [InlineData("inc_count", SqlFunctionType.Scalar)]
    [InlineData("changed_cols", SqlFunctionType.Columns)]
    [InlineData("unnest", SqlFunctionType.SetReturning)]
    [InlineData("extract", SqlFunctionType.SetReturning)]
    [InlineData("row_number", SqlFunctionType.Window)]
    [InlineData("decompress", SqlFunctionType.Scalar)]
    public void Knows_function_types(string name, SqlFunctionType expected)
    {
        Assert.True(BuiltinFunctions.TryGet(name, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("revert")]
    [InlineData("tumblingwindow")]
    [InlineData("COUNT")]
    public void Unknown_to_the_catalog(string name) => Assert.False(BuiltinFunctions.TryGet(name, out _));
}
