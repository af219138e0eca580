namespace Kuiper.Domain.Rules.Validation;

/// <summary>Which of eKuiper's two rule import paths a rule takes.</summary>
public enum RuleImportMode
{
    /// <summary>
    /// Full import (<c>RuleProcessor.ExecCreateWithValidation</c>): the rule text is validated as given,
    /// compared by version with the rule already stored under its id, and stored verbatim.
    /// </summary>
    Full,

    /// <summary>
    /// Partial import and <c>PUT /rules/{id}</c> (<c>RuleRegistry.UpsertRule</c>): the text is first rewritten by
    /// <see cref="RuleJsonRewriting"/>, then validated (errors prefixed <c>Invalid rule json: </c>), compared by
    /// version with the rule currently registered under the key, and the rewritten text is what gets stored.
    /// eKuiper then also plans the rule (streams must exist, sinks must be known, a graph must be well formed),
    /// which is outside this check.
    /// </summary>
    Upsert,
}

/// <summary>The outcome of <see cref="RuleImportValidation.Check"/>.</summary>
/// <param name="Rule">The decoded rule when it may be stored.</param>
/// <param name="Error">eKuiper's error text otherwise.</param>
/// <param name="StoredJson">The text eKuiper would store: verbatim on a full import, rewritten on an upsert.</param>
/// <param name="Persist">
/// False for a temp rule: a full import does not store it at all; an upsert keeps it in memory only and
/// deletes any stored row.
/// </param>
public sealed record RuleImportOutcome(RuleDefinition? Rule, string? Error, string StoredJson, bool Persist);

/// <summary>The checks a rule passes on each import path before eKuiper stores it.</summary>
public static class RuleImportValidation
{
    /// <summary>
    /// Validates <paramref name="ruleJson"/> imported under <paramref name="key"/>.
    /// <paramref name="existingRuleJson"/> is the rule already there: on a full import the stored row for the
    /// rule's id, on an upsert the rule registered under the key; null when there is none. A stored text that
    /// no longer decodes counts as none, as in eKuiper.
    /// </summary>
    public static RuleImportOutcome Check(
        RuleImportMode mode,
        string key,
        string ruleJson,
        string? existingRuleJson,
        Func<string, string?> sqlError,
        Func<string, bool> isSelect,
        RuleValidationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(ruleJson);
        settings ??= RuleValidationSettings.Default;

        var stored = mode == RuleImportMode.Upsert ? RuleJsonRewriting.Rewrite(ruleJson) : ruleJson;
        var (rule, error) = RuleValidator.Validate(key, stored, sqlError, isSelect, settings);
        if (rule is null)
            return new RuleImportOutcome(null, mode == RuleImportMode.Upsert ? "Invalid rule json: " + error : error, stored, false);

        var existing = existingRuleJson is null
            ? null
            : RuleValidator.ParseStored(mode == RuleImportMode.Full ? rule.Id : key, existingRuleJson, settings);
        if (existing is not null && !RuleVersion.CanReplace(existing.Version, rule.Version))
        {
            // The full path names the rule by its id, the upsert path by the key it was given (the same text
            // whenever both are set, since validation insists they agree).
            var name = mode == RuleImportMode.Full ? rule.Id : key;
            return new RuleImportOutcome(null, RuleVersion.LowerVersionError(name, existing.Version, rule.Version), stored, false);
        }
        return new RuleImportOutcome(rule, null, stored, !rule.Temp);
    }
}
