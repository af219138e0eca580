using Kuiper.Actors.Database;
using Kuiper.Actors.Membership;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Membership;

/// <summary>The cluster as the journal's PostgreSQL database records it: who may form a cluster, and when.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("needs PostgreSQL")]
public sealed class MembershipTableTests : IAsyncLifetime
{
    private const string A = "akka.tcp://kuiper@10.0.0.1:4053", B = "akka.tcp://kuiper@10.0.0.2:4053";
    private static readonly TimeSpan AliveFor = TimeSpan.FromSeconds(2);
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private MembershipTable Table() =>
        new(new PersistenceSettings { Provider = PersistenceSettings.Postgres, ConnectionString = _database.ConnectionString }, ".", AliveFor);

    [Fact]
    public async Task A_cluster_is_formed_once_and_again_only_after_its_members_were_not_seen_for_the_alive_window()
    {
        var (a, b) = (Table(), Table());
        Assert.Equal(0, await a.EpochAsync(default));

        Assert.Equal(1, await a.TryFormAsync(A, default));
        // While A is seen alive, B may not form a cluster of its own: it joins A.
        Assert.Null(await b.TryFormAsync(B, default));
        Assert.Equal([A], await b.AliveMembersAsync(B, default));
        Assert.Equal(1, await a.BeatAsync(A, 1, default));
        // A node never counts itself: a restarted node at the same address forms at once if nobody else is alive.
        Assert.Empty(await a.AliveMembersAsync(A, default));

        await TestCluster.EventuallyAsync(() => b.AliveMembersAsync(B, default), alive => alive.Count == 0, AliveFor * 5, "A aging out");
        Assert.Equal(2, await b.TryFormAsync(B, default));
        // A beats again: the database names the newer cluster, so A knows it was given up for dead.
        Assert.Equal(2, await a.BeatAsync(A, 1, default));
        // A's old-epoch row does not count as a member of the new cluster.
        Assert.Empty(await b.AliveMembersAsync(B, default));

        await b.ForgetAsync(B, default);
        Assert.Empty(await a.AliveMembersAsync(A, default));
    }

    [Fact]
    public async Task Two_nodes_forming_at_once_make_one_cluster()
    {
        var tables = Enumerable.Range(0, 6).Select(_ => Table()).ToList();
        var formed = await Task.WhenAll(tables.Select((table, i) => table.TryFormAsync($"akka.tcp://kuiper@10.0.0.{i + 1}:4053", default)));
        Assert.Equal(1, Assert.Single(formed, epoch => epoch is not null));
        Assert.Equal(1, await tables[0].EpochAsync(default));
    }
}
