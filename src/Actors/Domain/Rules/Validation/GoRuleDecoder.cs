using Kuiper.Domain.GoCompat;
using System.Globalization;
using System.Text;
using Kuiper.Domain.Configs.Rewriting;

namespace Kuiper.Domain.Rules.Validation;

// Go-shaped mutable state: null stands for Go's nil pointer, map or slice, and a GoSlice keeps Go's
// length/capacity so that elements beyond the length are reused exactly as reflect reuses them.

internal sealed class GoSlice<T>
{
    public T[] Backing = [];
    public int Len;

    public IEnumerable<T> Items => Backing.Take(Len);
}

internal sealed class GoRuleState
{
    public bool Triggered = true;
    public string Id = "";
    public string Name = "";
    public string Version = "";
    public bool Temp;
    public string Sql = "";
    public GoGraphState? Graph;
    public string? GraphRaw;
    public GoSlice<OrderedDictionary<string, GoJsonNode>?>? Actions;
    public GoOptionsState? Options;
    public GoSlice<string?>? Tags;
}

internal sealed class GoGraphState
{
    public OrderedDictionary<string, GoGraphNodeState?>? Nodes;
    public GoTopoState? Topo;
}

internal sealed class GoGraphNodeState
{
    public string Type = "";
    public string NodeType = "";
    public OrderedDictionary<string, GoJsonNode>? Props;
    public OrderedDictionary<string, GoJsonNode>? Ui;
}

internal sealed class GoTopoState
{
    public GoSlice<string?>? Sources;
    public OrderedDictionary<string, GoSlice<GoJsonNode?>?>? Edges;
}

internal sealed class GoOptionsState
{
    public bool Debug;
    public string LogFilename = "";
    public bool IsEventTime;
    public long LateTol;
    public long Concurrency;
    public long BufferLength;
    public bool SendMetaToSink;
    public bool SendNil;
    public bool SendError;
    public long Qos;
    public long CheckpointInterval;
    public GoRestartState? RestartStrategy;
    public string Cron = "";
    public string Duration = "";
    public GoSlice<GoRangeState?>? CronDatetimeRange;
    public GoPlanState? PlanOptimizeStrategy;
    public bool NotifySub;
    public bool DisableBufferFullDiscard;
    public bool EnableSaveStateBeforeStop;
    public long ForceExitTimeout;
    public GoExpState? Experiment;

    /// <summary>eKuiper's <c>clone(conf.Config.Rule)</c>: only these fields are copied.</summary>
    public static GoOptionsState CloneOf(RuleOptions o) => new()
    {
        IsEventTime = o.IsEventTime,
        LateTol = o.LateToleranceNanos,
        Concurrency = o.Concurrency,
        BufferLength = o.BufferLength,
        SendMetaToSink = o.SendMetaToSink,
        SendError = o.SendError,
        Qos = o.Qos,
        CheckpointInterval = o.CheckpointIntervalNanos,
        RestartStrategy = new GoRestartState { Attempts = o.RestartAttempts ?? 0 },
    };

    public RuleOptions ToOptions() => new()
    {
        Debug = Debug,
        LogFilename = LogFilename,
        IsEventTime = IsEventTime,
        LateToleranceNanos = LateTol,
        Concurrency = Concurrency,
        BufferLength = BufferLength,
        SendMetaToSink = SendMetaToSink,
        SendNilField = SendNil,
        SendError = SendError,
        Qos = Qos,
        CheckpointIntervalNanos = CheckpointInterval,
        RestartAttempts = RestartStrategy?.Attempts,
        Cron = Cron,
        Duration = Duration,
        CronDatetimeRange = Ranges(),
        PlanOptimizeStrategy = PlanOptimizeStrategy is { } p
            ? new RulePlanOptimizeStrategy(p.EnableIncrementalWindow, p.EnableAliasPushdown, p.DisableAliasRefCal,
                p.OptimizeControl?.DisableOptimizeRules?.Items.Select(s => s ?? "").ToList(),
                p.WindowOption?.EnableSendSlidingWindowTwice, p.WindowOption?.WindowVersion)
            : null,
        NotifySub = NotifySub,
        DisableBufferFullDiscard = DisableBufferFullDiscard,
        EnableSaveStateBeforeStop = EnableSaveStateBeforeStop,
        ForceExitTimeoutNanos = ForceExitTimeout,
        ExperimentUseSliceTuple = Experiment?.UseSliceTuple,
    };

