using System.Globalization;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Streams;

namespace Kuiper.Tests.Streams;

/// <summary>
/// Renders a parse outcome in the one-line format of <see cref="ReferenceParserCorpus"/>, so the parser's
/// result can be compared with what eKuiper's parser produced for the same statement.
/// </summary>
internal static class ReferenceFormat
{
    public static string Render(string statement, StreamParseResult result)
    {
        if (!result.IsSuccess)
        {
            return result.Error == StreamStatementParser.InvalidStatementMessage(StreamKind.Stream, statement)
                ? "NONCREATE"
                : "ERR " + result.Error;
        }

        var d = result.Definition;
        return $"OK {StreamDefinition.KindWord(d.Kind)} {GoQuote.Quote(d.Name)} ({Fields(d.Fields)}) {Options(d.Options)}";
    }

    public static string Fields(IEnumerable<StreamField> fields) =>
        string.Join(", ", fields.Select(f =>
            f.Name + " " + Type(f.Type) + (f.Default is null ? "" : " DEFAULT " + Default(f.Default))));

    public static string Type(StreamFieldType? type) => type switch
    {
        null => "?",
        BasicFieldType b => b.DataType.ToString().ToLowerInvariant(),
        ArrayFieldType a => "array(" + Type(a.Element) + ")",
        StructFieldType s => "struct(" + Fields(s.Fields) + ")",
        _ => "!!",
    };

    private static string Default(StreamDefaultValue value) => value switch
    {
        IntegerDefault i => "int:" + i.Value.ToString(CultureInfo.InvariantCulture),
        FloatDefault f => "float:" + BitConverter.DoubleToInt64Bits(f.Value).ToString("x16", CultureInfo.InvariantCulture),
        StringDefault s => "string:" + GoQuote.Quote(s.Value),
        BooleanDefault b => "bool:" + (b.Value ? "true" : "false"),
        _ => "!!",
    };

    public static string Options(StreamOptions o)
    {
        var parts = new List<string>();
        void Add(string key, string value)
        {
            if (value.Length > 0)
            {
                parts.Add(key + "=" + GoQuote.Quote(value));
            }
        }

        Add("DATASOURCE", o.DataSource);
        Add("FORMAT", o.Format);
        Add("TYPE", o.Type);
        Add("KEY", o.Key);
        Add("CONF_KEY", o.ConfKey);
        if (o.Shared)
        {
            parts.Add("SHARED");
        }

        if (o.StrictValidation)
        {
            parts.Add("STRICT_VALIDATION");
        }

        if (o.Temp)
        {
            parts.Add("TEMP");
        }

        Add("TIMESTAMP", o.Timestamp);
        Add("TIMESTAMP_FORMAT", o.TimestampFormat);
        if (o.RetainSize != 0)
        {
            parts.Add("RETAIN_SIZE=" + o.RetainSize.ToString(CultureInfo.InvariantCulture));
        }

        Add("SCHEMAID", o.SchemaId);
        Add("KIND", o.Kind);
        Add("VERSION", o.Version);
        Add("EXTRA", o.Extra);
        Add("DELIMITER", o.Delimiter);
        return string.Join(" ", parts);
    }
}
