namespace Kuiper.Domain.Rules.Validation;

/// <summary>
/// A rule as eKuiper's <c>def.Rule</c> holds it after <c>GetRuleByJson</c>: defaults applied
/// (<c>triggered</c> true, the id from the key, options from the <c>rule:</c> defaults) and the JSON
/// decoded into them the way Go's <c>encoding/json</c> does.
/// </summary>
/// <param name="Id">The rule id (the key when the JSON has none).</param>
/// <param name="Name">The display name, <c>""</c> when absent.</param>
/// <param name="Version">The version string compared by <see cref="RuleVersion.CanReplace"/>, <c>""</c> when absent.</param>
/// <param name="Temp">A temp rule is never persisted.</param>
/// <param name="Triggered">Whether the rule should run; true when absent.</param>
/// <param name="Sql">The SELECT statement, <c>""</c> for a graph rule.</param>
/// <param name="Graph">The raw JSON text of the <c>graph</c> value, or null when there is none (or it is <c>null</c>).</param>
/// <param name="Actions">One entry per (sink type, props) pair, array element by array element, keys in document order.</param>
/// <param name="ActionCount">
/// How many elements the <c>actions</c> array has: what eKuiper checks for an SQL rule (<c>[{}]</c> and
/// <c>[null]</c> count as one action with no sink).
/// </param>
/// <param name="Options">The decoded options.</param>
/// <param name="Tags">The tags, empty when absent.</param>
public sealed record RuleDefinition(
    string Id,
    string Name,
    string Version,
    bool Temp,
    bool Triggered,
    string Sql,
    string? Graph,
    IReadOnlyList<RuleAction> Actions,
    int ActionCount,
    RuleOptions Options,
    IReadOnlyList<string> Tags);

/// <summary>One sink of a rule: the key of an <c>actions</c> element and the raw JSON text of its value.</summary>
public sealed record RuleAction(string SinkType, string Props);

/// <summary>One entry of <c>options.cronDatetimeRange</c> (eKuiper's <c>schedule.DatetimeRange</c>).</summary>
public sealed record RuleDatetimeRange(string Begin, string End, long BeginTimestamp, long EndTimestamp);

/// <summary>eKuiper's <c>def.RuleOption</c>. Durations are Go durations in nanoseconds.</summary>
public sealed record RuleOptions
{
    /// <summary>
    /// eKuiper's built-in defaults (<c>InitConf</c> plus the shipped <c>kuiper.yaml</c>): lateTolerance 1s,
    /// concurrency 1, bufferLength 1024, qos 0, checkpointInterval 5m, sendError false, restart attempts 0.
    /// </summary>
    public static RuleOptions Defaults { get; } = new();

    public bool Debug { get; init; }
    public string LogFilename { get; init; } = "";
    public bool IsEventTime { get; init; }
    public long LateToleranceNanos { get; init; } = 1_000_000_000;
    public long Concurrency { get; init; } = 1;
    public long BufferLength { get; init; } = 1024;
    public bool SendMetaToSink { get; init; }
    public bool SendNilField { get; init; }
    public bool SendError { get; init; }
    public long Qos { get; init; }
    public long CheckpointIntervalNanos { get; init; } = 300_000_000_000;

    /// <summary>Restart attempts; null when <c>restartStrategy</c> is <c>null</c>.</summary>
    public long? RestartAttempts { get; init; } = 0;

    public string Cron { get; init; } = "";
    public string Duration { get; init; } = "";
    public IReadOnlyList<RuleDatetimeRange> CronDatetimeRange { get; init; } = [];

    /// <summary>Null when absent; else its flags and lists, as decoded.</summary>
    public RulePlanOptimizeStrategy? PlanOptimizeStrategy { get; init; }

    public bool NotifySub { get; init; }
    public bool DisableBufferFullDiscard { get; init; }
    public bool EnableSaveStateBeforeStop { get; init; }
    public long ForceExitTimeoutNanos { get; init; }

    /// <summary><c>experiment.useSliceTuple</c>; null when <c>experiment</c> is absent.</summary>
    public bool? ExperimentUseSliceTuple { get; init; }
}

/// <summary>eKuiper's <c>def.PlanOptimizeStrategy</c>.</summary>
public sealed record RulePlanOptimizeStrategy(
    bool EnableIncrementalWindow,
    bool EnableAliasPushdown,
    bool DisableAliasRefCal,
    IReadOnlyList<string>? DisableOptimizeRules,
    bool? EnableSendSlidingWindowTwice,
    string? WindowVersion);
