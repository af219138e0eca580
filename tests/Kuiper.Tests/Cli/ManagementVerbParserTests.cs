using Kuiper.Node.Cli;

namespace Kuiper.Tests.Cli;

/// <summary>eKuiper client's create/drop/describe/show verbs become the REST requests of the same resources.</summary>
public sealed class ManagementVerbParserTests
{
    private static ManagementRequest Request(params string[] args)
    {
        var parse = CliParser.Parse(args);
        Assert.Null(parse.Error);
        Assert.Equal(CliVerb.Manage, parse.Command!.Verb);
        return parse.Command.Management!;
    }

    [Theory]
    [InlineData("GET plugins/sources Names", "show", "plugins", "source")]
    [InlineData("GET plugins/portables Names", "show", "plugins", "portable")]
    [InlineData("GET plugins/functions/my%20f Json", "describe", "plugin", "function", "my f")]
    [InlineData("DELETE plugins/sinks/s1 Text", "drop", "plugin", "sink", "s1")]
    [InlineData("DELETE plugins/sinks/s1?stop=1 Text", "drop", "plugin", "sink", "s1", "-s")]
    [InlineData("GET plugins/udfs Names", "show", "udfs")]
    [InlineData("GET plugins/udfs/f1 Json", "describe", "udf", "f1")]
    [InlineData("GET services Names", "show", "services")]
    [InlineData("GET services/functions Json", "show", "service_funcs")]
    [InlineData("GET services/functions/f1 Json", "describe", "service_func", "f1")]
    [InlineData("GET services/svc Json", "describe", "service", "svc")]
    [InlineData("DELETE services/svc Text", "drop", "service", "svc")]
    [InlineData("GET schemas/protobuf Names", "show", "schemas", "protobuf")]
    [InlineData("GET schemas/protobuf/s1 Json", "describe", "schema", "protobuf", "s1")]
    [InlineData("DELETE schemas/protobuf/s1 Text", "drop", "schema", "protobuf", "s1")]
    [InlineData("GET udf/javascript Json", "show", "scripts")]
    [InlineData("GET udf/javascript/f1 Json", "describe", "script", "f1")]
    [InlineData("DELETE udf/javascript/f1 Text", "drop", "script", "f1")]
    public void Reads_and_drops_go_to_the_resource_path(string expected, params string[] args)
    {
        var request = Request(args);
        Assert.Equal(expected, $"{request.Method} {request.Path} {request.Output}");
        Assert.Null(request.Body);
    }

    [Fact]
    public void Creates_post_the_json_with_the_name_the_operands_give()
    {
        var plugin = Request("create", "plugin", "sink", "random", """{"file":"http://10.0.0.1/random.zip"}""");
        Assert.Equal(("POST", "plugins/sinks", """{"file":"http://10.0.0.1/random.zip","name":"random"}"""),
            (plugin.Method.Method, plugin.Path, plugin.Body));
        var service = Request("create", "service", "svc", """{"name":"other","file":"file:///tmp/svc.zip"}""");
        Assert.Equal(("services", """{"name":"svc","file":"file:///tmp/svc.zip"}"""), (service.Path, service.Body));
        var schema = Request("create", "schema", "protobuf", "s1", """{"content":"message A {}"}""");
        Assert.Equal(("schemas/protobuf", """{"content":"message A {}","name":"s1"}"""), (schema.Path, schema.Body));
        // Not JSON: sent as given, for the node to answer in eKuiper's words.
        Assert.Equal("{bad", Request("create", "service", "svc", "{bad").Body);
        Assert.Equal(("udf/javascript", """{"id":"f"}"""), (Request("create", "script", """{"id":"f"}""").Path, Request("create", "script", """{"id":"f"}""").Body));
    }

    [Theory]
    [InlineData("Invalid plugin type wasm, should be \"source\", \"sink\", \"function\" or \"portable\"", "show", "plugins", "wasm")]
    [InlineData("usage: create service <name> <json>", "create", "service", "svc")]
    [InlineData("unknown verb 'drop nonsense'", "drop", "nonsense")]
    [InlineData("Expect s flag to be a boolean value.", "drop", "plugin", "sink", "s1", "-s", "yes")]
    public void Wrong_usage_names_the_problem(string expected, params string[] args)
    {
        Assert.Equal(expected, CliParser.Parse(args).Error);
    }
}
