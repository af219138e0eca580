using System.Net;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using static Kuiper.Tests.Http.HostileRequest;

namespace Kuiper.Tests.Http;

/// <summary>
/// Malformed and hostile requests across every endpoint, tried as an attacker would. None may be answered with a
/// 5xx, time out or lose its connection; where eKuiper defines the answer, it is checked exactly.
/// </summary>
public static class HostileCorpus
{
    /// <summary>The corpus node's body limit (small, so that oversized bodies are cheap to send).</summary>
    public const int MaxRequestBytes = 8 * 1024 * 1024;

    public const string TooLarge = "request body too large: the limit is 8388608 bytes (Kuiper:Import:MaxRequestBytes)";

    public static readonly string[] Kinds =
    [
        "streams", "tables", "rules", "nativePlugins", "portablePlugins", "sourceConfig", "sinkConfig", "connectionConfig",
        "Service", "Schema", "uploads", "scripts",
    ];

    /// <summary>Endpoints that read a JSON body, with a path that reaches the body.</summary>
    private static readonly (string Method, string Path)[] JsonEndpoints =
    [
        ("POST", "/data/import"), ("POST", "/data/import?partial=1"), ("POST", "/streams"), ("PUT", "/tables/t1"),
        ("POST", "/rules"), ("PUT", "/rules/r1"), ("PUT", "/metadata/sinks/mqtt/confKeys/k1"), ("POST", "/data/export"),
        ("POST", "/cluster/leave"), ("POST", "/ruleset/import"), ("POST", "/v2/data/import"), ("POST", "/v2/data/export"),
        ("POST", "/async/data/import"),
        // The management API (0.3.0).
        ("POST", "/plugins/sinks"), ("PUT", "/plugins/sinks/p1"), ("POST", "/plugins/portables"), ("PUT", "/plugins/portables/p1"),
        ("POST", "/plugins/functions/f1/register"), ("POST", "/services"), ("PUT", "/services/s1"), ("POST", "/schemas/protobuf"),
        ("PUT", "/schemas/protobuf/s1"), ("POST", "/udf/javascript"), ("PUT", "/udf/javascript/f1"), ("POST", "/connections"),
        ("PUT", "/connections/c1"), ("PUT", "/rules/r1/tags"), ("PATCH", "/rules/r1/tags"), ("GET", "/rules/tags/match"),
        ("POST", "/rules/validate"), ("POST", "/rules/bulkstart"), ("POST", "/rules/bulkstop"), ("POST", "/batch/req"),
    ];

    /// <summary>
    /// Writes of the management API that must be refused: each is answered 4xx, and none of them, sent one after
    /// another, changes what the node stores (<c>HostileInputTests</c> compares the export before and after).
    /// </summary>
    public static IReadOnlyList<HostileRequest> RefusedManagementWrites { get; } = BuildRefusedManagementWrites();

    /// <summary>Broken JSON: the body, and what Go's <c>json.Decoder</c> says of it (as <c>/data/import</c> reports it).</summary>
    private static readonly (string Body, string GoError)[] BrokenJson =
    [
        ("", "EOF"),
        ("{", "unexpected EOF"),
        ("}", "invalid character '}' looking for beginning of value"),
        ("{\"content\" 1}", "invalid character '1' after object key"),
        ("{\"content\":1,}", "invalid character '}' looking for beginning of object key string"),
        ("[1,]", "invalid character ']' looking for beginning of value"),
        ("nul", "unexpected EOF"),
        ("{\"content\":\"\\x\"}", "invalid character 'x' in string escape code"),
        ("{\"content\":\"\\u12G4\"}", "invalid character 'G' in \\u hexadecimal character escape"),
        ("NaN", "invalid character 'N' looking for beginning of value"),
        ("'single'", "invalid character '\\'' looking for beginning of value"),
        ("{\"content\":\"unterminated", "unexpected EOF"),
        ("\u0000", "invalid character '\\x00' looking for beginning of value"),
        ("{\"content\":-}", "invalid character '}' in numeric literal"),
    ];

    public static IReadOnlyList<HostileRequest> All { get; } = Build();

    public static IEnumerable<object[]> Cases => All.Select(r => new object[] { r.Name });

    public static HostileRequest Named(string name) => All.Single(r => r.Name == name);

    private static string Import(string content) => JsonSerializer.Serialize(new { content });

    private static string Nested(int depth, string open = "[", string close = "]", string inner = "") =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    private static string Unmarshal(string goError) => Envelope(GoQuote.Quote("configuration unmarshal with error " + goError));

    private static string InvalidBody(string goError) => Envelope(GoQuote.Quote("Invalid body: Error decoding json: " + goError));