    public List<RuleDatetimeRange> Ranges() =>
        CronDatetimeRange?.Items.Select(r => r is null
            ? new RuleDatetimeRange("", "", 0, 0)
            : new RuleDatetimeRange(r.Begin, r.End, r.BeginTimestamp, r.EndTimestamp)).ToList() ?? [];

    /// <summary>The full configured defaults, used as is when the rule says <c>"options": null</c>.</summary>
    public static GoOptionsState FullOf(RuleOptions o) => new()
    {
        Debug = o.Debug,
        LogFilename = o.LogFilename,
        IsEventTime = o.IsEventTime,
        LateTol = o.LateToleranceNanos,
        Concurrency = o.Concurrency,
        BufferLength = o.BufferLength,
        SendMetaToSink = o.SendMetaToSink,
        SendNil = o.SendNilField,
        SendError = o.SendError,
        Qos = o.Qos,
        CheckpointInterval = o.CheckpointIntervalNanos,
        RestartStrategy = o.RestartAttempts is { } a ? new GoRestartState { Attempts = a } : null,
        Cron = o.Cron,
        Duration = o.Duration,
        CronDatetimeRange = o.CronDatetimeRange.Count == 0 ? null : new GoSlice<GoRangeState?>
        {
            Backing = o.CronDatetimeRange.Select(r => (GoRangeState?)new GoRangeState
            {
                Begin = r.Begin, End = r.End, BeginTimestamp = r.BeginTimestamp, EndTimestamp = r.EndTimestamp,
            }).ToArray(),
            Len = o.CronDatetimeRange.Count,
        },
        NotifySub = o.NotifySub,
        DisableBufferFullDiscard = o.DisableBufferFullDiscard,
        EnableSaveStateBeforeStop = o.EnableSaveStateBeforeStop,
        ForceExitTimeout = o.ForceExitTimeoutNanos,
        Experiment = o.ExperimentUseSliceTuple is { } x ? new GoExpState { UseSliceTuple = x } : null,
    };
}

internal sealed class GoRestartState
{
    public long Attempts;
}

internal sealed class GoRangeState
{
    public string Begin = "";
    public string End = "";
    public long BeginTimestamp;
    public long EndTimestamp;
}

internal sealed class GoPlanState
{
    public bool EnableIncrementalWindow;
    public bool EnableAliasPushdown;
    public bool DisableAliasRefCal;
    public GoOptimizeControlState? OptimizeControl;
    public GoWindowOptionState? WindowOption;
}

internal sealed class GoOptimizeControlState
{
    public GoSlice<string?>? DisableOptimizeRules;
}

internal sealed class GoWindowOptionState
{
    public bool EnableSendSlidingWindowTwice;
    public string WindowVersion = "";
}

internal sealed class GoExpState
{
    public bool UseSliceTuple;
}

/// <summary>
/// Decodes a rule's JSON into <see cref="GoRuleState"/> exactly as Go's <c>json.Unmarshal</c> fills
/// eKuiper's <c>def.Rule</c>: keys matched case-insensitively (Go's folding, so <c>ſql</c> is
/// <c>sql</c>), duplicate keys decoded one after the other into the same value (maps and slice elements
/// merge), <c>null</c> ignored for plain values and nil-ing pointers, maps and slices, type mismatches
/// remembered (the first one is reported) while decoding goes on, and the errors of a custom decoder
/// (<c>cast.DurationConf</c>) stopping everything at once.
/// </summary>
internal sealed class GoRuleDecoder
{
    private delegate void ElementDecoder<T>(GoRuleDecoder d, GoJsonNode node, ref T element);

    private sealed record Field<T>(string Name, Action<GoRuleDecoder, GoJsonNode, T> Decode);

    private sealed record StructType<T>(string GoType, string StructName, Field<T>[] Fields);

    private sealed class FatalError(string message) : Exception(message);

    private readonly List<string> _fieldStack = [];
    private string? _structName;
    private string? _saved;

