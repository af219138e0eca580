using System.Net;
using System.Text.RegularExpressions;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Inspection;
using Microsoft.Data.Sqlite;

namespace Kuiper.Tests.Secrets;

/// <summary>
/// Secrets at rest on node processes (docs/decisions.md#secrets): with a key file nothing a node stores holds a secret
/// (journal, snapshots, the tables beside them, the database files themselves), everything reads back exactly after a
/// restart, a node lacking a key refuses to start naming it, and a rotation moves everything to the new key.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class SecretsAtRestNodeTests
{

    private static string KeyArg(params string[] files) => $"--Kuiper:Security:SecretsKeyFile={string.Join(',', files)}";

    /// <summary>The bundle, then 21 changes of one sink config: its partition writes a snapshot (every 20 events).</summary>
    private static async Task ImportAndChangeAsync(HttpClient client)
    {
        var imported = await client.ImportAsync(StoredSecretsScan.Bundle());
        Assert.True(imported.Status == HttpStatusCode.OK, imported.Body);
        for (var i = 0; i < 21; i++)
        {
            var put = await client.SendAsync(HttpMethod.Put, "/metadata/sinks/influx2/confKeys/cloud",
                $$"""{"addr":"http://influx:{{8000 + i}}","token":"******"}""");
            Assert.True(put.Status == HttpStatusCode.OK, put.Body);
        }
    }


    [Fact]
    public async Task On_sqlite_nothing_stored_holds_a_secret_and_everything_reads_back_after_a_restart()
    {
        using var keys = new TempDir();
        var key = SecretKeyFiles.New(keys.Path, "a.key");
        await using var node = await NodeProcess.StartAsync(null, KeyArg(key));
        await ImportAndChangeAsync(node.Client);
        var plain = await node.Client.GetStringAsync("/data/export?secrets=plain");
        foreach (var secret in StoredSecretsScan.Secrets) Assert.Contains(secret, plain);

        await node.StopGracefullyAsync(TimeSpan.FromSeconds(60));
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(node.DataDir, "kuiper.db")};Mode=ReadOnly"))
        {
            connection.Open();
            Assert.True(StoredSecretsScan.Count(connection, "snapshot", "manifest = 'partition.snapshot.v1'") > 0, "a partition snapshot was written");
            Assert.True(StoredSecretsScan.Count(connection, "journal", "manifest = 'partition.batch-stored.v1'") >= 22);
        }
        Assert.Empty(StoredSecretsScan.Find(StoredSecretsScan.SqliteRows(node.DataDir)));
        Assert.Empty(StoredSecretsScan.Find(StoredSecretsScan.Files(node.DataDir)));

        await node.StartAgainAsync();
        Assert.Equal(plain, await node.Client.GetStringAsync("/data/export?secrets=plain"));
    }

    [Fact]
    public async Task On_postgres_nothing_stored_holds_a_secret_and_everything_reads_back_after_a_restart()
    {
        using var keys = new TempDir();
        var key = SecretKeyFiles.New(keys.Path, "a.key");
        await using var database = await PostgresDatabase.CreateAsync();
        await using var node = await NodeProcess.StartAsync(null, [.. database.NodeArgs, KeyArg(key)]);
        await ImportAndChangeAsync(node.Client);
        var plain = await node.Client.GetStringAsync("/data/export?secrets=plain");
        Assert.Contains(TestSecrets.ConnectionUrlPassword, plain);

        await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            Assert.True(StoredSecretsScan.Count(connection, "snapshot", "manifest = 'partition.snapshot.v1'") > 0, "a partition snapshot was written");
        }
        Assert.Empty(StoredSecretsScan.Find(StoredSecretsScan.PostgresRows(database.ConnectionString)));

        await node.KillAsync();
        await node.StartAgainAsync();
        Assert.Equal(plain, await node.Client.GetStringAsync("/data/export?secrets=plain"));
    }

    [Fact]
    public async Task A_node_lacking_a_key_that_secrets_are_sealed_with_refuses_to_start_naming_it()
    {
        using var keys = new TempDir();
        var (a, b) = (SecretKeyFiles.New(keys.Path, "a.key"), SecretKeyFiles.New(keys.Path, "b.key"));
        await using var node = await NodeProcess.StartAsync(null, KeyArg(a));
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync(StoredSecretsScan.Bundle())).Status);
        var keyA = SecretKeyFiles.KeyIdOf(await node.Client.GetStringAsync("/data/export?secrets=sealed"));
        var plain = await node.Client.ExportAsync();
        await node.StopGracefullyAsync(TimeSpan.FromSeconds(60));

        var withOtherKey = NodeProcess.Prepare(node.DataDir, KeyArg(b));
        Assert.NotEqual(0, await withOtherKey.FailsToStartAsync());
        Assert.Contains($"stored secrets are sealed with key {keyA}, which Kuiper:Security:SecretsKeyFile does not hold", withOtherKey.Output);
        await withOtherKey.KillAsync();

        var withoutKey = NodeProcess.Prepare(node.DataDir);
        Assert.NotEqual(0, await withoutKey.FailsToStartAsync());
        Assert.Contains($"stored secrets are sealed with key {keyA}, and Kuiper:Security:SecretsKeyFile names no key", withoutKey.Output);
        await withoutKey.KillAsync();

        // Nothing was written over them: with the key back, everything is there.
        await node.StartAgainAsync();
        Assert.Equal(plain, await node.Client.ExportAsync());
    }

    [Fact]
    public async Task Without_a_key_the_node_says_once_that_it_stores_secrets_as_given()
    {
        await using var node = await NodeProcess.StartAsync();
        const string warning = "Secrets are stored as given: Kuiper:Security:SecretsKeyFile names no key";
        Assert.Single(Regex.Matches(node.Output, Regex.Escape(warning)));
    }

    [Fact]
    public async Task A_rotation_moves_every_secret_to_the_new_key_a_node_with_only_the_old_key_no_longer_starts_and_an_unseal_undoes_it_all()
    {
        using var keys = new TempDir();
        var (a, b) = (SecretKeyFiles.New(keys.Path, "a.key"), SecretKeyFiles.New(keys.Path, "b.key"));
        await using var node = await NodeProcess.StartAsync(null, KeyArg(a));
        await ImportAndChangeAsync(node.Client);
        var plain = await node.Client.GetStringAsync("/data/export?secrets=plain");
        var keyA = SecretKeyFiles.KeyIdOf(await node.Client.GetStringAsync("/data/export?secrets=sealed"));
        await node.StopGracefullyAsync(TimeSpan.FromSeconds(60));

        // The new key first, the old one still held; then the rotation.
        var rotating = NodeProcess.Prepare(node.DataDir, KeyArg(b, a));
        await rotating.StartAgainAsync();
        var keyB = SecretKeyFiles.KeyIdOf(await rotating.Client.GetStringAsync("/data/export?secrets=sealed"));
        Assert.NotEqual(keyA, keyB);
        var run = await CliRunner.RunAsync(rotating, "secrets", "rotate");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Matches($"^every stored secret is sealed with key {keyB}: [0-9]+ journal row\\(s\\) and [1-9][0-9]* snapshot\\(s\\) rewritten; retired {keyA}\n$", run.Out);
        var again = (await CliRunner.RunAsync(rotating, "secrets", "rotate", "--json")).Json();
        Assert.Equal((keyB, 0, 0, 0), (again.GetProperty("key").GetString(), again.GetProperty("journalRows").GetInt32(),
            again.GetProperty("snapshots").GetInt32(), again.GetProperty("retired").GetArrayLength()));
        Assert.Equal(plain, await rotating.Client.GetStringAsync("/data/export?secrets=plain"));
        await rotating.StopGracefullyAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(StoredSecretsScan.Find(StoredSecretsScan.SqliteRows(node.DataDir)));
        Assert.DoesNotContain($"enc:v1:{keyA}:", string.Concat(StoredSecretsScan.SqliteRows(node.DataDir).Select(r => System.Text.Encoding.UTF8.GetString(r.Item2))));

        var oldKeyOnly = NodeProcess.Prepare(node.DataDir, KeyArg(a));
        Assert.NotEqual(0, await oldKeyOnly.FailsToStartAsync());
        Assert.Contains($"stored secrets are sealed with key {keyB}, which Kuiper:Security:SecretsKeyFile does not hold (it holds {keyA})", oldKeyOnly.Output);
        await oldKeyOnly.KillAsync();

        // The new key alone opens everything. With sealing off, a rotation unseals (the step before a rollback): then
        // the node starts without any key.
        var unsealing = NodeProcess.Prepare(node.DataDir, KeyArg(b), "--Kuiper:Security:SealSecretsAtRest=false");
        await unsealing.StartAgainAsync();
        Assert.Equal(plain, await unsealing.Client.GetStringAsync("/data/export?secrets=plain"));
        Assert.Contains("Secrets are stored as given: Kuiper:Security:SealSecretsAtRest is false", unsealing.Output);
        var unsealed = await CliRunner.RunAsync(unsealing, "secrets", "rotate");
        Assert.True(unsealed.ExitCode == 0, unsealed.Err);
        Assert.Matches($"^every stored secret is stored as given: [1-9][0-9]* journal row\\(s\\) and [1-9][0-9]* snapshot\\(s\\) rewritten; retired {keyB}\n$", unsealed.Out);
        await unsealing.StopGracefullyAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("enc:v1:", string.Concat(StoredSecretsScan.SqliteRows(node.DataDir).Select(r => System.Text.Encoding.UTF8.GetString(r.Item2))));

        var withoutKey = NodeProcess.Prepare(node.DataDir);
        await withoutKey.StartAgainAsync();
        Assert.Equal(plain, await withoutKey.Client.GetStringAsync("/data/export?secrets=plain"));
        await withoutKey.KillAsync();
    }

    [Fact]
    public async Task A_rotation_without_a_key_is_refused()
    {
        await using var node = await NodeProcess.StartAsync();
        var reply = await node.Client.SendAsync(HttpMethod.Post, "/cluster/secrets/rotate", "");
        Assert.Equal((HttpStatusCode.Conflict,
                KuiperApi.Envelope("no key to rotate to: set Kuiper:Security:SecretsKeyFile (the new key's file first) on every node")),
            (reply.Status, reply.Body));
    }

    [Fact]
    public async Task An_error_that_quotes_a_url_shows_its_password_masked()
    {
        await using var node = await NodeProcess.StartAsync();
        // Port 9 (discard) on loopback refuses: the fetch fails and its error quotes the URL.
        var url = $"http://fetcher:{TestSecrets.FetchPassword}@127.0.0.1:9/plugin.zip";
        var rest = await node.Client.SendAsync(HttpMethod.Post, "/plugins/sources", $$"""{"name":"s1","file":"{{url}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, rest.Status);
        Assert.DoesNotContain(TestSecrets.FetchPassword, rest.Body);
        Assert.Contains("fetcher:******@127.0.0.1:9", rest.Body);

        var imported = await node.Client.ImportAsync($$$"""{"nativePlugins":{"sources_s2":"{\"name\":\"s2\",\"file\":\"{{{url}}}\"}"}}""", "?partial=1");
        Assert.DoesNotContain(TestSecrets.FetchPassword, imported.Body);
        var status = await node.Client.GetReplyAsync("/data/import/status");
        Assert.DoesNotContain(TestSecrets.FetchPassword, status.Body);
        Assert.Contains("fetcher:******@127.0.0.1:9", status.Body);
        Assert.DoesNotContain(TestSecrets.FetchPassword, node.Output);
    }

    [Fact]
    public async Task A_rotation_while_the_database_is_down_answers_503_retires_nothing_and_runs_once_it_is_back()
    {
        using var keys = new TempDir();
        var (a, b) = (SecretKeyFiles.New(keys.Path, "a.key"), SecretKeyFiles.New(keys.Path, "b.key"));
        await using var server = await PostgresServer.StartAsync();
        await using var node = await NodeProcess.StartAsync(null, [.. server.NodeArgs, KeyArg(a)]);
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync(StoredSecretsScan.Bundle())).Status);
        var keyA = SecretKeyFiles.KeyIdOf(await node.Client.GetStringAsync("/data/export?secrets=sealed"));
        await node.StopGracefullyAsync(TimeSpan.FromSeconds(60));
        await node.WithSetting("Kuiper:Security:SecretsKeyFile", $"{b},{a}").StartAgainAsync();

        await server.PauseAsync();
        var down = await node.Client.SendAsync(HttpMethod.Post, "/cluster/secrets/rotate", "");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        Assert.StartsWith("{\"error\":1000,\"message\":\"the journal's database did not answer: ", down.Body);
        Assert.EndsWith("; no key was retired, run the rotation again\"}\n", down.Body);

        await server.ResumeAsync();
        var rotated = await TestCluster.EventuallyAsync(() => node.Client.SendAsync(HttpMethod.Post, "/cluster/secrets/rotate", ""),
            r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "a rotation once the database is back");
        Assert.Contains($"\"retired\":[\"{keyA}\"]", rotated.Body);
    }
}
