using Akka.Actor;
using Akka.Event;

namespace Kuiper.Actors.Membership;

/// <summary>
/// How a node on a shared PostgreSQL journal gets into the cluster, so that there is only ever one cluster on it.
/// Akka's first seed node joins itself when it cannot reach the other seeds within a few seconds: cut off and
/// restarted, it formed a second cluster on the same journal. Here the database decides instead:
/// <list type="bullet">
/// <item>while not a member, the node keeps joining the configured seeds and every member the database has seen alive
/// lately (so a restarted node finds the cluster even when its seeds moved);</item>
/// <item>only a node that may form one (no seeds, or the first seed) forms a new cluster, and only when no member of
/// the current one has been seen for the alive window (<see cref="MembershipTable.TryFormAsync"/>);</item>
/// <item>once Up, it records that it is alive every beat; if the database names a newer cluster (ours was given up for
/// dead and another formed), this node downs itself, restarts, and joins that one.</item>
/// </list>
/// </summary>
public sealed class ClusterFormation : ReceiveActor, IWithTimers
{
    private readonly MembershipTable _table;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly IReadOnlyList<Address> _seeds;
    private readonly bool _mayForm;
    private readonly TimeSpan _beat;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _self;
    private IReadOnlyList<Address> _joining = [];

    /// <param name="seeds">the configured seed nodes</param>
    /// <param name="beat">how often the node looks for the cluster while joining, and says it is alive once a member</param>
    public ClusterFormation(MembershipTable table, IReadOnlyList<Address> seeds, TimeSpan beat)
    {
        _table = table;
        _beat = beat;
        _self = _cluster.SelfAddress.ToString();
        _seeds = seeds.Where(s => s != _cluster.SelfAddress).ToList();
        _mayForm = seeds.Count == 0 || seeds[0] == _cluster.SelfAddress;
        Joining();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(MembershipTable table, IReadOnlyList<Address> seeds, TimeSpan beat) =>
        Akka.Actor.Props.Create(() => new ClusterFormation(table, seeds, beat));

    protected override void PreStart()
    {
        var self = Self;
        _cluster.RegisterOnMemberUp(() => self.Tell(MemberUp.Instance));
        self.Tell(Look.Instance);
    }

    private void Joining()
    {
        Receive<Look>(_ => LookAsync().PipeTo(Self, failure: e => new LookFailed(e)));
        Receive<Looked>(looked =>
        {
            if (looked.FormedEpoch is { } epoch)
            {
                _log.Info("No member of a cluster on this journal was seen lately: forming cluster epoch {0}", epoch);
                _cluster.Join(_cluster.SelfAddress);
                Become(() => Member(epoch));
                return;
            }
            JoinAny(looked.Alive.Select(Address.Parse));
            Timers.StartSingleTimer(nameof(Look), Look.Instance, _beat);
        });
        Receive<LookFailed>(failed =>
        {
            _log.Warning("Cannot read the cluster's members from the journal's database ({0}); joining the seed nodes only, never forming",
                failed.Error.GetBaseException().Message);
            JoinAny([]);
            Timers.StartSingleTimer(nameof(Look), Look.Instance, _beat);
        });
        Receive<MemberUp>(_ =>
        {
            Timers.Cancel(nameof(Look));
            _table.EpochAsync(CancellationToken.None).PipeTo(Self, success: epoch => new Adopted(epoch), failure: e => new BeatFailed(e));
        });
        Receive<Adopted>(adopted => Become(() => Member(adopted.Epoch)));
        Receive<BeatFailed>(_ => Timers.StartSingleTimer(nameof(MemberUp), MemberUp.Instance, _beat));
    }

    private async Task<Looked> LookAsync()
    {
        var alive = await _table.AliveMembersAsync(_self, CancellationToken.None);
        if (alive.Count == 0 && _mayForm && await _table.TryFormAsync(_self, CancellationToken.None) is { } epoch)
            return new Looked(alive, epoch);
        return new Looked(alive, null);
    }

    /// <summary>Akka's seed-node join (never itself: itself is not among them), started again when the candidates change.</summary>
    private void JoinAny(IEnumerable<Address> alive)
    {
        var candidates = _seeds.Concat(alive).Where(a => a != _cluster.SelfAddress).Distinct().ToList();
        if (candidates.Count == 0 || candidates.SequenceEqual(_joining)) return;
        _joining = candidates;
        _cluster.JoinSeedNodes(candidates);
    }

    private void Member(long epoch)
    {
        Timers.StartPeriodicTimer(nameof(Beat), Beat.Instance, TimeSpan.Zero, _beat);
        Receive<Beat>(_ => _table.BeatAsync(_self, epoch, CancellationToken.None)
            .PipeTo(Self, success: current => new Beaten(current), failure: e => new BeatFailed(e)));
        Receive<Beaten>(beaten =>
        {
            if (beaten.CurrentEpoch == epoch) return;
            _log.Error("The journal's database names cluster epoch {0}, this node is in epoch {1}: this cluster was given up for dead " +
                       "and another formed on the same journal; this node leaves it and downs itself", beaten.CurrentEpoch, epoch);
            Timers.CancelAll();
            _cluster.Down(_cluster.SelfAddress);
        });
        Receive<BeatFailed>(failed => _log.Warning("Could not record this member as alive: {0}", failed.Error.GetBaseException().Message));
        Receive<MemberUp>(_ => { });
        Receive<Looked>(_ => { });
        Receive<LookFailed>(_ => { });
    }

    private sealed record Look
    {
        public static readonly Look Instance = new();
    }

    private sealed record Looked(IReadOnlyList<string> Alive, long? FormedEpoch);

    private sealed record LookFailed(Exception Error);

    private sealed record MemberUp
    {
        public static readonly MemberUp Instance = new();
    }

    private sealed record Adopted(long Epoch);

    private sealed record Beat
    {
        public static readonly Beat Instance = new();
    }

    private sealed record Beaten(long CurrentEpoch);

    private sealed record BeatFailed(Exception Error);
}