    /// <summary>
    /// Decodes <paramref name="root"/> (an object) into <paramref name="rule"/>; null when Go's Unmarshal
    /// succeeds, else Go's error text.
    /// </summary>
    public static string? DecodeRule(GoJsonNode root, GoRuleState rule)
    {
        var d = new GoRuleDecoder();
        try
        {
            switch (root.Kind)
            {
                case GoJsonKind.Object:
                    d.DecodeFields(root, rule, RuleType);
                    break;
                default:
                    d.SaveTypeError(KindWord(root), RuleType.GoType);
                    break;
            }
        }
        catch (FatalError fatal)
        {
            return fatal.Message;
        }
        return d._saved;
    }

    // ---- struct descriptions (field names and Go type names as eKuiper declares them)

    private static readonly StructType<GoExpState> ExpType = new("def.ExpOpts", "ExpOpts",
    [
        new("useSliceTuple", (d, n, x) => d.Bool(n, ref x.UseSliceTuple)),
    ]);

    private static readonly StructType<GoWindowOptionState> WindowOptionType = new("def.WindowOption", "WindowOption",
    [
        new("enableSendSlidingWindowTwice", (d, n, w) => d.Bool(n, ref w.EnableSendSlidingWindowTwice)),
        new("windowVersion", (d, n, w) => d.String(n, ref w.WindowVersion)),
    ]);

    private static readonly StructType<GoOptimizeControlState> OptimizeControlType = new("def.OptimizeControl", "OptimizeControl",
    [
        new("disableOptimizeRules", (d, n, c) => d.Slice(n, ref c.DisableOptimizeRules, "[]string", StringElement)),
    ]);

    private static readonly StructType<GoPlanState> PlanType = new("def.PlanOptimizeStrategy", "PlanOptimizeStrategy",
    [
        new("enableIncrementalWindow", (d, n, p) => d.Bool(n, ref p.EnableIncrementalWindow)),
        new("enableAliasPushdown", (d, n, p) => d.Bool(n, ref p.EnableAliasPushdown)),
        new("disableAliasRefCal", (d, n, p) => d.Bool(n, ref p.DisableAliasRefCal)),
        new("optimizeControl", (d, n, p) => d.Pointer(n, ref p.OptimizeControl, OptimizeControlType, () => new GoOptimizeControlState())),
        new("windowOption", (d, n, p) => d.Pointer(n, ref p.WindowOption, WindowOptionType, () => new GoWindowOptionState())),
    ]);

    private static readonly StructType<GoRangeState> RangeType = new("schedule.DatetimeRange", "DatetimeRange",
    [
        new("begin", (d, n, r) => d.String(n, ref r.Begin)),
        new("end", (d, n, r) => d.String(n, ref r.End)),
        new("beginTimestamp", (d, n, r) => d.Int(n, ref r.BeginTimestamp, "int64")),
        new("endTimestamp", (d, n, r) => d.Int(n, ref r.EndTimestamp, "int64")),
    ]);

    private static readonly StructType<GoRestartState> RestartType = new("def.RestartStrategy", "RestartStrategy",
    [
        new("attempts", (d, n, r) => d.Int(n, ref r.Attempts, "int")),
    ]);

    private static readonly StructType<GoOptionsState> OptionsType = new("def.RuleOption", "RuleOption",
    [
        new("debug", (d, n, o) => d.Bool(n, ref o.Debug)),
        new("logFilename", (d, n, o) => d.String(n, ref o.LogFilename)),
        new("isEventTime", (d, n, o) => d.Bool(n, ref o.IsEventTime)),
        new("lateTolerance", (d, n, o) => o.LateTol = d.Duration(n)),
        new("concurrency", (d, n, o) => d.Int(n, ref o.Concurrency, "int")),
        new("bufferLength", (d, n, o) => d.Int(n, ref o.BufferLength, "int")),
        new("sendMetaToSink", (d, n, o) => d.Bool(n, ref o.SendMetaToSink)),
        new("sendNilField", (d, n, o) => d.Bool(n, ref o.SendNil)),
        new("sendError", (d, n, o) => d.Bool(n, ref o.SendError)),
        new("qos", (d, n, o) => d.Int(n, ref o.Qos, "def.Qos")),
        new("checkpointInterval", (d, n, o) => o.CheckpointInterval = d.Duration(n)),
        new("restartStrategy", (d, n, o) => d.Pointer(n, ref o.RestartStrategy, RestartType, () => new GoRestartState())),
        new("cron", (d, n, o) => d.String(n, ref o.Cron)),
        new("duration", (d, n, o) => d.String(n, ref o.Duration)),
        new("cronDatetimeRange", (d, n, o) => d.Slice(n, ref o.CronDatetimeRange, "[]schedule.DatetimeRange",
            (GoRuleDecoder dd, GoJsonNode e, ref GoRangeState? r) => dd.Value(e, ref r, RangeType, () => new GoRangeState()))),
        new("planOptimizeStrategy", (d, n, o) => d.Pointer(n, ref o.PlanOptimizeStrategy, PlanType, () => new GoPlanState())),
        new("notifySub", (d, n, o) => d.Bool(n, ref o.NotifySub)),
        new("disableBufferFullDiscard", (d, n, o) => d.Bool(n, ref o.DisableBufferFullDiscard)),
        new("enableSaveStateBeforeStop", (d, n, o) => d.Bool(n, ref o.EnableSaveStateBeforeStop)),
        new("forceExitTimeout", (d, n, o) => o.ForceExitTimeout = d.Duration(n)),
        new("experiment", (d, n, o) => d.Pointer(n, ref o.Experiment, ExpType, () => new GoExpState())),
    ]);

