using Spectre.Console;

namespace Kuiper.Node.Cli;

/// <summary>How far a long import or export is, when the node says (its async API will); null parts are unknown.</summary>
public sealed record ProgressReport(string? Stage, double? Percent);

/// <summary>
/// Shows that a long call is under way. Today a spinner (the node answers an import only when it is done); a progress
/// bar fed by the async import API can take its place behind the same interface.
/// </summary>
public interface IProgressDisplay
{
    Task<T> TrackAsync<T>(string description, Func<IProgress<ProgressReport>, Task<T>> work);
}

/// <summary>Nothing shown: output is not a terminal (scripts, pipes, tests).</summary>
public sealed class NoProgress : IProgressDisplay
{
    public static readonly NoProgress Instance = new();

    public Task<T> TrackAsync<T>(string description, Func<IProgress<ProgressReport>, Task<T>> work) =>
        work(new Progress<ProgressReport>());
}

/// <summary>A Spectre.Console spinner on the terminal's error stream, so that standard output stays the result alone.</summary>
public sealed class SpinnerProgress(IAnsiConsole console) : IProgressDisplay
{
    /// <summary>A spinner on stderr when it is an interactive terminal; otherwise none.</summary>
    public static IProgressDisplay ForConsole()
    {
        if (Console.IsErrorRedirected) return NoProgress.Instance;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Profile.Capabilities.Interactive ? new SpinnerProgress(console) : NoProgress.Instance;
    }

    public Task<T> TrackAsync<T>(string description, Func<IProgress<ProgressReport>, Task<T>> work) =>
        console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(description), context =>
            work(new Progress<ProgressReport>(report =>
            {
                var stage = report.Stage is null ? description : $"{description}: {report.Stage}";
                context.Status(Markup.Escape(report.Percent is { } percent ? $"{stage} ({percent:0}%)" : stage));
            })));
}
