using Kuiper.Domain.Resources;
using Kuiper.Domain.Configs.Rewriting;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Rules.Validation;

/// <summary>What the validator needs besides the rule: eKuiper's configured defaults, zone and clock.</summary>
public sealed record RuleValidationSettings
{
    public static RuleValidationSettings Default { get; } = new();

    /// <summary>The <c>rule:</c> section of <c>kuiper.yaml</c> (eKuiper's <c>conf.Config.Rule</c>).</summary>
    public RuleOptions DefaultOptions { get; init; } = RuleOptions.Defaults;

    /// <summary>eKuiper's configured time zone (<c>basic.timezone</c>, else the server's), for <c>cronDatetimeRange</c>.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>"Now", which <c>cronDatetimeRange</c> texts without a date or year are completed from.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
}

/// <summary>The outcome of <see cref="RuleValidator.ValidateDetailed"/>.</summary>
/// <param name="Rule">The decoded rule when valid.</param>
/// <param name="Error">eKuiper's error text when not.</param>
/// <param name="ErrorCode">eKuiper's errorx code: 2001 (ParserError) for the two SQL errors, else 1000 (no code).</param>
public sealed record RuleValidation(RuleDefinition? Rule, string? Error, int ErrorCode);

/// <summary>
/// eKuiper's <c>RuleProcessor.GetRuleByJson(key, json)</c>, the validation every imported or created rule
/// goes through, with every error text as eKuiper words it.
/// </summary>
/// <remarks>
/// In order: the JSON is decoded over the defaults (<c>triggered</c> true, id = key, options cloned from
/// the defaults), any Go decoding error giving <c>Parse rule &lt;json&gt; error : &lt;error&gt;.</c>;
/// <c>Missing rule id.</c>; <c>RuleId is not consistent with rule id.</c> (key and id both set and
/// different); the id check of <see cref="ResourceId.Check"/>; for a rule with SQL: <c>Rule &lt;id&gt; has
/// both sql and graph.</c>, <c>Parse SQL &lt;sql&gt; error: &lt;error&gt;.</c>, <c>SQL &lt;sql&gt; is not a
/// select statement.</c>, <c>Missing rule actions.</c>; without SQL: <c>Rule &lt;id&gt; has neither sql nor
/// graph.</c> (a graph is only checked for being there and well typed: its structure is checked when eKuiper
/// plans the rule, not here); last the options: <c>Rule &lt;id&gt; has invalid options: &lt;errors&gt;.</c> with
/// the errors joined by a newline.
/// </remarks>
public static class RuleValidator
{
    /// <summary>
    /// What eKuiper does with the JSON text <c>null</c>: Go's decoder sets the rule pointer to nil and
    /// eKuiper dereferences it, a panic (the request dies with no reply). Reported here as an error with
    /// the panic's text.
    /// </summary>
    public const string NilRulePanic = "runtime error: invalid memory address or nil pointer dereference";

    /// <summary>
    /// <c>GetRuleByJson(key, json)</c>. <paramref name="sqlError"/> is the SQL parser (its error text, or
    /// null when the statement parses); <paramref name="isSelect"/> tells whether a parsed statement is a
    /// SELECT.
    /// </summary>
    public static (RuleDefinition? Rule, string? Error) Validate(
        string key, string json, Func<string, string?> sqlError, Func<string, bool> isSelect)
    {
        var result = ValidateDetailed(key, json, sqlError, isSelect, RuleValidationSettings.Default);
        return (result.Rule, result.Error);
    }

    /// <inheritdoc cref="Validate(string, string, Func{string, string?}, Func{string, bool})"/>
    public static (RuleDefinition? Rule, string? Error) Validate(
        string key, string json, Func<string, string?> sqlError, Func<string, bool> isSelect, RuleValidationSettings settings)
    {
        var result = ValidateDetailed(key, json, sqlError, isSelect, settings);
        return (result.Rule, result.Error);
    }

    /// <summary><see cref="Validate(string, string, Func{string, string?}, Func{string, bool})"/> with eKuiper's error code.</summary>
    public static RuleValidation ValidateDetailed(
        string key, string json, Func<string, string?> sqlError, Func<string, bool> isSelect, RuleValidationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sqlError);
        ArgumentNullException.ThrowIfNull(isSelect);
        ArgumentNullException.ThrowIfNull(settings);

