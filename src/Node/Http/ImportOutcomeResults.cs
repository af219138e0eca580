using Kuiper.Actors.Imports;

namespace Kuiper.Node.Http;

public static class ImportOutcomeResults
{
    extension(ImportOutcome outcome)
    {
        /// <summary>The answer an HTTP client gets when the import has no trustworthy report: 503 only when nothing was applied.</summary>
        public IResult? Failure => outcome.Unavailable is { } reason
            ? ErrorEnvelope.Result(reason, status: StatusCodes.Status503ServiceUnavailable)
            : outcome.Unknown is { } unknown
                ? ErrorEnvelope.Result(unknown, status: outcome.UnknownStatus)
                : null;
    }
}