    private static readonly StructType<GoTopoState> TopoType = new("def.PrintableTopo", "PrintableTopo",
    [
        new("sources", (d, n, t) => d.Slice(n, ref t.Sources, "[]string", StringElement)),
        new("edges", (d, n, t) => d.Map(n, ref t.Edges, "map[string][]interface {}",
            (GoRuleDecoder dd, GoJsonNode e, ref GoSlice<GoJsonNode?>? list) =>
                dd.Slice(e, ref list, "[]interface {}", InterfaceElement))),
    ]);

    private static readonly StructType<GoGraphNodeState> GraphNodeType = new("def.GraphNode", "GraphNode",
    [
        new("type", (d, n, g) => d.String(n, ref g.Type)),
        new("nodeType", (d, n, g) => d.String(n, ref g.NodeType)),
        new("props", (d, n, g) => d.InterfaceMap(n, ref g.Props)),
        new("ui", (d, n, g) => d.InterfaceMap(n, ref g.Ui)),
    ]);

    private static readonly StructType<GoGraphState> GraphType = new("def.RuleGraph", "RuleGraph",
    [
        new("nodes", (d, n, g) => d.Map(n, ref g.Nodes, "map[string]*def.GraphNode",
            (GoRuleDecoder dd, GoJsonNode e, ref GoGraphNodeState? node) =>
                dd.Pointer(e, ref node, GraphNodeType, () => new GoGraphNodeState()))),
        new("topo", (d, n, g) => d.Pointer(n, ref g.Topo, TopoType, () => new GoTopoState())),
    ]);

    private static readonly StructType<GoRuleState> RuleType = new("def.Rule", "Rule",
    [
        new("triggered", (d, n, r) => d.Bool(n, ref r.Triggered)),
        new("id", (d, n, r) => d.String(n, ref r.Id)),
        new("name", (d, n, r) => d.String(n, ref r.Name)),
        new("version", (d, n, r) => d.String(n, ref r.Version)),
        new("temp", (d, n, r) => d.Bool(n, ref r.Temp)),
        new("sql", (d, n, r) => d.String(n, ref r.Sql)),
        new("graph", (d, n, r) =>
        {
            d.Pointer(n, ref r.Graph, GraphType, () => new GoGraphState());
            r.GraphRaw = r.Graph is null ? null : n.Raw;
        }),
        new("actions", (d, n, r) => d.Slice(n, ref r.Actions, "[]map[string]interface {}",
            (GoRuleDecoder dd, GoJsonNode e, ref OrderedDictionary<string, GoJsonNode>? m) => dd.InterfaceMap(e, ref m))),
        new("options", (d, n, r) => d.Pointer(n, ref r.Options, OptionsType, () => new GoOptionsState())),
        new("tags", (d, n, r) => d.Slice(n, ref r.Tags, "[]string", StringElement)),
    ]);

    // ---- the decoding rules of encoding/json, one per Go kind

    private void DecodeFields<T>(GoJsonNode obj, T target, StructType<T> type)
    {
        var depth = _fieldStack.Count;
        var structName = _structName;
        foreach (var member in obj.Members!)
        {
            var field = Find(type, member.Key);
            if (field is null) continue; // unknown keys are skipped without looking inside
            _fieldStack.Add(field.Name);
            _structName = type.StructName;
            field.Decode(this, member.Value, target);
            _fieldStack.RemoveRange(depth, _fieldStack.Count - depth);
            _structName = structName;
        }
    }

