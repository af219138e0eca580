using Kuiper.Actors.Imports;
using Kuiper.Messages.Imports;

namespace Kuiper.Tests.Imports;

public sealed class ImportKeysTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);

    private static IdempotentAnswer Answer(string key, string fingerprint, DateTimeOffset at) =>
        new(key, fingerprint, at, 200, "application/json", "{}"u8.ToArray(), new Dictionary<string, string>());

    [Fact]
    public void The_first_request_claims_its_key_a_retry_waits_and_then_gets_the_first_answer()
    {
        var keys = new ImportKeys(new KeyRetention(TimeSpan.FromHours(24), 10));

        Assert.Equal(ImportKeyState.Claimed, keys.Claim(new ClaimImportKey("k", "f", Hold), Now).State);
        Assert.Equal(ImportKeyState.Running, keys.Claim(new ClaimImportKey("k", "f", Hold), Now).State);
        Assert.Equal(ImportKeyState.Mismatch, keys.Claim(new ClaimImportKey("k", "other", Hold), Now).State);
        Assert.True(keys.Settle(new SettleImportKey("k", "f", Answer("k", "f", Now)), Now));

        var retry = keys.Claim(new ClaimImportKey("k", "f", Hold), Now.AddHours(23));
        Assert.Equal(ImportKeyState.Answered, retry.State);
        Assert.Equal("f", retry.Answer!.Fingerprint);
        Assert.Equal(ImportKeyState.Mismatch, keys.Claim(new ClaimImportKey("k", "other", Hold), Now.AddHours(23)).State);
    }

    [Fact]
    public void A_key_given_back_or_past_its_retention_or_its_hold_is_free_again()
    {
        var keys = new ImportKeys(new KeyRetention(TimeSpan.FromHours(24), 10));
        keys.Claim(new ClaimImportKey("back", "f", Hold), Now);
        Assert.False(keys.Settle(new SettleImportKey("back", "f", null), Now));
        keys.Claim(new ClaimImportKey("old", "f", Hold), Now);
        keys.Settle(new SettleImportKey("old", "f", Answer("old", "f", Now)), Now);
        keys.Claim(new ClaimImportKey("lost", "f", Hold), Now);

        Assert.Equal(ImportKeyState.Claimed, keys.Claim(new ClaimImportKey("back", "f", Hold), Now).State);
        Assert.Equal(ImportKeyState.Claimed, keys.Claim(new ClaimImportKey("old", "g", Hold), Now.AddHours(24)).State);
        Assert.Equal(ImportKeyState.Claimed, keys.Claim(new ClaimImportKey("lost", "g", Hold), Now + Hold).State);
    }

    [Fact]
    public void Only_the_newest_answers_are_kept_past_the_limit()
    {
        var keys = new ImportKeys(new KeyRetention(TimeSpan.FromHours(24), 2));
        for (var i = 0; i < 3; i++) keys.Add(Answer($"k{i}", "f", Now.AddMinutes(i)), Now.AddMinutes(i));

        Assert.Equal(["k1", "k2"], keys.Answers.Select(a => a.Key));
        Assert.Equal(ImportKeyState.Claimed, keys.Claim(new ClaimImportKey("k0", "f", Hold), Now.AddMinutes(3)).State);
    }
}
