namespace Kuiper.Messages.Imports;

/// <summary>
/// An import request with an <c>Idempotency-Key</c> header asks the coordinator for its key before it runs. Replies
/// <see cref="ImportKeyClaim"/>. <paramref name="Fingerprint"/> names the request (method, path, query and body);
/// <paramref name="HoldFor"/>: how long the claim holds without being settled (its node may die).
/// </summary>
public sealed record ClaimImportKey(string Key, string Fingerprint, TimeSpan HoldFor) : IImportCommand;

public enum ImportKeyState
{
    /// <summary>The key is this request's: run it, then settle.</summary>
    Claimed,

    /// <summary>A request with this key runs now.</summary>
    Running,

    /// <summary>A request with this key was answered: <see cref="ImportKeyClaim.Answer"/> is its answer.</summary>
    Answered,

    /// <summary>The key was used with another request.</summary>
    Mismatch,
}

/// <param name="Answer">the first answer, when <paramref name="State"/> is <see cref="ImportKeyState.Answered"/></param>
public sealed record ImportKeyClaim(string Key, ImportKeyState State, IdempotentAnswer? Answer = null) : IKuiperMessage;

/// <summary>
/// The claimed request was answered: <paramref name="Answer"/> is kept (and recorded) for its retries; null gives the
/// key back unused (nothing was applied, or the client went away), so that a retry runs. Replies <see cref="ImportKeySettled"/>.
/// </summary>
public sealed record SettleImportKey(string Key, string Fingerprint, IdempotentAnswer? Answer) : IImportCommand;

public sealed record ImportKeySettled(string Key) : IKuiperMessage;

/// <summary>What a request with an <c>Idempotency-Key</c> was answered, replayed to its retries; persisted.</summary>
/// <param name="Headers">the headers the endpoint set itself (not the server's)</param>
public sealed record IdempotentAnswer(
    string Key,
    string Fingerprint,
    DateTimeOffset At,
    int Status,
    string? ContentType,
    byte[] Body,
    IReadOnlyDictionary<string, string> Headers) : IKuiperMessage;

/// <summary>Persisted by the coordinator's record keeper: a key's answer, kept for the retention.</summary>
public sealed record ImportKeyRecorded(IdempotentAnswer Answer) : IKuiperMessage;
