using Kuiper.Node.Logging;
using Kuiper.Tests.Harness;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Kuiper.Tests.Logging;

/// <summary>The node's console formatter: the simple formatter's lines, with every secret masked.</summary>
public sealed class SecretMaskingConsoleFormatterTests
{
    private static string Format(string message, Exception? exception = null, LogLevel level = LogLevel.Warning,
        SimpleConsoleFormatterOptions? options = null)
    {
        var formatter = new SecretMaskingConsoleFormatter(new FixedOptions(options ?? new SimpleConsoleFormatterOptions { ColorBehavior = LoggerColorBehavior.Disabled }));
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<string>(level, "Kuiper.Test", new EventId(7), message, exception, (state, _) => state), null, writer);
        return writer.ToString();
    }

    private static string Line(string level, string message) => $"{level}: Kuiper.Test[7]{Environment.NewLine}      {message}{Environment.NewLine}";

    [Fact]
    public void A_message_without_secrets_is_written_as_the_simple_formatter_writes_it()
    {
        const string message = "init.json version 1a2b: imported 1 streams, 0 tables and 1 rules; by akka.tcp://kuiper@127.0.0.1:4053 {\"a\":1}";
        Assert.Equal(Line("warn", message), Format(message));
        Assert.Equal(Line("fail", "two" + Environment.NewLine + "      lines"), Format("two" + Environment.NewLine + "lines", level: LogLevel.Error));
    }

    [Fact]
    public void Assignments_URL_passwords_and_JSON_members_are_masked()
    {
        Assert.Equal(Line("warn", "connect host=db password=****** sslmode=disable"),
            Format($"connect host=db password={TestSecrets.DatabasePassword} sslmode=disable"));
        Assert.Equal(Line("info", "Request starting HTTP/1.1 GET http://127.0.0.1/rules?password=******&x=1 - - -"),
            Format($"Request starting HTTP/1.1 GET http://127.0.0.1/rules?password={TestSecrets.QueryPassword}&x=1 - - -", level: LogLevel.Information));
        Assert.Equal(Line("warn", "dial tcp://admin:******@10.0.0.1:1883: connection refused"),
            Format($"dial tcp://admin:{TestSecrets.UrlPassword}@10.0.0.1:1883: connection refused"));
        Assert.Equal(Line("warn", """bad config {"server":"x","password":"******","token":"******"}"""),
            Format($$"""bad config {"server":"x","password":"{{TestSecrets.MqttPassword}}","token":"{{TestSecrets.Token}}"}"""));
    }

    [Fact]
    public void An_exception_text_is_masked_and_indented_below_the_message()
    {
        var exception = new InvalidOperationException($"cannot open postgres://kuiper:{TestSecrets.DatabasePassword}@db/kuiper");
        var text = Format("fail to connect", exception, LogLevel.Error);
        Assert.DoesNotContain(TestSecrets.DatabasePassword, text);
        Assert.StartsWith(Line("fail", "fail to connect") + "      System.InvalidOperationException: cannot open postgres://kuiper:******@db/kuiper", text);
    }

    [Fact]
    public void One_line_with_a_timestamp_when_the_settings_ask_for_it()
    {
        var text = Format($"apikey={TestSecrets.ApiKey}", options: new SimpleConsoleFormatterOptions
        {
            SingleLine = true, TimestampFormat = "'[ts]' ", ColorBehavior = LoggerColorBehavior.Disabled,
        });
        Assert.Equal("[ts] warn: Kuiper.Test[7] apikey=******" + Environment.NewLine, text);
    }

    private sealed class FixedOptions(SimpleConsoleFormatterOptions value) : IOptionsMonitor<SimpleConsoleFormatterOptions>
    {
        public SimpleConsoleFormatterOptions CurrentValue => value;
        public SimpleConsoleFormatterOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<SimpleConsoleFormatterOptions, string?> listener) => null;
    }
}
