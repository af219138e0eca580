using Kuiper.Domain.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Kuiper.Node.Logging;

/// <summary>
/// The console's lines as the simple formatter writes them (<c>warn: Category[0]</c>, then the message indented; or one
/// line with <c>SingleLine</c>), with the message, the scopes and the exception text passed through
/// <see cref="SecretText.MaskMessage"/> first: a password quoted in an error or a request must not reach a log file.
/// Reads the simple formatter's options (<c>Logging:Console:FormatterOptions</c>): timestamp, UTC, single line, scopes
/// and colours.
/// </summary>
public sealed class SecretMaskingConsoleFormatter(IOptionsMonitor<SimpleConsoleFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "kuiper-masked";

    private const string Padding = "      ";
    private static readonly string NewLineWithPadding = Environment.NewLine + Padding;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter is { } format ? format(logEntry.State, logEntry.Exception) : logEntry.State?.ToString();
        if (message is null && logEntry.Exception is null) return;
        var settings = options.CurrentValue;
        var singleLine = settings.SingleLine;

        if (settings.TimestampFormat is { } timestampFormat)
        {
            var now = settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            textWriter.Write(now.ToString(timestampFormat, System.Globalization.CultureInfo.InvariantCulture));
        }
        WriteLevel(textWriter, logEntry.LogLevel, UseColours(settings));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write(']');
        if (!singleLine) textWriter.Write(Environment.NewLine);

        if (settings.IncludeScopes && scopeProvider is not null)
        {
            var scopes = new System.Text.StringBuilder();
            scopeProvider.ForEachScope((scope, text) => text.Append(text.Length == 0 && !singleLine ? Padding + "=> " : " => ").Append(scope), scopes);
            if (scopes.Length > 0)
            {
                textWriter.Write(SecretText.MaskMessage(scopes.ToString()));
                if (!singleLine) textWriter.Write(Environment.NewLine);
            }
        }
        WriteMessage(textWriter, message, singleLine);
        WriteMessage(textWriter, logEntry.Exception?.ToString(), singleLine);
        if (singleLine) textWriter.Write(Environment.NewLine);
    }

    private static void WriteMessage(TextWriter textWriter, string? message, bool singleLine)
    {
        if (string.IsNullOrEmpty(message)) return;
        var masked = SecretText.MaskMessage(message);
        if (singleLine)
        {
            textWriter.Write(' ');
            textWriter.Write(masked.Replace(Environment.NewLine, " "));
        }
        else
        {
            textWriter.Write(Padding);
            textWriter.Write(masked.Replace(Environment.NewLine, NewLineWithPadding));
            textWriter.Write(Environment.NewLine);
        }
    }

    /// <summary>As the simple formatter decides: colours on a terminal, none when the output is redirected (a file, a test).</summary>
    private static bool UseColours(SimpleConsoleFormatterOptions settings) => settings.ColorBehavior switch
    {
        LoggerColorBehavior.Enabled => true,
        LoggerColorBehavior.Disabled => false,
        _ => !Console.IsOutputRedirected,
    };

    private static void WriteLevel(TextWriter textWriter, LogLevel level, bool colours)
    {
        var (text, colour) = level switch
        {
            LogLevel.Trace => ("trce", "\e[37m"),
            LogLevel.Debug => ("dbug", "\e[37m"),
            LogLevel.Information => ("info", "\e[32m"),
            LogLevel.Warning => ("warn", "\e[1m\e[33m"),
            LogLevel.Error => ("fail", "\e[30m\e[41m"),
            LogLevel.Critical => ("crit", "\e[1m\e[37m\e[41m"),
            _ => (level.ToString(), ""),
        };
        if (!colours || colour.Length == 0)
        {
            textWriter.Write(text);
            return;
        }
        // The level's colour, then back to the terminal's own foreground, intensity and background.
        textWriter.Write(colour);
        textWriter.Write(text);
        textWriter.Write("\e[39m\e[22m\e[49m");
    }
}
