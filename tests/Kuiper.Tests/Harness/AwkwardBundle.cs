using System.Text;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Harness;

/// <summary>
/// A bundle a node accepts whose texts are hard to carry through another format: quotes, line breaks (LF, CRLF, NEL,
/// U+2028), tabs, NUL, a BOM, non-ASCII and emoji, <c>&lt;&gt;&amp;</c>, strings that read as numbers, booleans or null,
/// number literals Go would reformat, empty maps and arrays, rule texts with and without spaces, a confKey and a plugin
/// name with dots.
/// </summary>
public static class AwkwardBundle
{
    // Canonical (compact, Go's escaping): written to YAML as objects.
    private static readonly string CanonicalRule =
        """{"id":"123","sql":"SELECT * FROM s1 WHERE a = 'x\"y' AND b != \"\u003c\u0026\u003e\"","actions":[{"log":{"n1":1.0,"n2":1e5,"n3":-0,"n4":12345678901234567890,"n5":0.000001,"s":"123","f":"1.5","t":"true","no":"no","nul":"null","tilde":"~","empty":"","m":{},"a":[],"colon":"a: b","hash":"# c","dash":"- x","lead":" x","trail":"x ","nl":"a\nb","crlf":"a\r\nb","tab":"\tx","ls":"a\u2028b","nel":"a{NEL}b","bom":"{BOM}x","nul0":"a\u0000b","uni":"é日本😀","html":"\u003c\u0026\u003e","q":"'\"","bs":"\\","merge":"\u003c\u003c"}}],"options":{"qos":1}}"""
        .Replace("{NEL}", "\u0085", StringComparison.Ordinal).Replace("{BOM}", "\uFEFF", StringComparison.Ordinal);

    public static readonly string Json = Encoding.UTF8.GetString(BundleCodec.Write(new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
    {
        [ResourceKind.Streams] = new Dictionary<string, string>
        {
            ["s1"] = "CREATE STREAM s1 () WITH (DATASOURCE=\"a<b>&c é 日本 😀\", FORMAT=\"JSON\", TYPE=\"memory\")",
            ["s2"] = "\r\n  CREATE STREAM s2\r\n\t(\r\n  a bigint,\r\n  b string  \r\n  )\n WITH (DATASOURCE=\"x: y # z\", TYPE=\"memory\", );\n\n  ",
        },
        [ResourceKind.Tables] = new Dictionary<string, string>
        {
            ["t1"] = "CREATE TABLE t1 () WITH (DATASOURCE=\"t.json\", FORMAT=\"json\", TYPE=\"file\")",
        },
        [ResourceKind.Rules] = new Dictionary<string, string>
        {
            ["123"] = CanonicalRule,
            ["true"] = """{"id":"true","sql":"SELECT a FROM s2","actions":[{"log":{}}]}""",
            ["null"] = """{"id":"null","name":"~","sql":"SELECT a FROM s2","actions":[{"log":{}},{"log":{"x":[1,"2",[],{}]}}],"tags":["1","yes",""]}""",
            // Not canonical (spaces, an escaped é): written as its text.
            ["007"] = "{\"id\": \"007\",\n \"sql\": \"SELECT * FROM s1\", \"name\": \"caf\\u00e9\",\"actions\": [{\"log\": {}}]}",
        },
        [ResourceKind.SourceConfig] = new Dictionary<string, string>
        {
            ["mqtt"] = """{"default":{"qos":1,"server":"tcp://127.0.0.1:1883"},"odd":{"e":{},"k":"123","n":null,"nested":{"a":[]},"s":"\u003cé\u003e"}}""",
        },
        [ResourceKind.SinkConfig] = new Dictionary<string, string>
        {
            ["mqtt"] = """{"a.b":{"topic":"x/#"},"plain":{"sendSingle":true}}""",
        },
        [ResourceKind.ConnectionConfig] = new Dictionary<string, string>
        {
            ["my.plugin"] = """{"c1":{"server":"tcp://h:1"}}""",
        },
        [ResourceKind.Uploads] = new Dictionary<string, string>
        {
            ["dir/a b.txt"] = """{"name":"dir/a b.txt","content":"\u003c\u0026\u003e é\n\"q\""}""",
        },
        [ResourceKind.Scripts] = new Dictionary<string, string>
        {
            ["area"] = """{"id":"area","description":"\u003cé\u003e","script":"function area(x, y) { return x*y; }","isAgg":false}""",
        },
    })));
}
