using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Partitions;

public sealed class PartitionStateTests
{
    /// <summary>Stores the definition upper-cased; refuses one that says "bad"; shows what was current.</summary>
    private sealed class TestRules : IResourceRules
    {
        public ResourceKind Kind => ResourceKind.Streams;

        public string AlreadyExists(string name) => $"{name} exists";

        public string NotFound(string name) => $"{name} missing";

        public Validated Validate(string name, string definition, string? current, ValidationContext context) =>
            definition == "bad" ? Validated.Refuse($"{name} is bad") : Validated.Store($"{definition.ToUpperInvariant()}|{current}");
    }

    private static ApplyBatch Batch(string id, bool replaceAll, params (string Name, string Definition)[] items) =>
        new(ResourceKind.Streams, 0, id, replaceAll, items.Select(i => new ResourceItem(i.Name, i.Definition)).ToList());

    [Fact]
    public void A_check_that_throws_refuses_that_item_alone_and_the_retry_gets_the_same_answer()
    {
        var state = new PartitionState();
        var rules = new ThrowingRules();
        var batch = Batch("b1", false, ("a", "x"), ("boom", "y"));

        var stored = state.Decide(batch, rules);
        state.Apply(stored);

        Assert.Equal(new Dictionary<string, string> { ["boom"] = "streams boom could not be checked: InvalidOperationException: no such depth" }, stored.Errors);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "X|" }, state.Resources);
        Assert.Equal(stored.Errors, state.Outcome("b1")!.Errors);
    }

    /// <summary>Like <see cref="TestRules"/>, but its check of "boom" throws, as a bug would.</summary>
    private sealed class ThrowingRules : IResourceRules
    {
        private readonly TestRules _rules = new();

        public ResourceKind Kind => _rules.Kind;

        public string AlreadyExists(string name) => _rules.AlreadyExists(name);

        public string NotFound(string name) => _rules.NotFound(name);

        public Validated Validate(string name, string definition, string? current, ValidationContext context) =>
            name == "boom" ? throw new InvalidOperationException("no such depth") : _rules.Validate(name, definition, current, context);
    }

    [Fact]
    public void Partial_batch_overwrites_its_items_and_keeps_the_others()
    {
        var state = new PartitionState();
        state.Apply(state.Decide(Batch("b1", false, ("a", "x"), ("b", "y")), new TestRules()));

        var stored = state.Decide(Batch("b2", false, ("a", "z"), ("c", "bad")), new TestRules());
        state.Apply(stored);

        Assert.Equal(new Dictionary<string, string> { ["c"] = "c is bad" }, stored.Errors);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "Z|X|", ["b"] = "Y|" }, state.Resources);
    }

    [Fact]
    public void Replace_all_batch_drops_what_it_does_not_carry_and_sees_no_current_value()
    {
        var state = new PartitionState();
        state.Apply(state.Decide(Batch("b1", false, ("a", "x"), ("b", "y")), new TestRules()));

        state.Apply(state.Decide(Batch("b2", true, ("a", "z"), ("c", "bad")), new TestRules()));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "Z|" }, state.Resources);
    }

    [Fact]
    public void A_full_import_keeps_an_identical_stored_definition_without_validating_it_again()
    {
        var state = new PartitionState();
        state.Apply(state.Decide(Batch("b1", false, ("a", "x")), new TestRules()));
        var stored = state.Resources["a"];

        state.Apply(state.Decide(Batch("b2", true, ("a", stored), ("b", "y")), new TestRules()));

        // TestRules would have turned "X|" into "X||" had it run again.
        Assert.Equal(new Dictionary<string, string> { ["a"] = "X|", ["b"] = "Y|" }, state.Resources);
    }

    [Fact]
    public void A_batch_that_leaves_everything_as_it_is_changes_nothing()
    {
        var state = new PartitionState();
        state.Apply(state.Decide(Batch("b1", false, ("a", "x")), new TestRules()));
        var stored = state.Resources["a"];

        Assert.True(state.ChangesNothing(state.Decide(Batch("b2", true, ("a", stored)), new TestRules())));
        Assert.True(state.ChangesNothing(state.Decide(Batch("b3", false, ("bad", "bad")), new TestRules())));
        Assert.False(state.ChangesNothing(state.Decide(Batch("b4", true), new TestRules())));
        Assert.False(state.ChangesNothing(state.Decide(Batch("b5", false, ("a", "y")), new TestRules())));
        Assert.True(new PartitionState().ChangesNothing(new PartitionState().Decide(Batch("b6", true), new TestRules())));
    }

    [Fact]
    public void Create_refuses_a_taken_name_and_delete_a_missing_one()
    {
        var state = new PartitionState();
        state.Apply(state.Decide(Batch("b1", false, ("a", "x")), new TestRules()));

        var created = state.Decide(Batch("b2", false, ("a", "y"), ("b", "z")) with { Operation = BatchOperation.Create }, new TestRules());
        state.Apply(created);
        var deleted = state.Decide(Batch("b3", false, ("a", ""), ("nope", "")) with { Operation = BatchOperation.Delete }, new TestRules());
        state.Apply(deleted);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "a exists" }, created.Errors);
        Assert.Equal(new Dictionary<string, string> { ["nope"] = "nope missing" }, deleted.Errors);
        Assert.Equal(new[] { "a" }, deleted.Removed);
        Assert.Equal(new Dictionary<string, string> { ["b"] = "Z|" }, state.Resources);
    }

    [Fact]
    public void Applied_batches_are_remembered_up_to_a_bound()
    {
        var state = new PartitionState();
        for (var i = 0; i <= PartitionState.RememberedBatches; i++)
            state.Apply(state.Decide(Batch($"b{i}", false, ("a", "bad")), new TestRules()));

        Assert.Null(state.Outcome("b0"));
        Assert.Equal("a is bad", state.Outcome("b1")!.Errors["a"]);
        Assert.NotNull(state.Outcome($"b{PartitionState.RememberedBatches}"));
    }

    [Fact]
    public void Snapshot_restores_resources_and_outcomes()
    {
        var state = new PartitionState();
        state.Apply(state.Decide(Batch("b1", false, ("a", "x"), ("b", "bad")), new TestRules()));

        var restored = new PartitionState(state.ToSnapshot());

        Assert.Equal(state.Resources, restored.Resources);
        Assert.Equal("b is bad", restored.Outcome("b1")!.Errors["b"]);
    }

    [Fact]
    public void Changes_say_what_a_batch_would_add_change_remove_and_keep_without_applying_it()
    {
        var state = new PartitionState();
        state.Apply(state.Decide(Batch("b1", false, ("same", "x"), ("edited", "y"), ("dropped", "z")), new TestRules()));
        var before = state.ToSnapshot().Resources;
        // TestRules stores the upper-cased text and what was current: nothing, on a full import, so "x" stays "X|".
        var full = Batch("b2", true, ("same", "x"), ("edited", "changed"), ("fresh", "n"));

        var changes = state.Changes(state.Decide(full, new TestRules()));

        Assert.Equal(["fresh"], changes.Added);
        Assert.Equal(["edited"], changes.Changed);
        Assert.Equal(["dropped"], changes.Removed);
        Assert.Equal(["same"], changes.Unchanged);
        Assert.Equal(before, state.ToSnapshot().Resources);
    }
}
