namespace Kuiper.Tests.Configs.Rewriting;

/// <summary>
/// Plugin, props, eKuiper's <c>replaced</c> flag and the props as Go marshals them afterwards, observed from
/// eKuiper's replace.ReplacePropsWithPlug (the TestReplaceConfigurations, TestReplaceDuration,
/// TestRelacePropsPlug and TestReplaceCacheTtl inputs first).
/// </summary>
internal static class ConfigPropertyGoCases
{
    public static TheoryData<string, string, bool, string> Cases => new()
    {
        { "sql", "{\"url\":\"123\"}", true, "{\"dburl\":\"123\"}" },
        { "kafka", "{\"saslPassword\":\"123\"}", true, "{\"password\":\"123\"}" },
        { "", "{\"timeout\":1000,\"url\":\"123\"}", true, "{\"timeout\":\"1s\",\"url\":\"123\"}" },
        { "sql", "{\"timeout\":1000,\"url\":\"123\"}", true, "{\"dburl\":\"123\",\"timeout\":\"1s\"}" },
        { "sql", "{\"lookup\":{\"a\":1,\"cacheTtl\":100},\"a\":\"b\"}", true, "{\"a\":\"b\",\"lookup\":{\"a\":1,\"cacheTtl\":\"100ms\"}}" },
        { "mqtt", "{\"interval\":1500,\"expiration\":90000,\"timeout\":0,\"cacheTtl\":3600000}", true, "{\"cacheTtl\":\"1h0m0s\",\"expiration\":\"1m30s\",\"interval\":\"1.5s\",\"timeout\":\"0s\"}" },
        { "mqtt", "{\"interval\":\"1000\",\"expiration\":\"10s\",\"timeout\":\"0x10\",\"cacheTtl\":\"010\"}", true, "{\"cacheTtl\":\"8ms\",\"expiration\":\"10s\",\"interval\":\"1s\",\"timeout\":\"16ms\"}" },
        { "mqtt", "{\"interval\":true,\"expiration\":false,\"timeout\":null,\"cacheTtl\":[1]}", true, "{\"cacheTtl\":[1],\"expiration\":\"0s\",\"interval\":\"1ms\",\"timeout\":\"0s\"}" },
        { "mqtt", "{\"interval\":1.9,\"expiration\":-1.9,\"timeout\":{},\"cacheTtl\":\"1_000\"}", true, "{\"cacheTtl\":\"1s\",\"expiration\":\"-1ms\",\"interval\":\"1ms\",\"timeout\":{}}" },
        { "mqtt", "{\"interval\":\"_1\",\"expiration\":\"1__0\",\"timeout\":\"0b101\",\"cacheTtl\":\"0o17\"}", true, "{\"cacheTtl\":\"15ms\",\"expiration\":\"1__0\",\"interval\":\"_1\",\"timeout\":\"5ms\"}" },
        { "mqtt", "{\"interval\":\"+7\",\"expiration\":\"-7\",\"timeout\":\" 7\",\"cacheTtl\":\"7 \"}", true, "{\"cacheTtl\":\"7 \",\"expiration\":\"-7ms\",\"interval\":\"7ms\",\"timeout\":\" 7\"}" },
        { "mqtt", "{\"interval\":\"9223372036854775807\",\"expiration\":\"9223372036854775808\",\"timeout\":9.3e18,\"cacheTtl\":-9.3e18}", true, "{\"cacheTtl\":\"0s\",\"expiration\":\"9223372036854775808\",\"interval\":\"-1ms\",\"timeout\":\"0s\"}" },
        { "mqtt", "{\"interval\":9007199254740993,\"expiration\":86400000,\"timeout\":1e15,\"cacheTtl\":\"0X1F\"}", true, "{\"cacheTtl\":\"31ms\",\"expiration\":\"24h0m0s\",\"interval\":\"1441151h52m50.730811392s\",\"timeout\":\"1076616h40m19.684212736s\"}" },
        { "sql", "{\"url\":\"a\",\"dburl\":\"b\",\"saslPassword\":\"p\",\"password\":\"q\"}", true, "{\"dburl\":\"a\",\"password\":\"p\"}" },
        { "kafka", "{\"url\":\"a\",\"saslPassword\":null}", true, "{\"password\":null,\"url\":\"a\"}" },
        { "sql", "{\"lookup\":{\"cacheTtl\":\"abc\"},\"cacheTtl\":5}", true, "{\"cacheTtl\":\"5ms\",\"lookup\":{\"cacheTtl\":\"abc\"}}" },
        { "sql", "{\"lookup\":{\"cacheTtl\":5},\"cacheTtl\":5}", true, "{\"cacheTtl\":5,\"lookup\":{\"cacheTtl\":\"5ms\"}}" },
        { "sql", "{\"lookup\":[],\"cacheTtl\":5}", true, "{\"cacheTtl\":\"5ms\",\"lookup\":[]}" },
        { "sql", "{\"lookup\":{\"cacheTtl\":1},\"lookup\":{\"x\":1}}", false, "{\"lookup\":{\"x\":1}}" },
        { "x", "{\"n\":1.0,\"big\":12345678901234567890,\"s\":\"<&>\",\"arr\":[1e21,1e-7,-0,0.000001,100]}", false, "{\"arr\":[1e+21,1e-7,-0,0.000001,100],\"big\":12345678901234567000,\"n\":1,\"s\":\"\\u003c\\u0026\\u003e\"}" },
        { "x", "{}", false, "{}" },
        { "x", "{\"interval\":\"10ms\"}", false, "{\"interval\":\"10ms\"}" },
        { "x", "{\"b\":1,\"a\":2,\"a\":3}", false, "{\"a\":3,\"b\":1}" },
        { "x", "{\"interval\":0.1}", true, "{\"interval\":\"0s\"}" },
        { "x", "{\"interval\":1e3}", true, "{\"interval\":\"1s\"}" },
        { "x", "{\"timeout\":\"\"}", false, "{\"timeout\":\"\"}" },
        { "x", "{\"timeout\":\"0\"}", true, "{\"timeout\":\"0s\"}" },
        { "x", "{\"timeout\":\"-0x10\"}", true, "{\"timeout\":\"-16ms\"}" },
        { "x", "{\"timeout\":\"0x\"}", false, "{\"timeout\":\"0x\"}" },
        { "x", "{\"timeout\":\"0_1\"}", true, "{\"timeout\":\"1ms\"}" },
        { "x", "{\"timeout\":\"0x_1\"}", true, "{\"timeout\":\"1ms\"}" },
        { "x", "{\"timeout\":\"1_\"}", false, "{\"timeout\":\"1_\"}" },
        { "x", "{\"timeout\":\"08\"}", false, "{\"timeout\":\"08\"}" },
    };
}