        var (state, parseError) = Decode(key, json, settings.DefaultOptions);
        if (state is null) return Fail(parseError!);

        if (state.Id.Length == 0) return Fail("Missing rule id.");
        if (key.Length != 0 && key != state.Id) return Fail("RuleId is not consistent with rule id.");
        if (ResourceId.Check(state.Id) is { } idError) return Fail(idError);

        if (state.Sql.Length != 0)
        {
            if (state.Graph is not null) return Fail($"Rule {state.Id} has both sql and graph.");
            if (sqlError(state.Sql) is { } parserError) return Fail($"Parse SQL {state.Sql} error: {parserError}.", 2001);
            if (!isSelect(state.Sql)) return Fail($"SQL {state.Sql} is not a select statement.", 2001);
            if ((state.Actions?.Len ?? 0) == 0) return Fail("Missing rule actions.");
        }
        else if (state.Graph is null)
        {
            return Fail($"Rule {state.Id} has neither sql nor graph.");
        }

        var options = state.Options!;
        if (ValidateOptions(options, settings) is { } optionErrors)
            return Fail($"Rule {state.Id} has invalid options: {optionErrors}.");

        return new RuleValidation(ToDefinition(state), null, 0);
    }

    /// <summary>
    /// eKuiper's <c>GetRuleByJsonValidated</c>: only the JSON decoding with defaults, as eKuiper reads a rule
    /// it stored itself (to learn the version of an existing rule, for instance). Null when it does not decode.
    /// </summary>
    public static RuleDefinition? ParseStored(string key, string json, RuleValidationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(json);
        var (state, _) = Decode(key, json, (settings ?? RuleValidationSettings.Default).DefaultOptions);
        return state is null ? null : ToDefinition(state);
    }

    private static RuleValidation Fail(string error, int code = 1000) => new(null, error, code);

    private static (GoRuleState? State, string? Error) Decode(string key, string json, RuleOptions defaults)
    {
        if (GoJsonSyntax.Check(json) is { } syntax) return (null, $"Parse rule {json} error : {syntax}.");
        var root = GoJsonTree.Parse(json);
        if (root.Kind == GoJsonKind.Null) return (null, NilRulePanic);

        var state = new GoRuleState { Id = key, Options = GoOptionsState.CloneOf(defaults) };
        if (GoRuleDecoder.DecodeRule(root, state) is { } error) return (null, $"Parse rule {json} error : {error}.");
        state.Options ??= GoOptionsState.FullOf(defaults);
        return (state, null);
    }

    // conf.ValidateRuleOption: every failing check is reported, joined by errors.Join's newline.
    private static string? ValidateOptions(GoOptionsState options, RuleValidationSettings settings)
    {
        var errors = new List<string>();
        if (options.Concurrency < 0) errors.Add("invalidConcurrency:concurrency must be greater than 0");
        if (options.BufferLength < 0) errors.Add("invalidBufferLength:bufferLength must be greater than 0");
        if (options.LateTol < 0) errors.Add("invalidLateTol:lateTol must be greater than 0");
        if (options.RestartStrategy is { Attempts: < 0 })
            errors.Add("invalidRestartAttempts:restart attempts must be greater than 0");
        if (CronDatetimeRangeValidation.Validate(options.Ranges(), settings.TimeZone, settings.Clock()) is { } rangeError)
            errors.Add("validate cronDatetimeRange failed, err:" + rangeError);
        return errors.Count == 0 ? null : string.Join('\n', errors);
    }

    private static RuleDefinition ToDefinition(GoRuleState s)
    {
        var actions = new List<RuleAction>();
        foreach (var element in s.Actions?.Items ?? [])
        {
            if (element is null) continue;
            foreach (var (sinkType, props) in element) actions.Add(new RuleAction(sinkType, props.Raw));
        }
        return new RuleDefinition(
            s.Id, s.Name, s.Version, s.Temp, s.Triggered, s.Sql, s.Graph is null ? null : s.GraphRaw,
            actions, s.Actions?.Len ?? 0, s.Options!.ToOptions(),
            s.Tags?.Items.Select(t => t ?? "").ToList() ?? []);
    }
}
