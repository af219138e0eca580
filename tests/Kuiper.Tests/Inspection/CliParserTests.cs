using Kuiper.Node.Cli;

namespace Kuiper.Tests.Inspection;

public sealed class CliParserTests
{
    private static CliCommand Ok(params string[] args)
    {
        var parse = CliParser.Parse(args);
        Assert.Null(parse.Error);
        Assert.False(parse.Help);
        return Assert.IsType<CliCommand>(parse.Command);
    }

    private static string Fails(params string[] args)
    {
        var parse = CliParser.Parse(args);
        Assert.Null(parse.Command);
        return Assert.IsType<string>(parse.Error);
    }

    [Theory]
    [InlineData(CliVerb.Show, "cluster", "show")]
    [InlineData(CliVerb.Leave, "cluster", "leave", "akka.tcp://kuiper@10.0.0.2:4053")]
    [InlineData(CliVerb.Down, "cluster", "down", "akka.tcp://kuiper@10.0.0.2:4053")]
    [InlineData(CliVerb.DownUnreachable, "cluster", "down-unreachable")]
    [InlineData(CliVerb.RotateSecrets, "cluster", "secrets", "rotate")]
    [InlineData(CliVerb.Regions, "cluster", "sharding", "regions")]
    [InlineData(CliVerb.RegionStats, "cluster", "sharding", "region-stats", "rules")]
    [InlineData(CliVerb.ShardStats, "cluster", "sharding", "shard-stats", "rules")]
    [InlineData(CliVerb.Locate, "cluster", "sharding", "locate", "rules", "p03")]
    public void Every_verb_of_the_contract_parses(CliVerb verb, params string[] args)
    {
        var command = Ok(args);

        Assert.Equal(verb, command.Verb);
        Assert.Equal(new Uri("http://127.0.0.1:9081"), command.Node);
        Assert.False(command.Json);
    }

    [Fact]
    public void Operands_are_kept_in_order()
    {
        Assert.Equal(["rules", "p03"], Ok("cluster", "sharding", "locate", "rules", "p03").Operands);
        Assert.Equal(["akka.tcp://kuiper@h:1"], Ok("cluster", "leave", "akka.tcp://kuiper@h:1").Operands);
        Assert.Empty(Ok("cluster", "show").Operands);
    }

    [Theory]
    [InlineData("--node", "http://10.1.2.3:9000", "--json", "cluster", "show")]
    [InlineData("cluster", "show", "--json", "--node", "http://10.1.2.3:9000")]
    [InlineData("cluster", "--node=http://10.1.2.3:9000", "show", "--json")]
    public void Options_go_anywhere(params string[] args)
    {
        var command = Ok(args);

        Assert.Equal(CliVerb.Show, command.Verb);
        Assert.Equal(new Uri("http://10.1.2.3:9000"), command.Node);
        Assert.True(command.Json);
    }

    [Fact]
    public void The_token_is_taken_as_given_and_absent_unless_named()
    {
        Assert.Null(Ok("cluster", "show").Token);
        Assert.Equal("eyJ.a.b", Ok("cluster", "show", "--token", "eyJ.a.b").Token);
        Assert.Equal("Bearer eyJ.a.b", Ok("--token=Bearer eyJ.a.b", "cluster", "show").Token);
        Assert.Equal("--token needs a token, e.g. --token eyJhbGciOi...", Fails("cluster", "show", "--token"));
    }

    [Theory]
    [InlineData("cluster")]
    [InlineData("cluster", "leave")]
    [InlineData("cluster", "down", "a", "b")]
    [InlineData("cluster", "show", "extra")]
    [InlineData("cluster", "sharding")]
    [InlineData("cluster", "sharding", "region-stats")]
    [InlineData("cluster", "sharding", "locate", "rules")]
    [InlineData("cluster", "sharding", "nonsense")]
    [InlineData("cluster", "frobnicate")]
    [InlineData("cluster", "show", "--verbose")]
    [InlineData("cluster", "show", "--node")]
    [InlineData("cluster", "show", "--node", "--json")]
    [InlineData("cluster", "show", "--node", "ftp://host")]
    [InlineData("cluster", "show", "--node", "not a url")]
    [InlineData("show")]
    public void Wrong_usage_is_an_error_that_names_the_problem(params string[] args)
    {
        Assert.NotEmpty(Fails(args));
    }

    [Fact]
    public void Usage_errors_say_what_the_verb_takes()
    {
        Assert.Equal("usage: cluster sharding locate <type> <entity-id>", Fails("cluster", "sharding", "locate", "rules"));
        Assert.Equal("usage: cluster leave <address>", Fails("cluster", "leave"));
        Assert.Equal("unknown verb 'cluster frobnicate'", Fails("cluster", "frobnicate"));
        Assert.Equal("unknown option --verbose", Fails("cluster", "show", "--verbose"));
    }

    [Theory]
    [InlineData("cluster", "--help")]
    [InlineData("cluster", "-h")]
    [InlineData("cluster", "help")]
    [InlineData("cluster", "sharding", "--help")]
    public void Help_is_not_an_error(params string[] args)
    {
        Assert.True(CliParser.Parse(args).Help);
    }

    [Theory]
    [InlineData(true, "cluster")]
    [InlineData(true, "cluster", "show")]
    [InlineData(false)]
    [InlineData(false, "--urls", "http://127.0.0.1:9081")]
    [InlineData(false, "--Kuiper:DataDir=/tmp/x", "cluster")]
    [InlineData(false, "Cluster", "show")]
    public void Only_a_leading_cluster_word_makes_a_client(bool expected, params string[] args)
    {
        Assert.Equal(expected, ClientVerbs.IsVerb(args));
    }
}
