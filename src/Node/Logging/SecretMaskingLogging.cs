using Akka.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace Kuiper.Node.Logging;

/// <summary>
/// Every log line of the node with its secrets masked (<see cref="Kuiper.Domain.Secrets.SecretText.MaskMessage"/>):
/// the console writes through <see cref="SecretMaskingConsoleFormatter"/>, and Akka's log events go to the same console
/// through Microsoft.Extensions.Logging instead of Akka's own console logger; Akka's minimal logger masks too.
/// </summary>
public static class SecretMaskingLogging
{
    /// <summary>The console's formatter is the masking one, whatever <c>Logging:Console:FormatterName</c> says.</summary>
    public static ILoggingBuilder AddSecretMaskingConsole(this ILoggingBuilder logging)
    {
        logging.AddConsoleFormatter<SecretMaskingConsoleFormatter, SimpleConsoleFormatterOptions>();
        // After the settings are bound: a formatter named in the settings (json, simple) would print secrets as they are.
        logging.Services.PostConfigure<ConsoleLoggerOptions>(console => console.FormatterName = SecretMaskingConsoleFormatter.FormatterName);
        return logging;
    }

    /// <summary>
    /// Akka's log events through the host's <see cref="ILoggerFactory"/>, in Akka's own text (<c>[INFO][time][Thread n][source] ...</c>)
    /// under the category <c>Akka.Actor.ActorSystem</c>. appsettings.json keeps <c>Logging:LogLevel:Akka</c> at Information so
    /// that <c>akka.loglevel</c> decides what Akka prints, as before. What Akka prints before its loggers start and after
    /// they stop (at <c>akka.stdout-loglevel</c>, unchanged) goes through <see cref="SecretMaskingStdoutLogger"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithLogsThroughHost(this AkkaConfigurationBuilder akka) =>
        akka
            .AddHocon(MinimalLoggerHocon, HoconAddMode.Prepend)
            .ConfigureLoggers(setup =>
            {
                setup.ClearLoggers();
                setup.AddLoggerFactory();
            });

    /// <summary>Akka's minimal logger is the masking one.</summary>
    public static string MinimalLoggerHocon { get; } =
        $"akka.stdout-logger-class = \"{typeof(SecretMaskingStdoutLogger).FullName}, {typeof(SecretMaskingStdoutLogger).Assembly.GetName().Name}\"";
}
