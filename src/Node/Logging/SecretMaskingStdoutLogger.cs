using Akka.Event;
using Kuiper.Domain.Secrets;

namespace Kuiper.Node.Logging;

/// <summary>
/// Akka's minimal logger (<c>akka.stdout-logger-class</c>): what Akka prints itself before its loggers start, after they
/// stop and when they fail, at <c>akka.stdout-loglevel</c>. In place of Akka's StandardOutLogger, the same text
/// (<c>[WARNING][time][Thread n][source] ...</c>), passed through <see cref="SecretText.MaskMessage"/>, without colours.
/// Akka creates it by its type name, with no arguments.
/// </summary>
public sealed class SecretMaskingStdoutLogger : MinimalLogger
{
    protected override void Log(object message)
    {
        if (Text(message) is { } text) Console.Out.WriteLine(text);
    }

    /// <summary>The line printed for <paramref name="message"/>: a log event as Akka writes it (exception included), masked.</summary>
    public static string? Text(object? message) => message?.ToString() is { } text ? SecretText.MaskMessage(text) : null;
}
