using Kuiper.Domain.Rules.Validation;

namespace Kuiper.Tests.Rules.Validation;

public class RuleImportValidationTests
{
    private static string? SqlError(string sql) => null;

    private static bool IsSelect(string sql) => sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    private static RuleImportOutcome Check(RuleImportMode mode, string key, string json, string? existing = null) =>
        RuleImportValidation.Check(mode, key, json, existing, SqlError, IsSelect);

    // eKuiper's rule_manager_test TestErrors: registry.UpsertRule("test", "selectabc").
    [Fact]
    public void Upsert_of_invalid_json_is_prefixed() =>
        Assert.Equal("Invalid rule json: Parse rule selectabc error : invalid character 's' looking for beginning of value.",
            Check(RuleImportMode.Upsert, "test", "selectabc").Error);

    [Fact]
    public void Full_import_reports_the_bare_validation_error() =>
        Assert.Equal("Parse rule selectabc error : invalid character 's' looking for beginning of value.",
            Check(RuleImportMode.Full, "test", "selectabc").Error);

    [Fact]
    public void Upsert_validates_and_stores_the_rewritten_text()
    {
        const string json = "{\"id\":\"r\",\"sql\":\"SELECT 1\",\"actions\":[{\"sql\":{\"url\":\"u\"}}]}";
        var upsert = Check(RuleImportMode.Upsert, "r", json);
        Assert.Null(upsert.Error);
        Assert.Equal("{\"actions\":[{\"sql\":{\"dburl\":\"u\"}}],\"id\":\"r\",\"sql\":\"SELECT 1\"}", upsert.StoredJson);
        Assert.Equal([new RuleAction("sql", "{\"dburl\":\"u\"}")], upsert.Rule!.Actions);

        var full = Check(RuleImportMode.Full, "r", json);
        Assert.Same(json, full.StoredJson);
        Assert.Equal([new RuleAction("sql", "{\"url\":\"u\"}")], full.Rule!.Actions);
    }

    [Fact]
    public void Upsert_errors_quote_the_rewritten_text()
    {
        var outcome = Check(RuleImportMode.Upsert, "r", "{\"id\":\"r\",\"triggered\":\"yes\",\"actions\":[{\"sql\":{\"url\":\"u\"}}]}");
        Assert.Equal("Invalid rule json: Parse rule {\"actions\":[{\"sql\":{\"dburl\":\"u\"}}],\"id\":\"r\",\"triggered\":\"yes\"} error : json: cannot unmarshal string into Go struct field Rule.triggered of type bool.",
            outcome.Error);
    }

    [Theory]
    [InlineData(RuleImportMode.Full)]
    [InlineData(RuleImportMode.Upsert)]
    public void An_existing_rule_with_a_version_not_lower_wins(RuleImportMode mode)
    {
        const string stored = "{\"id\":\"raceTest\",\"version\":\"3.0.0\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}";
        var outcome = Check(mode, "raceTest", "{\"id\":\"raceTest\",\"version\":\"2.5.0\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}", stored);
        Assert.Equal("rule raceTest already exists with version (3.0.0), new version (2.5.0) is lower", outcome.Error);
        Assert.Null(outcome.Rule);

        var same = Check(mode, "raceTest", stored, stored);
        Assert.Equal("rule raceTest already exists with version (3.0.0), new version (3.0.0) is lower", same.Error);

        var newer = Check(mode, "raceTest", stored.Replace("3.0.0", "3.0.1"), stored);
        Assert.Null(newer.Error);
    }

    [Fact]
    public void Unversioned_rules_replace_each_other_but_not_a_versioned_one()
    {
        const string plain = "{\"id\":\"r\",\"sql\":\"SELECT 1\",\"actions\":[{\"log\":{}}]}";
        Assert.Null(Check(RuleImportMode.Full, "r", plain, plain).Error);
        Assert.Equal("rule r already exists with version (1), new version () is lower",
            Check(RuleImportMode.Upsert, "r", plain, plain.Replace("\"id\"", "\"version\":\"1\",\"id\"")).Error);
    }

    [Fact]
    public void A_stored_rule_that_no_longer_decodes_counts_as_absent() =>
        Assert.Null(Check(RuleImportMode.Full, "r", "{\"graph\":{}}", "{\"version\":9}").Error);

    [Fact]
    public void Temp_rules_are_not_persisted()
    {
        Assert.False(Check(RuleImportMode.Full, "r", "{\"graph\":{},\"temp\":true}").Persist);
        Assert.False(Check(RuleImportMode.Upsert, "r", "{\"graph\":{},\"temp\":true}").Persist);
        Assert.True(Check(RuleImportMode.Full, "r", "{\"graph\":{}}").Persist);
    }

    [Fact]
    public void Upsert_checks_the_same_rule_text_rules_as_full_import() =>
        Assert.Equal("Invalid rule json: Missing rule actions.",
            Check(RuleImportMode.Upsert, "r", "{\"sql\":\"SELECT 1\",\"actions\":[]}").Error);
}
