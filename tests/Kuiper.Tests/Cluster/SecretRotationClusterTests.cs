using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Inspection;
using Kuiper.Tests.Secrets;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// A key rotation on a three-node PostgreSQL cluster while imports run (docs/operations.md#rotating-the-secrets-key):
/// refused while a member still seals with the old key; afterwards nothing stored is under the old key, every
/// acknowledged import is there after kill -9 of every node, and a node holding only the old key does not start.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[FullTier("starts a cluster of node processes on PostgreSQL")]
public sealed class SecretRotationClusterTests
{
    private const string KeySetting = "Kuiper:Security:SecretsKeyFile";



    [Fact]
    public async Task A_rotation_while_imports_run_leaves_nothing_under_the_old_key_and_loses_nothing()
    {
        using var keys = new TempDir();
        var (a, b) = (SecretKeyFiles.New(keys.Path, "a.key"), SecretKeyFiles.New(keys.Path, "b.key"));
        await using var cluster = await TestCluster.StartAsync(3, $"--{KeySetting}={a}");
        Assert.Equal(HttpStatusCode.OK, (await cluster.Nodes[1].Client.ImportAsync(StoredSecretsScan.Bundle())).Status);
        var keyA = SecretKeyFiles.KeyIdOf(await cluster.Nodes[1].Client.GetStringAsync("/data/export?secrets=sealed"));

        // The new key first on every node, one node at a time; with one node left on the old key a rotation is refused.
        for (var i = 0; i < 3; i++)
        {
            if (i == 2)
            {
                var refused = await cluster.Nodes[0].Client.SendAsync(HttpMethod.Post, "/cluster/secrets/rotate", "");
                Assert.True(refused.Status == HttpStatusCode.Conflict, refused.Body);
                Assert.Contains($"{cluster.Address(2)} ({keyA})", refused.Body);
            }
            var node = cluster.Nodes[i];
            await node.StopGracefullyAsync(TimeSpan.FromSeconds(90));
            await node.WithSetting(KeySetting, $"{b},{a}").StartAgainAsync();
        }
        var keyB = SecretKeyFiles.KeyIdOf(await cluster.Nodes[2].Client.GetStringAsync("/data/export?secrets=sealed"));

        // Imports on one node while another rotates; each one changes a password.
        using var rotated = new CancellationTokenSource();
        var acknowledged = new List<string>();
        var imports = Task.Run(async () =>
        {
            for (var n = 0; !rotated.IsCancellationRequested || acknowledged.Count == 0; n++)
            {
                var password = $"loop-pw-{n}-Z9";
                var reply = await cluster.Nodes[1].Client.ImportAsync(StoredSecretsScan.Bundle(password));
                Assert.True(reply.Status == HttpStatusCode.OK, $"import {n}: {reply.Status} {reply.Body}");
                acknowledged.Add(password);
            }
        });
        var run = await CliRunner.RunAsync(cluster.Nodes[0], "secrets", "rotate", "--json");
        await rotated.CancelAsync();
        await imports;
        var rotation = run.Json();
        Assert.Equal(keyB, rotation.GetProperty("key").GetString());
        Assert.Equal([keyA], rotation.GetProperty("retired").EnumerateArray().Select(k => k.GetString()));

        var rows = StoredSecretsScan.PostgresRows(cluster.Database.ConnectionString);
        Assert.DoesNotContain($"enc:v1:{keyA}:", string.Concat(rows.Select(r => Encoding.UTF8.GetString(r.Item2))));
        Assert.Empty(StoredSecretsScan.Find(rows, [.. StoredSecretsScan.Secrets, .. acknowledged]));

        // Every node killed, and started with the new key alone: the last acknowledged import is what is stored.
        await Task.WhenAll(cluster.Nodes.Select(n => n.KillAsync()));
        foreach (var node in cluster.Nodes) await node.WithSetting(KeySetting, b).StartAgainAsync();
        var exported = await cluster.Nodes[2].Client.GetStringAsync("/data/export?secrets=plain");
        Assert.Contains(acknowledged[^1], exported);
        Assert.Equal(await cluster.Nodes[0].Client.GetStringAsync("/data/export?secrets=plain"), exported);

        // A node holding only the old key does not start.
        var oldKeyOnly = NodeProcess.Prepare(null, [.. cluster.Database.NodeArgs, $"--{KeySetting}={a}"]);
        Assert.NotEqual(0, await oldKeyOnly.FailsToStartAsync());
        Assert.Contains($"stored secrets are sealed with key {keyB}, which Kuiper:Security:SecretsKeyFile does not hold (it holds {keyA})", oldKeyOnly.Output);
        await oldKeyOnly.DisposeAsync();
    }
}
