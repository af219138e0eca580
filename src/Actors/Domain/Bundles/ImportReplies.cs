using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Messages.Bundles;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Bundles;

/// <summary>The JSON of import replies and status: eKuiper's <c>ConfigResponse</c>, the 12 kinds with their errors.</summary>
public static class ImportReplies
{
    private static readonly JsonWriterOptions WriterOptions = GoJsonLimits.Writer;

    /// <summary><c>{"streams":{...},...}</c>: the per-kind error maps.</summary>
    public static string ConfigResponse(ImportReport report) =>
        Write(writer => BundleCodec.WriteSections(writer, ErrorsAsBundle(report)));

    /// <summary>
    /// <c>{"ErrorMsg":"","ConfigResponse":{...}}</c>: the body of a successful import; ours, <c>"Note"</c> after it when
    /// something failed beside the items (the import's record did not reach the journal). eKuiper's clients ignore it.
    /// </summary>
    public static string Success(ImportReport report, string? note = null) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("ErrorMsg", "");
            writer.WritePropertyName("ConfigResponse");
            BundleCodec.WriteSections(writer, ErrorsAsBundle(report));
            if (note is not null) writer.WriteString("Note", note);
            writer.WriteEndObject();
        });

    /// <summary>Ours: an import during which the journal failed (the async import's error).</summary>
    public static string NotStored(string unavailable) =>
        $"the import could not be stored: {unavailable}; GET /data/import/status lists the items that were not confirmed";

    /// <summary>Ours: an import the journal failed before any of it was applied (the sync import answers it 503).</summary>
    public static string NothingApplied(string unavailable) =>
        $"the import could not be stored, nothing was applied: {unavailable}; GET /data/import/status lists the items";

    /// <summary>Ours: an import that was applied (as its report says) though the journal failed later, or took no record of it.</summary>
    public static string AppliedNotStored(string unavailable) =>
        $"the import was applied as this reply says, but {unavailable}";

    /// <summary>Ours: the import never reached the coordinator (it could not be sent, or was refused); nothing changed.</summary>
    public static string NotSent(string reason) => $"the import was not started, nothing changed: {reason}";

    /// <summary>Ours: the import ran, but its report could not be brought back to the node that took the request.</summary>
    public static string AnswerNotReceived(string reason) =>
        $"the import ran but its report could not be received: {reason}; see GET /data/import/status for its outcome";

    /// <summary>Ours: the import or its report did not cross between nodes; <paramref name="answered"/>: the import was taken.</summary>
    public static string NotDelivered(string reason, bool answered) => answered ? AnswerNotReceived(reason) : NotSent(reason);

    /// <summary>eKuiper's <c>ErrorMsg</c> of an import with failed items.</summary>
    public const string ProcessError = "process error";

    /// <summary>
    /// <c>{"ErrorMsg":"process error","ConfigResponse":{...}}</c>: eKuiper's import status when items failed (the sync
    /// import answers only its <c>ConfigResponse</c>; the async import shows it whole). A dry run adds its plan.
    /// </summary>
    public static string Failure(ImportReport report, IReadOnlyDictionary<ResourceKind, BatchChanges>? changes = null) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("ErrorMsg", ProcessError);
            writer.WritePropertyName("ConfigResponse");
            BundleCodec.WriteSections(writer, ErrorsAsBundle(report));
            if (changes is not null)
            {
                writer.WriteBoolean("DryRun", true);
                writer.WritePropertyName("Plan");
                WritePlan(writer, changes);
            }
            writer.WriteEndObject();
        });

    /// <summary>
    /// <c>{"ErrorMsg":"configuration unmarshal with error ...","ConfigResponse":{"streams":null,...}}</c>: eKuiper's
    /// import status when the bundle did not parse, every kind left unset.
    /// </summary>
    public static string Unreadable(string errorMsg) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("ErrorMsg", errorMsg);
            writer.WriteStartObject("ConfigResponse");
            foreach (var kind in ResourceKinds.All) writer.WriteNull(kind.BundleKey());
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    /// <summary>A dry run's successful reply: the import's reply and, under <c>Plan</c>, what each kind would gain, change, lose and keep.</summary>
    public static string DryRunSuccess(ImportReport report, IReadOnlyDictionary<ResourceKind, BatchChanges> changes) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("ErrorMsg", "");
            writer.WritePropertyName("ConfigResponse");
            BundleCodec.WriteSections(writer, ErrorsAsBundle(report));
            writer.WriteBoolean("DryRun", true);
            writer.WritePropertyName("Plan");
            WritePlan(writer, changes);
            writer.WriteEndObject();
        });

    /// <summary><c>{"streams":{"added":[...],"changed":[...],"removed":[...],"unchanged":[...]},...}</c>, kinds in export order.</summary>
    public static string Plan(IReadOnlyDictionary<ResourceKind, BatchChanges> changes) => Write(writer => WritePlan(writer, changes));

    private static void WritePlan(Utf8JsonWriter writer, IReadOnlyDictionary<ResourceKind, BatchChanges> changes)
    {
        writer.WriteStartObject();
        foreach (var kind in ResourceKinds.All)
        {
            var c = changes.GetValueOrDefault(kind) ?? new BatchChanges([], [], [], []);
            writer.WriteStartObject(kind.BundleKey());
            Names(writer, "added", c.Added);
            Names(writer, "changed", c.Changed);
            Names(writer, "removed", c.Removed);
            Names(writer, "unchanged", c.Unchanged);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void Names(Utf8JsonWriter writer, string property, IEnumerable<string> names)
    {
        writer.WriteStartArray(property);
        foreach (var name in names) writer.WriteStringValue(name);
        writer.WriteEndArray();
    }

    private static Bundle ErrorsAsBundle(ImportReport report) => new(report.Errors);

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