    private static List<HostileRequest> Build()
    {
        var all = new List<HostileRequest>();
        void Add(HostileRequest r) => all.Add(r);

        // 1. Broken JSON on every endpoint that reads JSON; /data/import answers with Go's exact text.
        foreach (var (method, path) in JsonEndpoints)
            foreach (var (body, goError) in BrokenJson)
            {
                var exact = path.StartsWith("/data/import", StringComparison.Ordinal) || path.StartsWith("/async/data/import", StringComparison.Ordinal)
                            || path is "/ruleset/import" or "/v2/data/import";
                Add(Text($"broken json {JsonSerializer.Serialize(body)} on {method} {path}", method, path, body,
                    exact ? HttpStatusCode.BadRequest : null, exact ? InvalidBody(goError) : null));
            }

        // 2. Values of the wrong type, for the request and for each of the 12 kinds.
        Add(Text("import body is an array", "POST", "/data/import", "[]", HttpStatusCode.BadRequest,
            InvalidBody("json: cannot unmarshal array into Go value of type server.configurationInfo")));
        Add(Text("import body is a number then garbage", "POST", "/data/import", "01", HttpStatusCode.BadRequest,
            InvalidBody("json: cannot unmarshal number into Go value of type server.configurationInfo")));
        Add(Text("import content is a number", "POST", "/data/import", "{\"content\":1}", HttpStatusCode.BadRequest,
            InvalidBody("json: cannot unmarshal number into Go struct field configurationInfo.content of type string")));
        Add(Text("import file is an object", "POST", "/data/import", "{\"file\":{}}", HttpStatusCode.BadRequest,
            InvalidBody("json: cannot unmarshal object into Go struct field configurationInfo.file of type string")));
        Add(Text("import body is null", "POST", "/data/import", "null", HttpStatusCode.BadRequest, Envelope("\"Invalid body: must specify content or file\"")));
        Add(Text("import with content and file", "POST", "/data/import", "{\"content\":\"{}\",\"file\":\"file:///x\"}", HttpStatusCode.BadRequest,
            Envelope("\"Invalid body: Cannot specify both content and file\"")));
        Add(Text("bundle is an array", "POST", "/data/import", Import("[]"), HttpStatusCode.BadRequest,
            Unmarshal("json: cannot unmarshal array into Go value of type server.Configuration")));
        Add(Text("bundle is a string", "POST", "/data/import", Import("\"x\""), HttpStatusCode.BadRequest,
            Unmarshal("json: cannot unmarshal string into Go value of type server.Configuration")));
        foreach (var kind in Kinds)
        {
            Add(Text($"{kind} is a number", "POST", "/data/import?partial=1", Import($"{{\"{kind}\":1}}"), HttpStatusCode.BadRequest,
                Unmarshal($"json: cannot unmarshal number into Go struct field Configuration.{kind} of type map[string]string")));
            Add(Text($"{kind} entry is an object", "POST", "/data/import?partial=1", Import($"{{\"{kind}\":{{\"x\":{{}}}}}}"), HttpStatusCode.BadRequest,
                Unmarshal($"json: cannot unmarshal object into Go struct field Configuration.{kind} of type string")));
            Add(Text($"{kind} entry is broken JSON", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
                { [kind] = new Dictionary<string, string> { ["x"] = "{\"name\":" } })), HttpStatusCode.BadRequest));
            Add(Text($"{kind} entry nested 10,001 deep", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
                { [kind] = new Dictionary<string, string> { ["x"] = Nested(10_001) } })), HttpStatusCode.BadRequest));
            Add(Text($"{kind} entry with a wrong-typed name", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
                { [kind] = new Dictionary<string, string> { ["x"] = "{\"name\":[1],\"id\":{},\"sql\":7,\"file\":true}" } })), HttpStatusCode.BadRequest));
        }

        // 3. Deep JSON: exactly Go's limit is read, one past it is Go's syntax error, far past it costs nothing.
        Add(Text("import body nested 10,001 deep", "POST", "/data/import", Nested(10_001), HttpStatusCode.BadRequest,
            InvalidBody("invalid character '[' exceeded max depth")));
        Add(Text("import body nested 10,000 deep", "POST", "/data/import", Nested(10_000), HttpStatusCode.BadRequest,
            InvalidBody("json: cannot unmarshal array into Go value of type server.configurationInfo")));
        Add(Text("import body nested 1,000,000 deep", "POST", "/data/import", Nested(1_000_000, "{\"a\":", "}"), HttpStatusCode.BadRequest,
            InvalidBody("invalid character '{' exceeded max depth")));
        Add(Text("bundle nested 10,001 deep", "POST", "/data/import", Import(Nested(10_001)), HttpStatusCode.BadRequest,
            Unmarshal("invalid character '[' exceeded max depth")));
        Add(Text("rule nested 10,000 deep", "POST", "/rules", $"{{\"id\":\"deep1\",\"sql\":\"SELECT * FROM nowhere\",\"actions\":[{{\"log\":{{\"x\":{Nested(9_996)}}}}}]}}"));
        Add(Text("rule nested 10,001 deep", "POST", "/rules", $"{{\"id\":\"deep2\",\"sql\":\"SELECT * FROM nowhere\",\"actions\":[{{\"log\":{{\"x\":{Nested(9_997)}}}}}]}}",
            HttpStatusCode.BadRequest));
        Add(Text("confKey props nested 64 deep", "PUT", "/metadata/sources/mqtt/confKeys/d64", Nested(63, "{\"a\":", "}", "{}"), HttpStatusCode.OK, ""));
        Add(Text("confKey props nested 9,999 deep", "PUT", "/metadata/sinks/mqtt/confKeys/d9999", "{\"a\":" + Nested(9_998) + "}", HttpStatusCode.OK, ""));
        Add(Text("confKey props nested 10,000 deep", "PUT", "/metadata/sinks/mqtt/confKeys/d10000", "{\"a\":" + Nested(9_999) + "}", HttpStatusCode.BadRequest,
            Envelope("\"invalid character '[' exceeded max depth\"")));
        Add(Text("confKey props nested 10,001 deep", "PUT", "/metadata/sinks/mqtt/confKeys/d10001", "{\"a\":" + Nested(10_000) + "}", HttpStatusCode.BadRequest,
            Envelope("\"Invalid body: invalid character '[' exceeded max depth\"")));
        Add(Text("export ids nested 100,000 deep", "POST", "/data/export", Nested(100_000)));
        Add(Text("cluster leave nested 100,000 deep", "POST", "/cluster/leave", Nested(100_000, "{\"address\":", "}")));
        Add(Text("statement body nested 100,000 deep", "POST", "/streams", Nested(100_000, "{\"sql\":", "}")));

        // 4. Invalid UTF-8, NUL bytes, lone surrogates.
        Add(Bytes("import body with a UTF-8 BOM", "POST", "/data/import", [0xEF, 0xBB, 0xBF, .. "{\"content\":\"{}\"}"u8], HttpStatusCode.BadRequest,
            InvalidBody("invalid character 'ï' looking for beginning of value")));
        Add(Bytes("import body in UTF-16LE with BOM", "POST", "/data/import", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{\"content\":\"{}\"}")).ToArray(),
            HttpStatusCode.BadRequest, InvalidBody("invalid character 'ÿ' looking for beginning of value")));
        Add(Bytes("import body in UTF-16BE with BOM", "POST", "/data/import", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes("{\"content\":\"{}\"}")).ToArray(),
            HttpStatusCode.BadRequest, InvalidBody("invalid character 'þ' looking for beginning of value")));
        Add(Bytes("import body in UTF-16LE without BOM", "POST", "/data/import", Encoding.Unicode.GetBytes("{\"content\":\"{}\"}"),
            HttpStatusCode.BadRequest, InvalidBody("invalid character '\\x00' looking for beginning of object key string")));
        Add(new HostileRequest("import body in UTF-16 declared by charset", "POST", "/data/import", Encoding.Unicode.GetBytes("{\"content\":\"{}\"}"),
            "application/json; charset=utf-16", HttpStatusCode.BadRequest, InvalidBody("invalid character '\\x00' looking for beginning of object key string")));
        Add(Bytes("import body in UTF-32", "POST", "/data/import", new UTF32Encoding(false, true).GetPreamble().Concat(Encoding.UTF32.GetBytes("{}")).ToArray(),
            HttpStatusCode.BadRequest, InvalidBody("invalid character 'ÿ' looking for beginning of value")));
        Add(Bytes("import body with 0xFF outside strings", "POST", "/data/import", [.. "{\"content\":"u8, 0xFF, .. "}"u8], HttpStatusCode.BadRequest,
            InvalidBody("invalid character 'ÿ' looking for beginning of value")));
        Add(Bytes("import content with invalid UTF-8", "POST", "/data/import", [.. "{\"content\":\"{\\\"streams\\\":{\\\"s"u8, 0xC3, 0x28, 0xFF, .. "\\\":\\\"x\\\"}}\"}"u8],
            HttpStatusCode.BadRequest));
        Add(Text("import content with a lone surrogate escape", "POST", "/data/import", "{\"content\":\"\\ud800\"}", HttpStatusCode.BadRequest,
            Unmarshal("invalid character 'ï' looking for beginning of value")));
        Add(Text("import content with a reversed surrogate pair", "POST", "/data/import", "{\"content\":\"{\\\"streams\\\":{\\\"\\udc00\\ud800\\\":\\\"x\\\"}}\"}",
            HttpStatusCode.BadRequest));
        Add(Text("bundle definition with a lone surrogate escape", "POST", "/data/import?partial=1", Import("{\"rules\":{\"r\":\"{\\\"id\\\":\\\"\\\\udbff\\\",\\\"sql\\\":\\\"SELECT 1\\\"}\"}}"),
            HttpStatusCode.BadRequest));
        Add(Text("import file with a lone surrogate escape", "POST", "/data/import", "{\"file\":\"file:///\\ud800.json\"}", HttpStatusCode.BadRequest));
        Add(Text("import content with NUL bytes", "POST", "/data/import", Import("{\"streams\":{\"a\\u0000b\":\"CREATE STREAM a () WITH (TYPE=\\\"memory\\\")\"}}"), HttpStatusCode.BadRequest));
        Add(Bytes("stream DDL with invalid UTF-8", "POST", "/streams", [.. "{\"sql\":\"CREATE STREAM s"u8, 0xFF, .. " () WITH (TYPE=\\\"memory\\\")\"}"u8], HttpStatusCode.BadRequest));
        Add(Text("stream DDL with a NUL", "POST", "/streams", "{\"sql\":\"CREATE STREAM s\\u0000 () WITH (TYPE=\\\"memory\\\")\"}"));
        Add(Text("stream DDL with a lone surrogate", "POST", "/streams", "{\"sql\":\"CREATE STREAM \\udfff () WITH (TYPE=\\\"memory\\\")\"}", HttpStatusCode.BadRequest));
        Add(Bytes("rule body with invalid UTF-8", "POST", "/rules", [.. "{\"id\":\"u"u8, 0xFE, .. "\",\"sql\":\"SELECT * FROM nowhere\",\"actions\":[{\"log\":{}}]}"u8], HttpStatusCode.BadRequest));
        Add(Text("rule id with a lone surrogate", "POST", "/rules", "{\"id\":\"\\ud800\",\"sql\":\"SELECT * FROM nowhere\",\"actions\":[{\"log\":{}}]}", HttpStatusCode.BadRequest));
        Add(Bytes("rule body with a raw NUL", "PUT", "/rules/r1", [.. "{\"id\":\"r1\",\"sql\":\"SELECT"u8, 0x00, .. "\"}"u8], HttpStatusCode.BadRequest));
        Add(Bytes("confKey props with invalid UTF-8", "PUT", "/metadata/sources/mqtt/confKeys/utf8", [.. "{\"server\":\""u8, 0xC0, 0xAF, .. "\"}"u8], HttpStatusCode.OK, ""));
        Add(Text("confKey props with a lone surrogate", "PUT", "/metadata/sources/mqtt/confKeys/surrogate", "{\"server\":\"\\ud800\"}", HttpStatusCode.OK, ""));
        Add(Text("export ids with null", "POST", "/data/export", "[null]", HttpStatusCode.NotFound, Envelope("\"Rule  is not found.\"", 1002)));
        Add(Text("export ids with a number", "POST", "/data/export", "[1]", HttpStatusCode.NotFound, Envelope("\"Rule  is not found.\"", 1002)));
        Add(Text("export ids with a lone surrogate", "POST", "/data/export", "[\"\\ud800\"]", HttpStatusCode.NotFound, Envelope("\"Rule \uFFFD is not found.\"", 1002)));
        Add(Text("export ids as an object", "POST", "/data/export", "{\"a\":1}", HttpStatusCode.OK));
        Add(Text("cluster leave with a lone surrogate address", "POST", "/cluster/leave", "{\"address\":\"\\ud800\"}", HttpStatusCode.BadRequest));
        Add(Text("cluster leave with an address of the wrong type", "POST", "/cluster/leave", "{\"address\":[]}", HttpStatusCode.BadRequest));
        Add(Text("cluster down with an absurd port", "POST", "/cluster/down", "{\"address\":\"akka.tcp://kuiper@127.0.0.1:99999999999\"}"));
        Add(Text("cluster down with a stranger", "POST", "/cluster/down", "{\"address\":\"akka.tcp://kuiper@203.0.113.1:1\"}", HttpStatusCode.NotFound));

        // 5. Huge names and values.
        var hugeName = new string('n', 1_000_000);
        Add(Text("rule id of 1 MB", "POST", "/rules", $"{{\"id\":\"{hugeName}\",\"sql\":\"SELECT * FROM nowhere\",\"actions\":[{{\"log\":{{}}}}]}}", HttpStatusCode.BadRequest));
        Add(Text("stream name of 1 MB", "POST", "/streams", $"{{\"sql\":\"CREATE STREAM {hugeName} () WITH (TYPE=\\\"memory\\\")\"}}"));
        Add(Text("stream option of 4 MB", "POST", "/streams", $"{{\"sql\":\"CREATE STREAM big () WITH (TYPE=\\\"memory\\\", DATASOURCE=\\\"{new string('d', 4_000_000)}\\\")\"}}"));
        Add(Text("rule SQL of 4 MB", "POST", "/rules", $"{{\"id\":\"bigsql\",\"sql\":\"SELECT {string.Join(",", Enumerable.Repeat("a", 1_500_000))} FROM nowhere\",\"actions\":[{{\"log\":{{}}}}]}}"));
        Add(Text("path segment of 60 KB", "GET", "/rules/" + new string('r', 60_000), null));
        Add(Text("async task id of 6 KB", "GET", "/async/task/" + new string('t', 6_000), null, HttpStatusCode.BadRequest,
            Envelope(GoQuote.Quote($"async task: {new string('t', 6_000)} not found"))));
        Add(Text("async task id with quotes and markup", "POST", "/async/task/%22a%3Cb%3E%C3%A9/cancel", "", HttpStatusCode.BadRequest,
            Envelope(GoQuote.Quote("async task: \"a<b>é not found"))));
        Add(Text("confKey name of 30 KB", "PUT", "/metadata/sources/mqtt/confKeys/" + new string('k', 30_000), "{}"));
        Add(Text("bundle with 100,000 streams", "POST", "/data/import?partial=1", Import("{\"streams\":{" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"s{i}\":\"x\"")) + "}}"), HttpStatusCode.BadRequest));
        Add(Text("bundle with a 6 MB config", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new { sourceConfig = new Dictionary<string, string> { ["mqtt"] = $"{{\"k\":{{\"v\":\"{new string('v', 3_000_000)}\"}}}}" } }))));
        Add(Text("export of 10,000 rule ids", "POST", "/data/export", JsonSerializer.Serialize(Enumerable.Range(0, 10_000).Select(i => $"nope{i}")), HttpStatusCode.NotFound));
        Add(Text("import number of 1 MB digits", "POST", "/data/import?partial=1", Import("{\"sourceConfig\":{\"mqtt\":\"{\\\"k\\\":{\\\"interval\\\":" + new string('9', 1_000_000) + "}}\"}}")));
        Add(Text("import float beyond float64", "POST", "/data/import?partial=1", Import("{\"sourceConfig\":{\"mqtt\":\"{\\\"k\\\":{\\\"timeout\\\":1e400}}\"}}")));

        // 6. Broken and deeply nested DDL and SQL.
        foreach (var ddl in new[]
                 {
                     "", "CREATE", "CREATE STREAM", "CREATE STREAM s", "CREATE STREAM s (", "CREATE STREAM s (a) WITH ()", "CREATE STREAM s () WITH (TYPE=)",
                     "CREATE STREAM s (a ARRAY(ARRAY(", "CREATE STREAM s (a STRUCT(b STRUCT(c BIGINT) WITH (TYPE=\"memory\")", "DROP STREAM s", "SELECT * FROM s",
                     "CREATE STREAM s () WITH (TYPE=\"memory\") extra garbage", "CREATE TABLE t (a BIGINT DEFAULT 99999999999999999999999) WITH (TYPE=\"memory\")",
                     "CREATE STREAM s (a FLOAT DEFAULT 1e99999) WITH (TYPE=\"memory\")", "CREATE STREAM s () WITH (TYPE=\"memory\", KIND=\"lookup\", KIND=\"scan\")",
                     "CREATE STREAM 's' () WITH (TYPE=\"memory\")", "CREATE STREAM `a b` () WITH (TYPE=\"memory\")", "CREATE STREAM s () WITH (\"TYPE\"=\"memory\")",
                 })
            Add(Text($"DDL {JsonSerializer.Serialize(ddl)}", "POST", "/streams", JsonSerializer.Serialize(new { sql = ddl })));
        static string ArrayType(int depth) => new StringBuilder().Insert(0, "ARRAY(", depth).Append("BIGINT").Append(')', depth).ToString();
        static string StructType(int depth) => new StringBuilder().Insert(0, "STRUCT(f ", depth).Append("BIGINT").Append(')', depth).ToString();
        Add(Text("stream type ARRAY nested 1,000 deep", "POST", "/streams", JsonSerializer.Serialize(new { sql = $"CREATE STREAM arr1000 (a {ArrayType(1000)}) WITH (TYPE=\"memory\")" }), HttpStatusCode.Created));
        Add(Text("stream type ARRAY nested 1,001 deep", "POST", "/streams", JsonSerializer.Serialize(new { sql = $"CREATE STREAM arr1001 (a {ArrayType(1001)}) WITH (TYPE=\"memory\")" }), HttpStatusCode.BadRequest,
            Envelope("\"Stream command error: statement is nested too deeply\"", 3000)));
        Add(Text("stream type STRUCT nested 1,000 deep", "POST", "/streams", JsonSerializer.Serialize(new { sql = $"CREATE STREAM str1000 (a {StructType(1000)}) WITH (TYPE=\"memory\")" })));
        Add(Text("stream type STRUCT nested 100,000 deep", "POST", "/streams", JsonSerializer.Serialize(new { sql = $"CREATE STREAM str100k (a {StructType(100_000)}) WITH (TYPE=\"memory\")" }), HttpStatusCode.BadRequest,
            Envelope("\"Stream command error: statement is nested too deeply\"", 3000)));
        Add(Text("table type nested 100,000 deep by import", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new { tables = new Dictionary<string, string> { ["t"] = $"CREATE TABLE t (a {ArrayType(100_000)}) WITH (TYPE=\"memory\")" } })), HttpStatusCode.BadRequest));
        Add(Text("describe a stream typed 1,000 deep", "GET", "/streams/arr1000", null));
        Add(Text("details of streams typed 1,000 deep", "GET", "/streamdetails", null, HttpStatusCode.OK));
        foreach (var (name, sql) in new[]
                 {
                     ("empty", ""), ("not a select", "DELETE FROM x"), ("unclosed paren", "SELECT (a FROM s"), ("bad window", "SELECT * FROM s GROUP BY TUMBLINGWINDOW(ss, -1)"),
                     ("unknown function", "SELECT nosuchfn(a) FROM s"), ("parens 1,000 deep", "SELECT " + Nested(1000, "(", ")", "a") + " FROM s"),
                     ("parens 1,001 deep", "SELECT " + Nested(1001, "(", ")", "a") + " FROM s"), ("parens 200,000 deep", "SELECT " + Nested(200_000, "(", ")", "a") + " FROM s"),
                     ("operator chain of 100,000", "SELECT " + string.Join("+", Enumerable.Repeat("a", 100_000)) + " FROM s"),
                     ("function calls 5,000 deep", "SELECT " + Nested(5000, "abs(", ")", "a") + " FROM s"), ("CASE 5,000 deep", "SELECT " + Nested(5000, "CASE WHEN a THEN ", " END", "1") + " FROM s"),
                     ("unterminated string", "SELECT \"abc FROM s"), ("LIKE with a bad escape", "SELECT * FROM s WHERE a LIKE \"\\\\\" ESCAPE \"ab\""),
                 })
            Add(Text($"rule SQL {name}", "POST", "/rules", JsonSerializer.Serialize(new { id = "sql" + name.Length, sql, actions = new[] { new { log = new { } } } }), HttpStatusCode.BadRequest));
        Add(Text("rule with every field mistyped", "POST", "/rules", "{\"id\":\"mistyped\",\"sql\":7,\"actions\":{},\"options\":[],\"triggered\":\"yes\",\"graph\":1}", HttpStatusCode.BadRequest));
        Add(Text("rule options with an absurd duration", "POST", "/rules", "{\"id\":\"dur\",\"sql\":\"SELECT * FROM nowhere\",\"actions\":[{\"log\":{}}],\"options\":{\"checkpointInterval\":1e308}}", HttpStatusCode.BadRequest));

        // 7. Wrong methods and content types.
        foreach (var (method, path) in new[]
                 {
                     ("PATCH", "/rules/r1"), ("PUT", "/data/import"), ("DELETE", "/data/export"), ("GET", "/data/import"), ("POST", "/ping"), ("DELETE", "/streams"),
                     ("TRACE", "/data/export"), ("OPTIONS", "/rules"), ("PROPFIND", "/streams"), ("POST", "/data/import/status"), ("GET", "/rules/r1/start"),
                     ("GET", "/cluster/leave"),
                 })
            Add(Text($"{method} {path}", method, path, method is "GET" or "TRACE" or "DELETE" or "OPTIONS" ? null : "{}"));
        foreach (var contentType in new[] { "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=latin1", "garbage/;;;=" })
            Add(new HostileRequest($"import as {contentType}", "POST", "/data/import", "content=%7B%7D"u8.ToArray(), contentType, HttpStatusCode.BadRequest,
                InvalidBody("invalid character 'c' looking for beginning of value")));
        Add(new HostileRequest("import without a content type", "POST", "/data/import", "{\"content\":\"{\\\"streams\\\":1}\"}"u8.ToArray(), null, HttpStatusCode.BadRequest,
            Unmarshal("json: cannot unmarshal number into Go struct field Configuration.streams of type map[string]string")));
        Add(new HostileRequest("import body chunked", "POST", "/data/import", "{\"content\":\"{\\\"tables\\\":[]}\"}"u8.ToArray(), Chunked: true, Status: HttpStatusCode.BadRequest,
            Expected: Unmarshal("json: cannot unmarshal array into Go struct field Configuration.tables of type map[string]string")));

        // 8. Odd query flags.
        foreach (var query in new[] { "?partial=", "?partial=1&partial=0", "?partial=%00", "?partial=" + new string('1', 5000), "?stop=1&partial=1", "?stop=%FF%FE", "?atomic=maybe", "?dryRun=%00" })
            Add(Text($"import with {query[..Math.Min(query.Length, 40)]}", "POST", "/data/import" + query, "{\"content\":\"{\\\"rules\\\":7}\"}", HttpStatusCode.BadRequest,
                Unmarshal("json: cannot unmarshal number into Go struct field Configuration.rules of type map[string]string")));
        Add(Text("tables of an unknown kind", "GET", "/tables?kind=%00%FF", null, HttpStatusCode.OK));
        Add(Text("drop with force=maybe", "DELETE", "/streams/nowhere?force=maybe", null, HttpStatusCode.NotFound));
        Add(Text("rule status of an id with a NUL", "GET", "/rules/a%00b/status", null));
        Add(Text("rule status of an unknown id", "GET", "/rules/%F0%9F%92%A3/status", null, HttpStatusCode.NotFound, Envelope("\"get rule status error: Rule 💣 is not found in registry\"", 1002)));
        Add(Text("sharding entity with dots", "GET", "/cluster/sharding/regions/rules/entities/..%2F..%2Fetc", null));
        Add(Text("sharding region unknown", "GET", "/cluster/sharding/regions/%01/stats", null, HttpStatusCode.NotFound));
        Add(Text("sharding region with a NUL", "GET", "/cluster/sharding/regions/%00/stats", null));
        Add(Text("schema of an odd type", "GET", "/schemas/..%2F/x", null));
        Add(Text("plugin of an odd kind", "GET", "/plugins/%FF%FE/x", null));
        Add(Text("yaml of a config with a NUL", "GET", "/metadata/sources/yaml/a%00b", null));
        Add(Text("yaml of a config never written", "GET", "/metadata/connections/yaml/%E2%80%AE", null, HttpStatusCode.OK, "{}"));

        // 9. Oversized and badly framed bodies: 413 with the envelope.
        foreach (var (method, path) in new[] { ("POST", "/data/import"), ("POST", "/rules"), ("POST", "/streams"), ("PUT", "/metadata/sources/mqtt/confKeys/big"), ("POST", "/data/export") })
        {
            Add(new HostileRequest($"body over the limit on {method} {path}", method, path, new byte[MaxRequestBytes + 1], Status: HttpStatusCode.RequestEntityTooLarge,
                Expected: Envelope(GoQuote.Quote(TooLarge))));
            Add(new HostileRequest($"chunked body over the limit on {method} {path}", method, path, new byte[MaxRequestBytes + 4096], Chunked: true,
                Status: HttpStatusCode.RequestEntityTooLarge, Expected: Envelope(GoQuote.Quote(TooLarge))));
        }
        Add(Raw("declared length over the limit", $"POST /data/import HTTP/1.1\r\nHost: x\r\nContent-Length: {MaxRequestBytes + 1}\r\nExpect: 100-continue\r\n\r\n",
            HttpStatusCode.RequestEntityTooLarge, Envelope(GoQuote.Quote(TooLarge))));
        Add(Raw("overflowing chunk size", "POST /data/import HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nabc\r\n", HttpStatusCode.BadRequest));
        Add(Raw("chunk size that is not hex", "POST /rules HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", HttpStatusCode.BadRequest));
        Add(Raw("negative content length", "POST /streams HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", HttpStatusCode.BadRequest));
        Add(Raw("two content lengths", "POST /data/import HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", HttpStatusCode.BadRequest));
        Add(Raw("length and chunked together", "POST /data/import HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", HttpStatusCode.BadRequest));
        Add(Raw("header of 100 KB", $"GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: {new string('h', 100_000)}\r\n\r\n", HttpStatusCode.RequestHeaderFieldsTooLarge));
        Add(Raw("request line of 100 KB", $"GET /{new string('p', 100_000)} HTTP/1.1\r\nHost: x\r\n\r\n"));
        Add(Raw("NUL in the request line", "GET /pi\0ng HTTP/1.1\r\nHost: x\r\n\r\n", HttpStatusCode.BadRequest));
        Add(Raw("HTTP/1.0 without host", "GET /ping HTTP/1.0\r\n\r\n", HttpStatusCode.OK));

        // 10. Zip bombs and hostile archives served from the uploads folder (built by the fixture with python3's zipfile).
        Add(Text("native plugin zip bomb (300 MB of zeros)", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
            { ["nativePlugins"] = new Dictionary<string, string> { ["sinks_bomb"] = "{\"name\":\"bomb\",\"file\":\"file://{uploads}/bomb.zip\"}" } })), HttpStatusCode.BadRequest));
        Add(Text("portable plugin zip bomb", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
            { ["portablePlugins"] = new Dictionary<string, string> { ["bomb"] = "{\"name\":\"bomb\",\"file\":\"file://{uploads}/bomb.zip\"}" } })), HttpStatusCode.BadRequest));
        Add(Text("service zip bomb", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
            { ["Service"] = new Dictionary<string, string> { ["bomb"] = "{\"name\":\"bomb\",\"file\":\"file://{uploads}/bomb.zip\"}" } })), HttpStatusCode.BadRequest));
        Add(Text("zip of 10,001 entries", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
            { ["nativePlugins"] = new Dictionary<string, string> { ["sinks_many"] = "{\"name\":\"many\",\"file\":\"file://{uploads}/many.zip\"}" } })), HttpStatusCode.BadRequest));
        Add(Text("zip with an escaping entry", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
            { ["nativePlugins"] = new Dictionary<string, string> { ["sinks_evil"] = "{\"name\":\"evil\",\"file\":\"file://{uploads}/escape.zip\"}" } })), HttpStatusCode.BadRequest));
        Add(Text("zip that is not a zip", "POST", "/data/import?partial=1", Import(JsonSerializer.Serialize(new Dictionary<string, object>
            { ["nativePlugins"] = new Dictionary<string, string> { ["sinks_fake"] = "{\"name\":\"fake\",\"file\":\"file://{uploads}/fake.zip\"}" } })), HttpStatusCode.BadRequest));
        Add(Text("bundle file that is a zip bomb", "POST", "/data/import", "{\"file\":\"file://{uploads}/bomb.zip\"}", HttpStatusCode.BadRequest));

        // 11. Hostile file and URL references.
        foreach (var (name, uri, expected) in new (string, string, string?)[]
                 {
                     ("file URI with %00", "file:///tmp/a%00b", "openat /tmp/a\0b: invalid argument"), ("file URI outside uploads", "file:///etc/passwd", null),
                     ("file URI climbing out", "file://{uploads}/../../../etc/passwd", null), ("file URI of a directory", "file://{uploads}", null),
                     ("file URI of nothing", "file://{uploads}/none.json", null), ("loopback http", "http://127.0.0.1:1/x.json", null),
                     ("metadata address", "http://169.254.169.254/latest", null), ("ftp URI", "ftp://example.com/x", "unsupported url scheme ftp"),
                     ("URI of 64 KB", "file:///" + new string('u', 65_536), null), ("URI with bad escapes", "file:///%zz%", null),
                 })
            Add(Text($"import {name}", "POST", "/data/import", JsonSerializer.Serialize(new { file = uri }), HttpStatusCode.BadRequest,
                expected is null ? null : Envelope(GoQuote.Quote(expected))));

        // 12. The ruleset and YAML imports: hostile files and documents (texts checked exactly where eKuiper has them).
        Add(Text("ruleset content nested 1,000,000 deep", "POST", "/ruleset/import", Import(Nested(1_000_000)), HttpStatusCode.BadRequest,
            Envelope(GoQuote.Quote("Import ruleset error: invalid import file: invalid character '[' exceeded max depth"))));
        Add(Text("ruleset content that is no JSON", "POST", "/ruleset/import", Import("notjson"), HttpStatusCode.BadRequest,
            Envelope(GoQuote.Quote("Import ruleset error: invalid import file: invalid character 'o' in literal null (expecting 'u')"))));
        Add(Text("ruleset with 100,000 failing rules", "POST", "/ruleset/import",
            Import(JsonSerializer.Serialize(new { rules = Enumerable.Range(0, 100_000).ToDictionary(i => $"r{i}", _ => "x") })), HttpStatusCode.OK,
            "imported 0 streams, 0 tables and 0 rules"));
        var laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 9; i++) laughs.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        laughs.Append("rules:\n  r: *a9\n");
        Add(Text("yaml billion laughs", "POST", "/v2/data/import", Import(laughs.ToString()), HttpStatusCode.BadRequest,
            Envelope(GoQuote.Quote("import failed: yaml: document contains excessive aliasing"))));
        Add(Text("yaml nested 1,000,000 deep", "POST", "/v2/data/import", Import("rules:\n  r: " + Nested(1_000_000)), HttpStatusCode.BadRequest,
            Envelope(GoQuote.Quote("import failed: yaml: exceeded max depth of 10000"))));
        Add(Text("yaml block mappings nested 3,000 deep", "POST", "/v2/data/import",
            Import("rules:\n" + string.Concat(Enumerable.Range(0, 3_000).Select(i => new string(' ', i + 1) + "k:\n"))), HttpStatusCode.BadRequest));
        Add(Text("yaml anchor containing itself", "POST", "/v2/data/import", Import("rules: &a {r: *a}"), HttpStatusCode.BadRequest,
            Envelope(GoQuote.Quote("import failed: yaml: anchor 'a' value contains itself"))));
        Add(Text("yaml that is a tab-indented mess", "POST", "/v2/data/import", Import("rules:\n\t- [\n  {: ]"), HttpStatusCode.BadRequest));
        Add(Text("yaml with a 4 MB key", "POST", "/v2/data/import", Import($"streams:\n  {new string('k', 4 << 20)}: {{sql: x}}"), HttpStatusCode.BadRequest));
        Add(Bytes("yaml that is not UTF-8", "POST", "/v2/data/import",
            Encoding.UTF8.GetBytes("{\"content\":\"streams: {a: {sql: \"}").Concat(new byte[] { 0xff, 0xfe }).Concat(Encoding.UTF8.GetBytes("}}\"}")).ToArray(),
            HttpStatusCode.BadRequest));
        Add(Text("yaml export of an unknown rule", "POST", "/v2/data/export", "[\"nope\"]", HttpStatusCode.NotFound,
            Envelope(GoQuote.Quote("Rule nope is not found."), 1002)));

        all.AddRange(RefusedManagementWrites);
        return all;
    }

    private static List<HostileRequest> BuildRefusedManagementWrites()
    {
        static string Plugin(string file) => JsonSerializer.Serialize(new { name = "hostile", file });
        static string Envelope400(string message) => Envelope(GoQuote.Quote(message));
        const string InvalidId = "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed";
        var refused = new List<HostileRequest>();
        void Add(HostileRequest r) => refused.Add(r);

        // Hostile archives and references, through the REST writes: fetched and checked as an import fetches them.
        foreach (var (what, file) in new[]
                 {
                     ("zip bomb", "file://{uploads}/bomb.zip"), ("zip of 10,001 entries", "file://{uploads}/many.zip"),
                     ("zip with an escaping entry", "file://{uploads}/escape.zip"), ("zip that is not a zip", "file://{uploads}/fake.zip"),
                     ("file outside uploads", "file:///etc/passwd"), ("loopback http", "http://127.0.0.1:1/p.zip"),
                     ("metadata address", "http://169.254.169.254/p.zip"),
                 })
        {
            Add(Text($"REST native plugin from a {what}", "POST", "/plugins/sinks", Plugin(file), HttpStatusCode.BadRequest));
            Add(Text($"REST portable plugin from a {what}", "POST", "/plugins/portables", Plugin(file), HttpStatusCode.BadRequest));
            Add(Text($"REST service from a {what}", "POST", "/services", Plugin(file), HttpStatusCode.BadRequest));
        }
        Add(Text("REST schema from a file outside uploads", "POST", "/schemas/protobuf", JsonSerializer.Serialize(new { name = "hostile", file = "file:///etc/passwd" }),
            HttpStatusCode.BadRequest));

        // Invalid ids, before any lookup, with eKuiper's text.
        foreach (var (method, path, body) in new (string, string, string?)[]
                 {
                     ("GET", "/services/a%20b", null), ("DELETE", "/services/a%20b", null), ("PUT", "/services/a%20b", "{\"name\":\"a b\",\"file\":\"x\"}"),
                     ("GET", "/udf/javascript/a%20b", null), ("DELETE", "/udf/javascript/a%20b", null), ("DELETE", "/connections/a%20b", null),
                     ("GET", "/connections/a%20b", null), ("POST", "/connections", "{\"id\":\"a b\",\"typ\":\"mqtt\",\"props\":{}}"),
                     ("POST", "/udf/javascript", "{\"id\":\"a b\",\"script\":\"function a(){}\"}"),
                     ("POST", "/services", "{\"name\":\"a b\",\"file\":\"file:///x.zip\"}"), ("GET", "/rules/a%20b", null),
                     ("DELETE", "/streams/a%20b", null),
                 })
            Add(Text($"invalid id on {method} {path}", method, path, body, HttpStatusCode.BadRequest, Envelope400(InvalidId)));

        // Bodies eKuiper refuses, and things that are not there.
        Add(Text("REST script that does not parse", "POST", "/udf/javascript", "{\"id\":\"bad\",\"script\":\"function bad( {\"}", HttpStatusCode.BadRequest));
        Add(Text("REST script without its function", "POST", "/udf/javascript", "{\"id\":\"lonely\",\"script\":\"var x = 1;\"}", HttpStatusCode.BadRequest,
            Envelope400("javascript function create command error: cannot find function \"lonely\" in script")));
        Add(Text("REST script of 4 MB that does not parse", "POST", "/udf/javascript",
            JsonSerializer.Serialize(new { id = "huge", script = "function huge( {" + new string('x', 4_000_000) }), HttpStatusCode.BadRequest));
        Add(Text("REST connection without a type", "POST", "/connections", "{\"id\":\"c1\",\"props\":{}}", HttpStatusCode.BadRequest,
            Envelope400("create connection failed: connection id and type should be defined")));
        Add(Text("REST connection update of nothing", "PUT", "/connections/none", "{\"id\":\"none\",\"typ\":\"mqtt\",\"props\":{}}", HttpStatusCode.BadRequest,
            Envelope400("update connection failed: connection none not existed")));
        Add(Text("REST schema of an unknown type", "POST", "/schemas/nope", "{\"name\":\"s\",\"content\":\"x\"}", HttpStatusCode.BadRequest));
        Add(Text("REST tags of an unknown rule", "PUT", "/rules/nope/tags", "{\"tags\":[\"a\"]}", HttpStatusCode.NotFound,
            Envelope(GoQuote.Quote("Get rule error: Rule nope is not found."), 1002)));
        Add(Text("REST tags that are not strings", "PUT", "/rules/nope/tags", "{\"tags\":[1]}", HttpStatusCode.BadRequest));
        Add(Text("REST tags of 100,000 entries for an unknown rule", "PATCH", "/rules/nope/tags",
            JsonSerializer.Serialize(new { tags = Enumerable.Range(0, 100_000).Select(i => $"t{i}") }), HttpStatusCode.NotFound));
        Add(Text("REST bulk start of nothing", "POST", "/rules/bulkstart", "{\"tags\":[\"nope\"]}", HttpStatusCode.BadRequest,
            Envelope400("bulk start failed: no matching rules")));
        Add(Text("REST register functions of an unknown plugin", "POST", "/plugins/functions/nope/register", "{\"functions\":[\"f\"]}", HttpStatusCode.NotFound,
            Envelope(GoQuote.Quote("register functions plugin nope error: not found"), 1002)));
        Add(Text("REST delete of an unknown plugin", "DELETE", "/plugins/sinks/nope", null, HttpStatusCode.NotFound,
            Envelope(GoQuote.Quote("delete sinks plugin nope error: invalid name nope: not exist"), 1002)));
        Add(Text("batch of 101 requests", "POST", "/batch/req",
            JsonSerializer.Serialize(Enumerable.Range(0, 101).Select(_ => new { method = "DELETE", path = "/streams/x", body = "" })), HttpStatusCode.BadRequest,
            Envelope400("a batch holds at most 100 requests, this one holds 101")));
        Add(Text("batch nested 100,000 deep", "POST", "/batch/req", Nested(100_000), HttpStatusCode.BadRequest));
        return refused;
    }

    private static HostileRequest Raw(string name, string request, HttpStatusCode? status = null, string? expected = null) =>
        new(name, "RAW", "", Status: status, Expected: expected, Raw: Encoding.Latin1.GetBytes(request));
}
