using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Domain.Bundles;

/// <summary>The JSON of import replies and status: eKuiper's <c>ConfigResponse</c>, the 12 kinds with their errors.</summary>
public static class ImportReplies
{
    private static readonly JsonWriterOptions WriterOptions = GoJsonLimits.Writer;

    /// <summary><c>{"streams":{...},...}</c>: the per-kind error maps.</summary>
    public static string ConfigResponse(ImportReport report) =>
        Write(writer => BundleCodec.WriteSections(writer, ErrorsAsBundle(report)));

    /// <summary><c>{"ErrorMsg":"","ConfigResponse":{...}}</c>: the body of a successful import.</summary>
    public static string Success(ImportReport report) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("ErrorMsg", "");
            writer.WritePropertyName("ConfigResponse");
            BundleCodec.WriteSections(writer, ErrorsAsBundle(report));
            writer.WriteEndObject();
        });

    private static Bundle ErrorsAsBundle(ImportReport report) => new(report.Errors);

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