    private static Field<T>? Find<T>(StructType<T> type, string key)
    {
        foreach (var f in type.Fields)
            if (string.Equals(f.Name, key, StringComparison.Ordinal)) return f;
        foreach (var f in type.Fields)
            if (FoldEquals(key, f.Name)) return f;
        return null;
    }

    // Go folds each rune to the smallest of its case orbit (ASCII: upper case). The field names are ASCII
    // letters, and the only non-ASCII runes whose orbit holds an ASCII letter are the Kelvin sign and the
    // long s.
    private static bool FoldEquals(string key, string name)
    {
        var i = 0;
        var n = 0;
        while (i < key.Length)
        {
            Rune.DecodeFromUtf16(key.AsSpan(i), out var rune, out var used);
            i += used;
            var folded = rune.Value switch
            {
                >= 'a' and <= 'z' => rune.Value - 32,
                0x212A => 'K',
                0x017F => 'S',
                _ => rune.Value,
            };
            if (n >= name.Length) return false;
            var expected = name[n] is >= 'a' and <= 'z' ? name[n] - 32 : name[n];
            if (folded != expected) return false;
            n++;
        }
        return n == name.Length;
    }

    private void Bool(GoJsonNode n, ref bool target)
    {
        switch (n.Kind)
        {
            case GoJsonKind.True: target = true; break;
            case GoJsonKind.False: target = false; break;
            case GoJsonKind.Null: break;
            default: SaveTypeError(KindWord(n), "bool"); break;
        }
    }

    private void String(GoJsonNode n, ref string target)
    {
        switch (n.Kind)
        {
            case GoJsonKind.String: target = n.Text!; break;
            case GoJsonKind.Null: break;
            default: SaveTypeError(KindWord(n), "string"); break;
        }
    }

    private static void StringElement(GoRuleDecoder d, GoJsonNode n, ref string? target)
    {
        var value = target ?? "";
        d.String(n, ref value);
        target = value;
    }

    private void Int(GoJsonNode n, ref long target, string goType)
    {
        switch (n.Kind)
        {
            case GoJsonKind.Number:
                if (long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                    && !n.Text!.StartsWith('+'))
                    target = v;
                else
                    SaveTypeError("number " + n.Text, goType);
                break;
            case GoJsonKind.Null:
                break;
            default:
                SaveTypeError(KindWord(n), goType);
                break;
        }
    }

    private void Pointer<T>(GoJsonNode n, ref T? target, StructType<T> type, Func<T> create) where T : class
    {
        if (n.Kind == GoJsonKind.Null)
        {
            target = null;
            return;
        }
        target ??= create();
        if (n.Kind == GoJsonKind.Object) DecodeFields(n, target, type);
        else SaveTypeError(KindWord(n), type.GoType);
    }

    // A struct held by value (slice element): null leaves it as it is.
    private void Value<T>(GoJsonNode n, ref T? target, StructType<T> type, Func<T> create) where T : class
    {
        if (n.Kind == GoJsonKind.Null) return;
        target ??= create();
        if (n.Kind == GoJsonKind.Object) DecodeFields(n, target, type);
        else SaveTypeError(KindWord(n), type.GoType);
    }

    private void Slice<T>(GoJsonNode n, ref GoSlice<T>? target, string goType, ElementDecoder<T> element)
    {
        if (n.Kind == GoJsonKind.Null)
        {
            target = null;
            return;
        }
        if (n.Kind != GoJsonKind.Array)
        {
            SaveTypeError(KindWord(n), goType);
            return;
        }
        var s = target ?? new GoSlice<T>();
        target = s;
        var i = 0;
        foreach (var item in n.Items!)
        {
            if (i >= s.Backing.Length)
            {
                var grown = new T[Math.Max(4, s.Backing.Length + s.Backing.Length / 2)];
                Array.Copy(s.Backing, grown, s.Len);
                s.Backing = grown;
            }
            if (i >= s.Len) s.Len = i + 1;
            element(this, item, ref s.Backing[i]);
            i++;
        }
        if (i < s.Len) s.Len = i;
        if (i == 0) target = new GoSlice<T>();
    }

