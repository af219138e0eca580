namespace Kuiper.Tests.Rules.Validation;

/// <summary>Rule texts and what eKuiper's replace.ReplaceRuleJson returns for them (observed from Go).</summary>
internal static class RuleJsonRewritingGoCases
{
    public static TheoryData<string, string> Cases => new()
    {
        { "{\"id\":\"r\", \"actions\":[{\"kafka\":{\"saslPassword\":\"p\",\"interval\":\"1000\",\"x\":1.0,\"big\":12345678901234567890,\"h\":\"<a&b>\",\"f\":1e21,\"g\":1e-7,\"n\":-0,\"u\":\"\\u2028\\ud800\"}}],\"sql\":\"a\",\"z\":[]}", "{\"actions\":[{\"kafka\":{\"big\":12345678901234567000,\"f\":1e+21,\"g\":1e-7,\"h\":\"\\u003ca\\u0026b\\u003e\",\"interval\":\"1s\",\"n\":-0,\"password\":\"p\",\"u\":\"\\u2028\uFFFD\",\"x\":1}}],\"id\":\"r\",\"sql\":\"a\",\"z\":[]}" },
        { "{\"actions\":[{\"kafka\":{}}]}", "{\"actions\":[{\"kafka\":{}}]}" },
        { "{\"actions\":[{\"log\":{\"saslPassword\":1}}]}", "{\"actions\":[{\"log\":{\"saslPassword\":1}}]}" },
        { "{\"Actions\":[{\"kafka\":{\"saslPassword\":1}}]}", "{\"Actions\":[{\"kafka\":{\"saslPassword\":1}}]}" },
        { "{\"actions\":[{\"sql\":{\"url\":1,\"dburl\":2,\"timeout\":null,\"interval\":true,\"expiration\":\"0x10\",\"cacheTtl\":5,\"lookup\":{\"cacheTtl\":\"1_000\"}}}]}", "{\"actions\":[{\"sql\":{\"cacheTtl\":5,\"dburl\":1,\"expiration\":\"16ms\",\"interval\":\"1ms\",\"lookup\":{\"cacheTtl\":\"1s\"},\"timeout\":\"0s\"}}]}" },
        { "{\"actions\":[{\"sql\":{\"timeout\":1e16}}], \"x\":1e400}", "{\"actions\":[{\"sql\":{\"timeout\":1e16}}], \"x\":1e400}" },
        { "{\"actions\":[{\"sql\":{\"timeout\":\"010\"}}, {\"kafka\":{\"timeout\":\"0b11\"}}, {\"kafka\":{\"timeout\":\" 1\"}}, \"x\", null, [], {}]}", "{\"actions\":[{\"sql\":{\"timeout\":\"8ms\"}},{\"kafka\":{\"timeout\":\"3ms\"}},{\"kafka\":{\"timeout\":\" 1\"}},\"x\",null,[],{}]}" },
        { "{\u000A  \"id\": \"rule1\",\u000A  \"sql\": \"SELECT * FROM demo\",\u000A  \"actions\": [{\"mqtt\": {\"server\": \"tcp://127.0.0.1:1883\", \"timeout\": 1000}}]\u000A}", "{\u000A  \"id\": \"rule1\",\u000A  \"sql\": \"SELECT * FROM demo\",\u000A  \"actions\": [{\"mqtt\": {\"server\": \"tcp://127.0.0.1:1883\", \"timeout\": 1000}}]\u000A}" },
        { "{\"id\":\"rule1\",\"sql\":\"SELECT * FROM demo\",\"actions\":[{\"sql\":{\"url\":\"mysql://u:p@h:3306/db\",\"table\":\"t\"}}],\"options\":{\"qos\":1,\"checkpointInterval\":\"5m0s\"},\"triggered\":false}", "{\"actions\":[{\"sql\":{\"dburl\":\"mysql://u:p@h:3306/db\",\"table\":\"t\"}}],\"id\":\"rule1\",\"options\":{\"checkpointInterval\":\"5m0s\",\"qos\":1},\"sql\":\"SELECT * FROM demo\",\"triggered\":false}" },
        { "{\"actions\":[{\"kafka\":{\"saslPassword\":\"a\"}}],\"actions\":{\"x\":1}}", "{\"actions\":[{\"kafka\":{\"saslPassword\":\"a\"}}],\"actions\":{\"x\":1}}" },
        { "{\"actions\":{\"kafka\":{\"saslPassword\":\"a\"}}}", "{\"actions\":{\"kafka\":{\"saslPassword\":\"a\"}}}" },
        { "{\"actions\":[{\"kafka\":{\"saslPassword\":\"a\"}}],\"id\":\"x\",\"id\":\"y\"}", "{\"actions\":[{\"kafka\":{\"password\":\"a\"}}],\"id\":\"y\"}" },
        { "{\"actions\":[{\"kafka\":\"str\"},{\"sql\":{\"url\":\"u\"}}]}", "{\"actions\":[{\"kafka\":\"str\"},{\"sql\":{\"dburl\":\"u\"}}]}" },
        { "[1,2]", "[1,2]" },
        { "null", "null" },
        { "{\"actions\":[{\"kafka\":{\"saslPassword\":\"a\"}}]", "{\"actions\":[{\"kafka\":{\"saslPassword\":\"a\"}}]" },
        { "{\"actions\":[{\"kafka\":{\"interval\":10}}],\"\u00E9\":\"\\u00e9\",\"\\uE000\":1,\"\\uD83D\\uDE00\":2,\"Z\":3,\"a\":4}", "{\"Z\":3,\"a\":4,\"actions\":[{\"kafka\":{\"interval\":\"10ms\"}}],\"\u00E9\":\"\u00E9\",\"\uE000\":1,\"\uD83D\uDE00\":2}" },
        { "{\"actions\":[{\"kafka\":{\"interval\":10}}],\"s\":\"tab\\tnl\\ncr\\rbs\\\\q\\\"sl\\/bell\\u0007del\\u007f\"}", "{\"actions\":[{\"kafka\":{\"interval\":\"10ms\"}}],\"s\":\"tab\\tnl\\ncr\\rbs\\\\q\\\"sl/bell\\u0007del\u007F\"}" },
    };
}
