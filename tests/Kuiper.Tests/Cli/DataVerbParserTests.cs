using Kuiper.Node.Cli;

namespace Kuiper.Tests.Cli;

public sealed class DataVerbParserTests
{
    private static CliCommand Ok(params string[] args)
    {
        var parse = CliParser.Parse(args);
        Assert.Null(parse.Error);
        return Assert.IsType<CliCommand>(parse.Command);
    }

    private static string Fails(params string[] args) => Assert.IsType<string>(CliParser.Parse(args).Error);

    [Theory]
    [InlineData(false, false, "import", "data", "-f", "b.json")]
    [InlineData(true, false, "import", "data", "-f", "b.json", "-p")]
    [InlineData(true, false, "import", "data", "-p", "-f", "b.json")]
    [InlineData(true, false, "import", "data", "-f", "b.json", "-p", "true", "-s", "false")]
    [InlineData(false, true, "import", "data", "-f", "b.json", "-s")]
    [InlineData(false, true, "import", "data", "--file=b.json", "--stop=true")]
    [InlineData(true, true, "import", "data", "--file", "b.json", "--partial", "--stop", "true")]
    public void Partial_and_stop_take_true_false_or_a_bare_flag(bool partial, bool stop, params string[] args)
    {
        var command = Ok(args);

        Assert.Equal(CliVerb.ImportData, command.Verb);
        Assert.Equal(new DataOptions("b.json", partial, stop, []), command.Data with { Rules = [] });
    }

    [Fact]
    public void Every_data_verb_of_the_contract_parses()
    {
        Assert.Equal(CliVerb.ImportRuleset, Ok("import", "ruleset", "-f", "r.json").Verb);
        Assert.Equal("r.json", Ok("import", "ruleset", "-f", "r.json").Data.File);
        Assert.Equal(CliVerb.ExportRuleset, Ok("export", "ruleset", "out.json").Verb);
        Assert.Equal("out.json", Ok("export", "ruleset", "out.json").Data.File);
        Assert.Equal(CliVerb.GetStatusImport, Ok("getstatus", "import", "--json").Verb);
        var export = Ok("export", "data", "out.json", "-r", """["rule1","rule2"]""", "--node", "http://10.0.0.1:9081", "--token", "t");
        Assert.Equal((CliVerb.ExportData, "out.json"), (export.Verb, export.Data.File));
        Assert.Equal(["rule1", "rule2"], export.Data.Rules);
        Assert.Equal(new Uri("http://10.0.0.1:9081"), export.Node);
        Assert.Equal("t", export.Token);
        Assert.Empty(Ok("export", "data", "out.json", "-r", "[]").Data.Rules);
    }

    [Theory]
    [InlineData("rules [] unmarshal error json: cannot unmarshal object into Go value of type []string", "export", "data", "f", "-r", "{}")]
    [InlineData("rules [] unmarshal error json: cannot unmarshal number into Go value of type string", "export", "data", "f", "-r", "[1]")]
    [InlineData("Expect s flag to be a boolean value.", "import", "data", "-f", "x", "-s", "TRUE")]
    [InlineData("usage: export data FILE", "export", "data", "a", "b")]
    [InlineData("unknown verb 'import nonsense'", "import", "nonsense")]
    [InlineData("unknown option --force", "getstatus", "import", "--force")]
    [InlineData("--file needs a value", "import", "ruleset", "-f")]
    public void Wrong_usage_names_the_problem(string expected, params string[] args)
    {
        Assert.Equal(expected, Fails(args));
    }

    [Theory]
    [InlineData("import")]
    [InlineData("export")]
    [InlineData("getstatus")]
    public void The_data_verbs_make_a_client(string first)
    {
        Assert.True(ClientVerbs.IsVerb([first, "data"]));
    }
}
