using Kuiper.Actors.AsyncImports;
using Kuiper.Messages.Imports;

namespace Kuiper.Tests.AsyncImports;

public sealed class ImportTaskBookTests
{
    private static readonly ImportOrigin Origin = new("akka.tcp://kuiper@127.0.0.1:4053", DateTimeOffset.UnixEpoch);

    private static string Register(ImportTaskBook book, long now)
    {
        var (id, second, sequence) = book.NextId(now);
        book.Apply(new ImportTaskAccepted(id, now, second, sequence, ImportMode.Full, ImportApply.Always, false, Origin, "node"));
        return id;
    }

    private static void End(ImportTaskBook book, string id, long now) =>
        book.Apply(new ImportTaskEnded(id, now, ImportTaskStatus.Finish, "{}", 1, 1));

    [Fact]
    public void The_first_id_of_a_second_is_ekuipers_and_the_next_ones_of_that_second_get_a_suffix()
    {
        var book = new ImportTaskBook(10);

        var ids = new[] { Register(book, 1700000000), Register(book, 1700000000), Register(book, 1700000000), Register(book, 1700000001) };

        Assert.Equal(["dataImport-1700000000", "dataImport-1700000000-2", "dataImport-1700000000-3", "dataImport-1700000001"], ids);
    }

    [Fact]
    public void A_clock_that_steps_back_keeps_counting_on_the_last_second_issued()
    {
        var book = new ImportTaskBook(10);
        Register(book, 1700000005);

        var afterStepBack = Register(book, 1700000001);

        Assert.Equal("dataImport-1700000005-2", afterStepBack);
        Assert.Equal("dataImport-1700000006", Register(book, 1700000006));
    }

    [Fact]
    public void Ids_stay_unique_through_a_snapshot_and_pruning()
    {
        var book = new ImportTaskBook(1);
        var first = Register(book, 1700000000);
        End(book, first, 1700000000);
        var second = Register(book, 1700000000);
        End(book, second, 1700000000);
        Assert.Null(book.Get(first)); // pruned: one ended task is kept

        var restored = new ImportTaskBook(1);
        restored.Restore(book.Snapshot());

        Assert.Equal("dataImport-1700000000-3", Register(restored, 1700000000));
    }

    [Fact]
    public void Every_unfinished_task_is_kept_and_the_newest_ended_ones()
    {
        var book = new ImportTaskBook(2);
        var ids = Enumerable.Range(0, 6).Select(i => Register(book, 1700000000 + i)).ToList();
        book.Apply(new ImportTaskStarted(ids[5], 1700000010, "node"));
        foreach (var id in ids.Take(4)) End(book, id, 1700000010);

        Assert.Equal([ids[2], ids[3], ids[4], ids[5]], book.Tasks.Select(t => t.TaskId));
        Assert.Equal([ids[4]], book.Waiting.Select(t => t.TaskId));
        Assert.Equal([ids[5]], book.Running.Select(t => t.TaskId));
        Assert.Equal(2, book.Unfinished);
    }

    [Fact]
    public void A_task_goes_from_register_to_running_to_its_end_and_stays_ended()
    {
        var book = new ImportTaskBook(10);
        var id = Register(book, 1700000000);
        book.Apply(new ImportTaskStarted(id, 1700000002, "node-b"));
        Assert.Equal((ImportTaskStatus.Running, 1700000002L, "node-b"), (book.Get(id)!.Status, book.Get(id)!.UpdatedTimestamp, book.Get(id)!.RunningOn));

        book.Apply(new ImportTaskEnded(id, 1700000003, ImportTaskStatus.Cancel, "cancelled", 2, 5));
        book.Apply(new ImportTaskEnded(id, 1700000004, ImportTaskStatus.Finish, "late", 5, 5));

        var task = book.Get(id)!;
        Assert.Equal((ImportTaskStatus.Cancel, "cancelled", 1700000000L, 1700000003L, 2, 5), (task.Status, task.Message, task.CreatedTimestamp, task.UpdatedTimestamp, task.Done, task.Total));
    }
}