    private void Map<T>(GoJsonNode n, ref OrderedDictionary<string, T>? target, string goType, ElementDecoder<T> element)
    {
        if (n.Kind == GoJsonKind.Null)
        {
            target = null;
            return;
        }
        if (n.Kind != GoJsonKind.Object)
        {
            SaveTypeError(KindWord(n), goType);
            return;
        }
        target ??= new OrderedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var member in n.Members!)
        {
            var value = default(T)!; // every map element starts from the zero value
            element(this, member.Value, ref value);
            target[member.Key] = value;
        }
    }

    private void InterfaceMap(GoJsonNode n, ref OrderedDictionary<string, GoJsonNode>? target) =>
        Map(n, ref target, "map[string]interface {}",
            (GoRuleDecoder d, GoJsonNode e, ref GoJsonNode value) =>
            {
                GoJsonNode? element = value;
                InterfaceElement(d, e, ref element);
                value = element!;
            });

    private static void InterfaceElement(GoRuleDecoder d, GoJsonNode n, ref GoJsonNode? target)
    {
        if (GoJsonTree.FirstFloatOverflow(n) is { } literal) d.SaveTypeError("number " + literal, "float64");
        target = n;
    }

    // cast.DurationConf.UnmarshalJSON: any value (null included) goes to eKuiper's ConvertDuration, and
    // its errors stop the whole decode.
    private long Duration(GoJsonNode n)
    {
        if (GoJsonTree.FirstFloatOverflow(n) is { } literal)
            throw new FatalError(TypeErrorText("number " + literal, "float64"));
        switch (n.Kind)
        {
            case GoJsonKind.String:
                if (!GoDuration.TryParse(n.Text!, out var nanos, out var error)) throw new FatalError(error!);
                return nanos;
            case GoJsonKind.Number:
                var f = double.Parse(n.Text!, NumberStyles.Float, CultureInfo.InvariantCulture);
                var ms = GoFloat.ToInt64Amd64(f);
                if ((double)ms != f) throw new FatalError("duration " + GoStrconv.FormatFloat(f) + " is not an integer");
                return GoDuration.FromMilliseconds(ms);
            default:
                throw new FatalError("unsupported type:" + GoFormat.BadVerbT(n));
        }
    }

    private void SaveTypeError(string value, string goType) => _saved ??= TypeErrorText(value, goType);

    private string TypeErrorText(string value, string goType) =>
        _structName is not null || _fieldStack.Count > 0
            ? "json: cannot unmarshal " + value + " into Go struct field " + _structName + "." + string.Join('.', _fieldStack) + " of type " + goType
            : "json: cannot unmarshal " + value + " into Go value of type " + goType;

    private static string KindWord(GoJsonNode n) => n.Kind switch
    {
        GoJsonKind.String => "string",
        GoJsonKind.Number => "number",
        GoJsonKind.Object => "object",
        GoJsonKind.Array => "array",
        _ => "bool",
    };
}

/// <summary>Go's <c>fmt</c> for the values that reach eKuiper's error texts.</summary>
internal static class GoFormat
{
    /// <summary>
    /// <c>fmt.Sprintf("%t", v)</c> for a value decoded into <c>interface{}</c>: booleans print, anything else
    /// is a bad verb, <c>%!t(string=x)</c>, <c>%!t(float64=1e+06)</c>, <c>%!t(&lt;nil&gt;)</c>, applied
    /// element by element inside arrays (<c>[a b]</c>) and maps (<c>map[k:v]</c>, keys sorted).
    /// </summary>
    public static string BadVerbT(GoJsonNode root) =>
        root.Kind == GoJsonKind.Null ? "%!t(<nil>)" : GoJsonTree.Print(root, BadVerbStyle);

    private static readonly GoJsonTree.PrintStyle BadVerbStyle = new(
        Leaf: node => node.Kind switch
        {
            GoJsonKind.Null => "<nil>",
            GoJsonKind.True => "true",
            GoJsonKind.False => "false",
            GoJsonKind.String => "%!t(string=" + node.Text + ")",
            _ => "%!t(float64=" + GoStrconv.FormatFloat(double.Parse(node.Text!, NumberStyles.Float, CultureInfo.InvariantCulture)) + ")",
        },
        ArrayOpen: "[", MapOpen: "map[", MapClose: "]", Separator: " ", Key: key => "%!t(string=" + key + "):");
}
