using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Sql;
using Token = (Kuiper.Domain.Sql.SqlToken Kind, string Literal);

namespace Kuiper.Domain.Streams;

/// <summary>
/// Parses eKuiper <c>CREATE STREAM|TABLE</c> statements with the reference parser's exact behaviour and
/// error texts (<c>internal/xsql/parser.go</c>: <c>ParseCreateStmt</c> and the statement dispatch).
/// </summary>
/// <remarks>
/// Grammar (keywords, type names and option names case-insensitive; names keep their case):
/// <code>
/// CREATE (STREAM|TABLE) name ( [field [, field]* [,]] ) WITH ( [OPT = value [,]]* ) [; anything]
/// field := name type [DEFAULT literal]
/// type  := BIGINT | FLOAT | STRING | DATETIME | BOOLEAN | BYTEA | ARRAY(type) | STRUCT(field, ...)
/// </code>
/// <c>-- line</c> and <c>/* block */</c> comments are skipped anywhere between tokens. Option values are
/// double-quoted strings with Go escapes, or bare TRUE/FALSE. Everything after a <c>;</c> that follows the
/// options is ignored, as in the reference.
/// Statements that are not a CREATE are only checked as far as needed for their own syntax errors
/// (SHOW, DESCRIBE, EXPLAIN, DROP); a statement starting with the SELECT keyword is not parsed at all, so a
/// malformed SELECT reports <c>Invalid … statement</c> where eKuiper would report the SELECT parse error.
/// </remarks>
public static class StreamStatementParser
{
    /// <summary>The option keys eKuiper accepts inside <c>WITH (...)</c>.</summary>
    public static readonly IReadOnlySet<string> OptionKeys = new[]
    {
        "DATASOURCE", "KEY", "FORMAT", "CONF_KEY", "TYPE", "STRICT_VALIDATION", "TIMESTAMP", "TIMESTAMP_FORMAT",
        "RETAIN_SIZE", "SHARED", "SCHEMAID", "KIND", "DELIMITER", "VERSION", "EXTRA", "TEMP",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Formats with a registered converter in a default (non-core) eKuiper build, lower case.</summary>
    public static readonly IReadOnlySet<string> SupportedFormats = new[]
    {
        "json", "binary", "delimited", "urlencoded", "protobuf",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Not an eKuiper text: returned when ARRAY/STRUCT nesting is so deep that continuing would exhaust the
    /// thread's stack (the reference, with Go's growable stacks, would keep going).
    /// </summary>
    public const string TooDeeplyNestedMessage = "statement is nested too deeply";

    /// <summary>
    /// How deep ARRAY and STRUCT types may nest (ours; the reference has no bound): as deep as the SQL parser allows
    /// expressions, far beyond any real schema, and shallow enough that every walker of the type (describe, export)
    /// runs in a fraction of a thread's stack. One more level is refused with <see cref="TooDeeplyNestedMessage"/>.
    /// </summary>
    public const int MaxTypeNesting = 1000;

    /// <summary>
    /// Parses a statement expected to be a <c>CREATE STREAM</c> or <c>CREATE TABLE</c> of either kind.
    /// A statement that is not a CREATE (empty, SHOW/DROP/…, unknown first word) yields
    /// <c>Invalid stream statement: &lt;statement&gt;</c>, the wording of eKuiper's stream REST path.
    /// </summary>
    public static StreamParseResult Parse(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var outcome = Run(statement);
        if (outcome.Error is not null)
        {
            return StreamParseResult.Failure(outcome.Error);
        }

        return outcome.Definition is null
            ? StreamParseResult.Failure(InvalidStatementMessage(StreamKind.Stream, statement))
            : StreamParseResult.Success(outcome.Definition);
    }

    /// <summary>
    /// Parses a statement imported under <c>streams</c> (<paramref name="expected"/> = Stream) or
    /// <c>tables</c> (Table), with eKuiper's <c>ExecReplaceStream</c> wording: parse errors as-is; a
    /// non-CREATE statement gives <c>Invalid stream|table statement: &lt;statement&gt;</c>; a CREATE of the
    /// other kind gives <c>stream|table &lt;name&gt; is not found</c> flagged <see cref="StreamParseResult.IsNotFound"/>.
    /// </summary>
    public static StreamParseResult ParseForKind(string statement, StreamKind expected)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var outcome = Run(statement);
        if (outcome.Error is not null)
        {
            return StreamParseResult.Failure(outcome.Error);
        }

        if (outcome.Definition is null)
        {
            return StreamParseResult.Failure(InvalidStatementMessage(expected, statement));
        }

        if (outcome.Definition.Kind != expected)
        {
            return StreamParseResult.NotFound(
                $"{StreamDefinition.KindWord(expected)} {outcome.Definition.Name} is not found");
        }

        return StreamParseResult.Success(outcome.Definition);
    }

    /// <summary><c>Invalid stream statement: &lt;statement&gt;</c> / <c>Invalid table statement: &lt;statement&gt;</c>.</summary>
    public static string InvalidStatementMessage(StreamKind kind, string statement) =>
        $"Invalid {StreamDefinition.KindWord(kind)} statement: {statement}";

    private readonly record struct Outcome(StreamDefinition? Definition, string? Error);

    /// <summary>
    /// The reference's statement dispatch: the first token's literal, upper-cased, picks the statement
    /// parser. Only CREATE produces a definition; the other statement kinds are checked just far enough
    /// to reproduce their syntax errors (a SELECT beginning with the SELECT keyword is not validated).
    /// </summary>
    private static Outcome Run(string statement)
    {
        var parser = new Parser(statement);
        try
        {
            var first = parser.ScanIgnoreWhitespace();
            parser.Unscan();
            switch (GoText.ToUpper(first.Literal))
            {
                case "CREATE":
                    return new Outcome(parser.ParseCreate(), null);
                case "SELECT":
                    parser.CheckSelectStart();
                    break;
                case "SHOW":
                    parser.ParseShow();
                    break;
                case "EXPLAIN":
                case "DESCRIBE":
                case "DROP":
                    parser.ParseNamedStatement();
                    break;
            }

            return new Outcome(null, null);
        }
        catch (DdlSyntaxException e)
        {
            return new Outcome(null, e.Message);
        }
        catch (InsufficientExecutionStackException)
        {
            return new Outcome(null, TooDeeplyNestedMessage);
        }
    }

    private sealed class DdlSyntaxException(string message) : Exception(message);

    private sealed class Parser(string statement)
    {
        private const string FieldTypeList = "BIGINT | FLOAT | STRING | DATETIME | BOOLEAN | BYTEA | ARRAY | STRUCT";

        private const string OptionKeyList =
            "DATASOURCE|FORMAT|KEY|CONF_KEY|SHARED|STRICT_VALIDATION|TYPE|TIMESTAMP|TIMESTAMP_FORMAT|RETAIN_SIZE|SCHEMAID|EXTRA|VERSION|TEMP|KIND|DELIMITER";

        private readonly SqlScanner _scanner = new(statement);
        private int _typeNesting;
        private Token _last = (SqlToken.Eof, "EOF");
        private bool _pushedBack;

        private static DdlSyntaxException Error(string message) => new(message);

        private static string Q(string literal) => GoQuote.Quote(literal);

        public Token ScanIgnoreWhitespace()
        {
            if (_pushedBack)
            {
                _pushedBack = false;
                return _last;
            }

            while (true)
            {
                Token token = _scanner.Scan();
                if (token.Kind is not (SqlToken.Whitespace or SqlToken.Comment))
                {
                    _last = token;
                    return token;
                }
            }
        }

        /// <summary>Pushes the last token back (the parser never needs more than one).</summary>
        public void Unscan() => _pushedBack = true;

        public StreamDefinition ParseCreate()
        {
            ScanIgnoreWhitespace(); // CREATE
            var kindWord = GoText.ToUpper(ScanIgnoreWhitespace().Literal);
            var kind = kindWord switch
            {
                "STREAM" => StreamKind.Stream,
                "TABLE" => StreamKind.Table,
                _ => throw Error($"found {Q(kindWord)}, expected keyword stream or table."),
            };

            var name = ScanIgnoreWhitespace();
            if (name.Kind != SqlToken.Ident)
            {
                throw Error($"found {Q(name.Literal)}, expected stream name.");
            }

            var fields = ParseFieldList();
            var options = ParseOptions();
            var end = ScanIgnoreWhitespace();
            if (end.Kind is not (SqlToken.Semicolon or SqlToken.Eof))
            {
                throw Error($"found {Q(end.Literal)}, expected semicolon or EOF.");
            }

            Validate(kind, fields, options);
            return new StreamDefinition(name.Literal, kind, fields, options, statement);
        }

        /// <summary>
        /// <c>( fields ) WITH</c> for the statement, and <c>( fields )</c> for a STRUCT, which shares the
        /// code: after a struct's <c>)</c> a comma or <c>)</c> is left for the caller, and <c>WITH</c> is
        /// consumed wherever it appears (so <c>STRUCT()</c> must be followed by WITH, as in the reference).
        /// </summary>
        private List<StreamField> ParseFieldList()
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            var open = ScanIgnoreWhitespace();
            if (open.Kind != SqlToken.LParen)
            {
                throw Error($"found {Q(open.Literal)}, expected lparen after stream name.");
            }

            var fields = new List<StreamField>();
            while (true)
            {
                if (ScanIgnoreWhitespace().Kind == SqlToken.RParen)
                {
                    var next = ScanIgnoreWhitespace();
                    if (GoText.ToUpper(next.Literal) != "WITH")
                    {
                        throw Error($"found {Q(next.Literal)}, expected is with.");
                    }

                    return fields;
                }

                Unscan();
                fields.Add(ParseField());

                if (ScanIgnoreWhitespace().Kind == SqlToken.RParen)
                {
                    var next = ScanIgnoreWhitespace();
                    var word = GoText.ToUpper(next.Literal);
                    if (word == "WITH")
                    {
                        return fields;
                    }

                    if (next.Kind is SqlToken.Comma or SqlToken.RParen)
                    {
                        Unscan();
                        return fields;
                    }

                    throw Error($"found {Q(word)}, expected is with.");
                }

                Unscan();
            }
        }

        private StreamField ParseField()
        {
            var name = ScanIgnoreWhitespace();
            if (name.Kind != SqlToken.Ident)
            {
                throw Error($"found {Q(name.Literal)}, expect stream field name.");
            }

            var typeToken = ScanIgnoreWhitespace();
            var type = ParseType(typeToken)
                ?? throw Error($"found {Q(typeToken.Literal)}, expect valid stream field types({FieldTypeList}).");

            StreamDefaultValue? defaultValue = null;
            var next = ScanIgnoreWhitespace();
            switch (next.Kind)
            {
                case SqlToken.Comma:
                    break;
                case SqlToken.Default:
                    defaultValue = ParseDefault(type.Type);
                    var afterDefault = ScanIgnoreWhitespace();
                    if (afterDefault.Kind == SqlToken.RParen)
                    {
                        Unscan();
                    }
                    else if (afterDefault.Kind != SqlToken.Comma)
                    {
                        throw Error($"found {Q(afterDefault.Literal)}, expect comma or rparen.");
                    }

                    break;
                case SqlToken.RParen:
                    Unscan();
                    break;
                default:
                    throw Error($"found {Q(next.Literal)}, expect comma or rparen.");
            }

            return new StreamField(name.Literal, type.Type, defaultValue);
        }

        /// <summary>A parsed type; <see cref="Type"/> is null for the untyped-ARRAY quirk.</summary>
        private sealed record ParsedType(StreamFieldType? Type);

        /// <summary>Null when the word is not a type name.</summary>
        private ParsedType? ParseType(Token typeToken) => GoText.ToUpper(typeToken.Literal) switch
        {
            "BIGINT" => new ParsedType(new BasicFieldType(StreamDataType.Bigint)),
            "FLOAT" => new ParsedType(new BasicFieldType(StreamDataType.Float)),
            "STRING" => new ParsedType(new BasicFieldType(StreamDataType.String)),
            "DATETIME" => new ParsedType(new BasicFieldType(StreamDataType.Datetime)),
            "BOOLEAN" => new ParsedType(new BasicFieldType(StreamDataType.Boolean)),
            "BYTEA" => new ParsedType(new BasicFieldType(StreamDataType.Bytea)),
            "ARRAY" => new ParsedType(ParseArrayBody()),
            "STRUCT" => new ParsedType(ParseStructBody()),
            _ => null,
        };

        /// <summary>
        /// After ARRAY. Returns null (no type, no error) when ARRAY is not followed by <c>(</c> — that token is
        /// swallowed — or when <c>(</c> is followed by a comma, as the reference does.
        /// </summary>
        private StreamFieldType? ParseArrayBody()
        {
            EnterType();
            try
            {
                return ParseArrayElement();
            }
            finally
            {
                _typeNesting--;
            }
        }

        /// <summary>Counts one more level of ARRAY/STRUCT nesting, refusing one past <see cref="MaxTypeNesting"/>.</summary>
        private void EnterType()
        {
            if (++_typeNesting > MaxTypeNesting) throw Error(TooDeeplyNestedMessage);
            RuntimeHelpers.EnsureSufficientExecutionStack();
        }

        private StreamFieldType? ParseArrayElement()
        {
            if (ScanIgnoreWhitespace().Kind != SqlToken.LParen)
            {
                return null;
            }

            var elementToken = ScanIgnoreWhitespace();
            string missingParen;
            StreamFieldType? element;
            switch (GoText.ToUpper(elementToken.Literal))
            {
                case "BIGINT" or "FLOAT" or "STRING" or "DATETIME" or "BOOLEAN" or "BYTEA":
                    element = ParseType(elementToken)!.Type;
                    missingParen = "expect rparen in array type definition.";
                    break;
                case "STRUCT":
                    element = ParseStructBody();
                    missingParen = "expect rparen in struct of array type definition.";
                    break;
                case "ARRAY":
                    element = ParseArrayBody();
                    missingParen = "expect rparen in array of array type definition.";
                    break;
                default:
                    if (elementToken.Kind == SqlToken.Comma)
                    {
                        Unscan();
                        return null;
                    }

                    throw Error($"found {Q(elementToken.Literal)}, expect stream data types.");
            }

            var close = ScanIgnoreWhitespace();
            if (close.Kind != SqlToken.RParen)
            {
                throw Error($"found {Q(close.Literal)}, {missingParen}");
            }

            return new ArrayFieldType(element);
        }

        private StructFieldType ParseStructBody()
        {
            EnterType();
            List<StreamField> fields;
            try
            {
                fields = ParseFieldList();
            }
            finally
            {
                _typeNesting--;
            }
            var next = ScanIgnoreWhitespace();
            if (next.Kind is not (SqlToken.Comma or SqlToken.RParen))
            {
                throw Error($"found {Q(next.Literal)}, expect comma in create stream record statement.");
            }

            Unscan();
            return new StructFieldType(fields);
        }

        private StreamDefaultValue ParseDefault(StreamFieldType? type)
        {
            var token = ScanIgnoreWhitespace();
            if (token.Kind == SqlToken.Sub && _scanner.TryScanNegativeNumber() is { } negative)
            {
                token = negative;
            }

            if (token.Kind is not (SqlToken.Integer or SqlToken.Number or SqlToken.String
                or SqlToken.SingleQuote or SqlToken.True or SqlToken.False))
            {
                throw Error($"found {Q(token.Literal)}, expect default constraint value.");
            }

            var text = token.Literal;
            switch (type)
            {
                case BasicFieldType { DataType: StreamDataType.Bigint }:
                    return GoStrconv.TryParseInt64Base0(text, out var integer)
                        ? new IntegerDefault(integer)
                        : throw Error($"cannot convert string({text}) to int64");
                case BasicFieldType { DataType: StreamDataType.Float }:
                    return GoStrconv.TryParseFloat64(text, out var number)
                        ? new FloatDefault(number)
                        : throw Error($"cannot convert string({text}) to float64");
                case BasicFieldType { DataType: StreamDataType.String }:
                    return new StringDefault(text);
                case BasicFieldType { DataType: StreamDataType.Boolean }:
                    return GoStrconv.TryParseBool(text, out var boolean)
                        ? new BooleanDefault(boolean)
                        : throw Error($"strconv.ParseBool: parsing {Q(text)}: invalid syntax");
                case BasicFieldType basic:
                    throw Error($"DEFAULT clause is not supported for {basic}");
                case ArrayFieldType:
                    throw Error("DEFAULT clause is not supported for *ast.ArrayType");
                case StructFieldType:
                    throw Error("DEFAULT clause is not supported for *ast.RecType");
                default:
                    throw Error("unsupported type <nil>");
            }
        }

        private StreamOptions ParseOptions()
        {
            var open = ScanIgnoreWhitespace();
            if (open.Kind != SqlToken.LParen)
            {
                throw Error($"found {Q(open.Literal)}, expect stream options.");
            }

            var options = StreamOptions.Empty;
            while (true)
            {
                var keyToken = ScanIgnoreWhitespace();
                var key = GoText.ToUpper(keyToken.Literal);
                if (OptionKeys.Contains(key))
                {
                    var equals = ScanIgnoreWhitespace();
                    if (equals.Kind != SqlToken.Eq)
                    {
                        throw Error($"found {Q(equals.Literal)}, expect equals(=) in options.");
                    }

                    var value = ScanIgnoreWhitespace();
                    if (value.Kind is not (SqlToken.String or SqlToken.True or SqlToken.False))
                    {
                        throw Error($"found {Q(value.Literal)}, expect string or boolean value in option.");
                    }

                    options = Apply(options, key, value.Literal);
                }
                else if (keyToken.Kind == SqlToken.Comma)
                {
                    // Commas between options are optional; any number is accepted.
                }
                else if (keyToken.Kind == SqlToken.RParen)
                {
                    break;
                }
                else
                {
                    throw Error($"found {Q(key)}, unknown option keys({OptionKeyList}).");
                }
            }

            if (options is { Kind: "lookup", Type: "memory", Key: "" })
            {
                throw Error("Option \"key\" is required for memory lookup table.");
            }

            return options;
        }

        private static StreamOptions Apply(StreamOptions options, string key, string value) => key switch
        {
            "DATASOURCE" => options with { DataSource = value },
            "KEY" => options with { Key = value },
            "FORMAT" => options with { Format = value },
            "CONF_KEY" => options with { ConfKey = value },
            "TYPE" => options with { Type = value },
            "STRICT_VALIDATION" => options with { StrictValidation = ParseFlag(key, value) },
            "TIMESTAMP" => options with { Timestamp = value },
            "TIMESTAMP_FORMAT" => options with { TimestampFormat = value },
            "RETAIN_SIZE" => options with { RetainSize = ParseRetainSize(value) },
            "SHARED" => options with { Shared = ParseFlag(key, value) },
            "SCHEMAID" => options with { SchemaId = value },
            "KIND" => options with { Kind = GoText.ToLower(value) },
            "DELIMITER" => options with { Delimiter = value },
            "VERSION" => options with { Version = GoText.ToLower(value) },
            "EXTRA" => GoJsonSyntax.Check(value) is null // Go's json.Valid
                ? options with { Extra = value }
                : throw Error("invalid extra option, expect JSON string"),
            "TEMP" => options with { Temp = ParseFlag(key, value) },
            _ => throw new InvalidOperationException("unreachable option " + key),
        };

        private static bool ParseFlag(string key, string value) => GoText.ToUpper(value) switch
        {
            "TRUE" => true,
            "FALSE" => false,
            _ => throw Error($"found {Q(value)}, expect TRUE/FALSE value in {key} option."),
        };

        /// <summary>Go <c>strconv.Atoi</c>: optional sign, decimal digits only, 64-bit range.</summary>
        private static long ParseRetainSize(string value) =>
            GoStrconv.TryAtoi(value, out var size)
                ? size
                : throw Error($"found {Q(value)}, expect number value in RETAIN_SIZE option.");

        private static void Validate(StreamKind kind, IReadOnlyList<StreamField> fields, StreamOptions options)
        {
            var format = options.Format.Length == 0 ? "json" : options.Format;
            var lower = GoText.ToLower(format);
            if (lower == "binary")
            {
                if (kind == StreamKind.Table)
                {
                    throw Error("'binary' format is not supported for table");
                }

                switch (fields.Count)
                {
                    case 0:
                        return;
                    case 1 when fields[0].Type is BasicFieldType { DataType: StreamDataType.Bytea }:
                        return;
                    case 1:
                        throw Error("'binary' format stream can have only 'bytea' type field");
                    default:
                        throw Error("'binary' format stream can have only one field");
                }
            }

            if (!SupportedFormats.Contains(lower))
            {
                throw Error($"option 'format={format}' is invalid");
            }
        }

        /// <summary>The reference parses SELECT fully; only its "not really the SELECT keyword" error is reproduced.</summary>
        public void CheckSelectStart()
        {
            var first = ScanIgnoreWhitespace();
            if (first.Kind != SqlToken.Select)
            {
                throw Error($"Found {Q(first.Literal)}, Expected SELECT.\n");
            }
        }

        public void ParseShow()
        {
            ScanIgnoreWhitespace(); // SHOW
            var what = GoText.ToUpper(ScanIgnoreWhitespace().Literal);
            if (what is not ("STREAMS" or "TABLES"))
            {
                throw Error($"found {Q(what)}, expected keyword streams or tables.");
            }

            var end = ScanIgnoreWhitespace();
            if (end.Kind is not (SqlToken.Eof or SqlToken.Semicolon))
            {
                throw Error($"found {Q(end.Literal)}, expected semecolon or EOF.");
            }
        }

        /// <summary>DESCRIBE / EXPLAIN / DROP (STREAM|TABLE) name — nothing after the name is checked.</summary>
        public void ParseNamedStatement()
        {
            ScanIgnoreWhitespace(); // DESCRIBE, EXPLAIN or DROP
            var what = GoText.ToUpper(ScanIgnoreWhitespace().Literal);
            var noun = what switch
            {
                "STREAM" => "stream",
                "TABLE" => "table",
                _ => throw Error($"found {Q(what)}, expected keyword stream or table."),
            };

            var name = ScanIgnoreWhitespace();
            if (name.Kind != SqlToken.Ident)
            {
                throw Error($"found {Q(name.Literal)}, expected {noun} name.");
            }
        }
    }
}
