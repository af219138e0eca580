using Kuiper.Actors.Database;
using Kuiper.Actors.Hosting;
using Kuiper.Tests.Harness;
using Microsoft.Extensions.Configuration;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// No Docker engine runs here, so the compose file is checked against what the node reads: every setting binds,
/// seeds name real nodes at their remoting ports, the journal is the compose PostgreSQL, HTTP is published.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] KuiperNodes = ["kuiper1", "kuiper2", "kuiper3"];
    private readonly YamlMappingNode _services;

    public ComposeFileTests()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(NodeBuild.RepoRoot, "docker-compose.cluster.yml"));
        yaml.Load(reader);
        _services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private YamlMappingNode Service(string name) => (YamlMappingNode)_services[name];

    /// <summary>The node's environment, merge keys resolved, as configuration keys (<c>__</c> becomes <c>:</c>).</summary>
    private Dictionary<string, string?> Environment(string service)
    {
        var environment = (YamlMappingNode)Service(service)["environment"];
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in Flatten(environment)) values[key.Replace("__", ":")] = value;
        return values;
    }

    private static IEnumerable<(string, string)> Flatten(YamlMappingNode mapping)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (((YamlScalarNode)key).Value == "<<")
            {
                foreach (var merged in Flatten((YamlMappingNode)value)) yield return merged;
                continue;
            }
            yield return (((YamlScalarNode)key).Value!, ((YamlScalarNode)value).Value!);
        }
    }

    private static KuiperSettings Bind(Dictionary<string, string?> environment) =>
        new ConfigurationBuilder().AddInMemoryCollection(environment).Build()
            .GetSection(KuiperSettings.Section)
            .Get<KuiperSettings>(binder => binder.ErrorOnUnknownConfiguration = true)!;

    [Fact]
    public void Three_nodes_and_postgres_are_defined()
    {
        Assert.Equal(["kuiper1", "kuiper2", "kuiper3", "postgres"], _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order());
    }

    [Fact]
    public void Every_node_setting_binds_and_seeds_name_nodes_at_their_remoting_ports()
    {
        var nodes = KuiperNodes.ToDictionary(n => n, n => Bind(Environment(n)));

        foreach (var (name, settings) in nodes)
        {
            Assert.Equal(name, settings.Cluster.Host);
            Assert.Equal(name, ((YamlScalarNode)Service(name)["hostname"]).Value);
            Assert.NotEmpty(settings.Cluster.SeedNodes);
            foreach (var seed in settings.Cluster.SeedNodes)
            {
                var address = new Uri(seed.Replace("akka.tcp://", "tcp://"));
                Assert.Equal(ClusterSettings.SystemName, address.UserInfo);
                Assert.Contains(address.Host, KuiperNodes);
                Assert.Equal(nodes[address.Host].Cluster.Port, address.Port);
            }
        }
    }

    [Fact]
    public void The_journal_is_the_compose_postgres()
    {
        var postgres = Flatten((YamlMappingNode)Service("postgres")["environment"]).ToDictionary(e => e.Item1, e => e.Item2);
        foreach (var node in KuiperNodes)
        {
            var settings = Bind(Environment(node));
            Assert.Equal(PersistenceSettings.Postgres, settings.Persistence.Provider);
            var connection = new NpgsqlConnectionStringBuilder(settings.Persistence.ConnectionString);
            Assert.Equal("postgres", connection.Host);
            Assert.Equal(postgres["POSTGRES_USER"], connection.Username);
            Assert.Equal(postgres["POSTGRES_PASSWORD"], connection.Password);
            Assert.Equal(postgres["POSTGRES_DB"], connection.Database);
        }
    }

    [Fact]
    public void Http_is_published_on_distinct_ports_and_checked_for_readiness_and_nodes_restart()
    {
        var hostPorts = new List<string>();
        foreach (var node in KuiperNodes)
        {
            var containerPort = new Uri(Environment(node)["ASPNETCORE_URLS"]!).Port.ToString();
            var published = ((YamlSequenceNode)Service(node)["ports"]).Children.Select(p => ((YamlScalarNode)p).Value!.Split(':')).Single();
            Assert.Equal(containerPort, published[^1]);
            hostPorts.Add(published[^2]);

            var merged = (YamlMappingNode)Service(node).Children[new YamlScalarNode("<<")];
            Assert.Equal("unless-stopped", ((YamlScalarNode)merged["restart"]).Value);
            var test = ((YamlSequenceNode)((YamlMappingNode)merged["healthcheck"])["test"]).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
            Assert.Contains($"http://127.0.0.1:{containerPort}/healthz/ready", test);
        }
        Assert.Equal(3, hostPorts.Distinct().Count());
    }
}
