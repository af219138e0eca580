using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// The <c>Idempotency-Key</c>s of imports: the answers kept for their retries (bounded by age and count) and the keys
/// whose request runs now. Pure: the coordinator holds one, its record keeper another for its snapshots.
/// </summary>
public sealed class ImportKeys(KeyRetention retention)
{
    private readonly Dictionary<string, IdempotentAnswer> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Fingerprint, DateTimeOffset Until)> _running = new(StringComparer.Ordinal);

    /// <summary>The kept answers, oldest first.</summary>
    public IReadOnlyList<IdempotentAnswer> Answers => _answers.Values.OrderBy(a => a.At).ToList();

    public ImportKeyClaim Claim(ClaimImportKey claim, DateTimeOffset now)
    {
        Prune(now);
        if (_answers.TryGetValue(claim.Key, out var answer))
            return answer.Fingerprint == claim.Fingerprint
                ? new ImportKeyClaim(claim.Key, ImportKeyState.Answered, answer)
                : new ImportKeyClaim(claim.Key, ImportKeyState.Mismatch);
        if (_running.TryGetValue(claim.Key, out var running) && running.Until > now)
            return new ImportKeyClaim(claim.Key, running.Fingerprint == claim.Fingerprint ? ImportKeyState.Running : ImportKeyState.Mismatch);
        _running[claim.Key] = (claim.Fingerprint, now + claim.HoldFor);
        return new ImportKeyClaim(claim.Key, ImportKeyState.Claimed);
    }

    /// <summary>Ends a claim; true when <paramref name="settle"/> carries an answer to keep (and record).</summary>
    public bool Settle(SettleImportKey settle, DateTimeOffset now)
    {
        if (_running.TryGetValue(settle.Key, out var running) && running.Fingerprint == settle.Fingerprint) _running.Remove(settle.Key);
        if (settle.Answer is null) return false;
        Add(settle.Answer, now);
        return true;
    }

    /// <summary>An answer read back or recorded: kept unless it is past the retention.</summary>
    public void Add(IdempotentAnswer answer, DateTimeOffset now)
    {
        _answers[answer.Key] = answer;
        Prune(now);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var expired in _answers.Values.Where(a => a.At + retention.Retention <= now).ToList()) _answers.Remove(expired.Key);
        if (_answers.Count <= retention.Limit) return;
        foreach (var oldest in _answers.Values.OrderBy(a => a.At).Take(_answers.Count - retention.Limit).ToList()) _answers.Remove(oldest.Key);
    }
}
