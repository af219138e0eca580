using System.Diagnostics.CodeAnalysis;

namespace Kuiper.Domain.Streams;

/// <summary>Outcome of parsing a stream/table statement: a definition, or eKuiper's exact error text.</summary>
public sealed class StreamParseResult
{
    private StreamParseResult(StreamDefinition? definition, string? error, bool isNotFound)
    {
        Definition = definition;
        Error = error;
        IsNotFound = isNotFound;
    }

    /// <summary>The parsed definition; null when <see cref="Error"/> is set.</summary>
    public StreamDefinition? Definition { get; }

    /// <summary>The error text, byte-for-byte as eKuiper reports it; null on success.</summary>
    public string? Error { get; }

    /// <summary>
    /// True when eKuiper classifies the error as <c>NOT_FOUND</c> (errorx code 1002, HTTP 404 on REST):
    /// a CREATE of the wrong kind under <see cref="StreamStatementParser.ParseForKind"/>. All other
    /// errors are <c>StreamTableError</c> (3000).
    /// </summary>
    public bool IsNotFound { get; }

    [MemberNotNullWhen(true, nameof(Definition))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Definition is not null;

    public static StreamParseResult Success(StreamDefinition definition) =>
        new(definition ?? throw new ArgumentNullException(nameof(definition)), null, false);

    public static StreamParseResult Failure(string error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)), false);

    public static StreamParseResult NotFound(string error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)), true);

    public override string ToString() => IsSuccess ? Definition.ToString() : Error;
}
