using Kuiper.Actors.Imports;
using Kuiper.Domain.Resources;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Kuiper.Actors.Database;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Installing;
using Kuiper.Domain.Artefacts.Uploads;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Actors;

/// <summary>
/// A node's installer against probe partitions: an ask is answered by a pass that started after it, with what
/// could not be installed, and passes never overlap.
/// </summary>
public sealed class NodeArtefactInstallerTests : TestKit, IDisposable
{
    private static readonly ResourceKind[] ArtefactKindsInReadOrder = [.. ResourceKinds.Artefacts];

    private readonly TempDir _dir = new();
    private readonly TestProbe _partitions;

    public NodeArtefactInstallerTests() : base(ActorTestConfig.Setup) => _partitions = CreateTestProbe("partitions");

    void IDisposable.Dispose()
    {
        Shutdown();
        _dir.Dispose();
    }

    private IActorRef StartInstaller(TimeSpan? readTimeout = null)
    {
        var regions = new PartitionRegions(ArtefactKindsInReadOrder.ToDictionary(k => k, _ => _partitions.Ref));
        var installer = new ArtefactInstaller(_dir.Path);
        var store = new ArtefactStore(new PersistenceSettings(), _dir.Path);
        return Sys.ActorOf(NodeArtefactInstaller.Props(installer, store, new PartitionReader(regions, new PartitionPatience(readTimeout ?? TimeSpan.FromSeconds(30), 1)),
            ArtefactPolicy.Default, "node-a", pubSub: null, interval: TimeSpan.FromHours(1)));
    }

    private static string UploadRecord(string name, string content)
    {
        var value = $$"""{"name":"{{name}}","content":"{{content}}"}""";
        var plan = new UploadChecker().Check(name, value, InstalledSet.Empty, new Dictionary<string, Kuiper.Domain.Artefacts.Fetching.FetchResult>()).Plan!;
        return ArtefactRecord.From(plan, value, new Dictionary<string, string>()).ToJson();
    }

    /// <summary>Answers one pass: every partition of every artefact kind, the uploads holding <paramref name="uploads"/>.</summary>
    private void AnswerPass(IReadOnlyDictionary<string, string> uploads, GetPartitionContents? first = null)
    {
        for (var i = 0; i < ArtefactKindsInReadOrder.Length * PartitionScheme.PartitionCount; i++)
        {
            var ask = i == 0 && first is not null ? first : _partitions.ExpectMsg<GetPartitionContents>();
            var held = ask.Kind == ResourceKind.Uploads
                ? uploads.Where(u => PartitionScheme.PartitionOf(u.Key) == ask.Partition).ToDictionary(u => u.Key, u => u.Value)
                : new Dictionary<string, string>();
            _partitions.LastSender.Tell(new PartitionContents(ask.Kind, ask.Partition, held));
        }
    }

    [Fact]
    public void An_ask_during_a_pass_is_answered_by_the_next_pass_with_its_files_in_place()
    {
        var installer = StartInstaller();
        // The start-up pass is running: it asks the first partition, which has not answered yet.
        var first = _partitions.ExpectMsg<GetPartitionContents>();
        var asker = CreateTestProbe();

        installer.Tell(ReconcileArtefacts.Instance, asker.Ref);
        // That pass read nothing yet stored: it must not answer the ask.
        AnswerPass(new Dictionary<string, string>(), first);
        asker.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        AnswerPass(new Dictionary<string, string> { ["x.json"] = UploadRecord("x.json", "[1]") });
        var reconciled = asker.ExpectMsg<ArtefactsReconciled>();

        Assert.Null(reconciled.Error);
        Assert.Empty(reconciled.Failures);
        Assert.Equal("[1]", File.ReadAllText(_dir.Join("uploads", "x.json")));
        _partitions.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no third pass: nobody asked for one
    }

    [Fact]
    public void Asks_while_idle_start_a_pass_and_report_what_failed_and_what_was_removed()
    {
        var installer = StartInstaller();
        AnswerPass(new Dictionary<string, string> { ["keep.txt"] = UploadRecord("keep.txt", "k"), ["gone.txt"] = UploadRecord("gone.txt", "g") });
        Directory.CreateDirectory(_dir.Join("uploads", "blocked.txt", "in-the-way"));
        var asker = CreateTestProbe();

        installer.Tell(ReconcileArtefacts.Instance, asker.Ref);
        AnswerPass(new Dictionary<string, string> { ["keep.txt"] = UploadRecord("keep.txt", "k"), ["blocked.txt"] = UploadRecord("blocked.txt", "b") });
        var reconciled = asker.ExpectMsg<ArtefactsReconciled>();

        Assert.Null(reconciled.Error);
        var failure = Assert.Single(Assert.Single(reconciled.Failures).Value);
        Assert.Equal(("blocked.txt", "refusing to install uploads/blocked.txt: a folder is in the way"), (failure.Key, failure.Value));
        Assert.Equal("k", File.ReadAllText(_dir.Join("uploads", "keep.txt")));
        Assert.False(File.Exists(_dir.Join("uploads", "gone.txt")));
    }

    [Fact]
    public void An_install_only_ask_removes_nothing_that_is_no_longer_stored()
    {
        var installer = StartInstaller();
        AnswerPass(new Dictionary<string, string> { ["old.txt"] = UploadRecord("old.txt", "o") });
        var asker = CreateTestProbe();

        // In the middle of a full import: the uploads were replaced, the plugin stage is about to read old.txt.
        installer.Tell(ReconcileArtefacts.InstallMissing, asker.Ref);
        AnswerPass(new Dictionary<string, string> { ["new.txt"] = UploadRecord("new.txt", "n") });
        asker.ExpectMsg<ArtefactsReconciled>();
        Assert.Equal(("o", "n"), (File.ReadAllText(_dir.Join("uploads", "old.txt")), File.ReadAllText(_dir.Join("uploads", "new.txt"))));

        installer.Tell(ReconcileArtefacts.Instance, asker.Ref);
        AnswerPass(new Dictionary<string, string> { ["new.txt"] = UploadRecord("new.txt", "n") });
        asker.ExpectMsg<ArtefactsReconciled>();
        Assert.False(File.Exists(_dir.Join("uploads", "old.txt")));
    }

    [Fact]
    public void A_pass_that_cannot_read_the_partitions_answers_with_the_reason()
    {
        var installer = StartInstaller(readTimeout: TimeSpan.FromSeconds(1));
        AnswerPass(new Dictionary<string, string>());
        var asker = CreateTestProbe();

        installer.Tell(ReconcileArtefacts.Instance, asker.Ref);
        // The partitions of the first kind never answer.
        for (var p = 0; p < PartitionScheme.PartitionCount; p++)
            Assert.Equal(ResourceKind.NativePlugins, _partitions.ExpectMsg<GetPartitionContents>().Kind);
        var reconciled = asker.ExpectMsg<ArtefactsReconciled>();

        Assert.Equal("partition native-plugins-p00 did not answer within 1s", reconciled.Error);
        Assert.Empty(reconciled.Failures);
    }
}
