using Akka.Actor;
using Akka.Configuration;
using Kuiper.Node.Logging;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Logging;

/// <summary>Akka's minimal logger, what Akka prints before its loggers start and after they stop: masked too.</summary>
public sealed class SecretMaskingStdoutLoggerTests
{
    [Fact]
    public void A_log_event_reads_as_Akka_writes_it_with_message_and_cause_masked()
    {
        var cause = new InvalidOperationException($"cannot reach tcp://admin:{TestSecrets.UrlPassword}@10.0.0.1:1883");
        var text = SecretMaskingStdoutLogger.Text(new Akka.Event.Error(cause, "remoting", typeof(object), $"join failed, token={TestSecrets.Token}"));

        Assert.NotNull(text);
        Assert.StartsWith("[ERROR][", text);
        Assert.Contains("[remoting] join failed, token=******", text);
        Assert.Contains("cannot reach tcp://admin:******@10.0.0.1:1883", text);
        Assert.DoesNotContain(TestSecrets.UrlPassword, text);
        Assert.DoesNotContain(TestSecrets.Token, text);
    }

    [Fact]
    public async Task Akka_takes_it_by_the_name_the_node_configures()
    {
        var system = ActorSystem.Create("minimal-logger", ConfigurationFactory.ParseString(SecretMaskingLogging.MinimalLoggerHocon));
        try
        {
            Assert.IsType<SecretMaskingStdoutLogger>(system.Settings.StdoutLogger);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
