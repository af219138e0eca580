using Akka.Configuration;

namespace Kuiper.Node;

public static class NodeDefaults
{
    /// <summary>eKuiper's REST port, so existing clients and scripts work unchanged.</summary>
    public const string HttpUrl = "http://127.0.0.1:9081";

    /// <summary>The akka.hocon shipped beside the binary.</summary>
    public static Config LoadHocon() =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "akka.hocon")));
}
