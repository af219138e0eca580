using System.Data.Common;
using Kuiper.Actors.Database;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Secrets;

namespace Kuiper.Node.Security;

/// <summary>
/// Before the actor system starts: a node that lacks a key some stored secret is sealed with refuses to start,
/// naming the key (it could not read those secrets, and must not write plaintext beside them); a node without a key
/// says once that it stores secrets as given.
/// </summary>
public static class SecretsAtStart
{
    public static void Check(WebApplication app, KuiperSettings settings)
    {
        var ring = settings.SecretKeyRing();
        string? refusal;
        try
        {
            if (!JournalDatabase.IsPostgres(settings.Persistence)) Directory.CreateDirectory(settings.DataDir);
            using var bound = new CancellationTokenSource(settings.Persistence.CallTimeout);
            refusal = new SealedKeysTable(settings.Persistence, settings.DataDir).CheckAndRegisterAsync(ring, settings.SecretsAtRest().SealingKey, bound.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or TimeoutException)
        {
            // The journal's database is down: the node starts unready as before, and the serializer refuses any secret
            // it cannot open (the recovery fails naming the key) instead of this check.
            app.Logger.LogWarning("The keys of stored secrets could not be checked, the journal's database did not answer: {Error}", e.Message);
            refusal = null;
        }
        if (refusal is not null) throw new InvalidOperationException(refusal);
        if (ring is null)
            app.Logger.LogWarning(
                "Secrets are stored as given: Kuiper:Security:SecretsKeyFile names no key, so passwords and tokens reach the journal in plaintext");
        else if (settings.SecretsAtRest().SealingKey is { } key)
            app.Logger.LogInformation("Secrets are sealed with key {KeyId} before they are stored", key);
        else
            app.Logger.LogWarning(
                "Secrets are stored as given: Kuiper:Security:SealSecretsAtRest is false (the key file only opens what is sealed)");
    }
}
