namespace Kuiper.Tests.Harness;

/// <summary>
/// The secrets the tests send to nodes, distinctive enough that finding one in a log is never a coincidence.
/// <c>scripts/scan-test-logs.sh</c> reads this file (one <c>public const string Name = "value";</c> per line, nothing
/// else on the line) and fails the run when any of them shows up in a node's captured output, as it is, JSON-escaped or
/// base64-encoded. Letters, digits and dashes only: no escaping makes them harder to find.
/// </summary>
public static class TestSecrets
{
    public const string MqttPassword = "mqtt-pw-7Hq2x";
    public const string RulePassword = "rule-pw-Kd83v";
    public const string UrlPassword = "url-pw-Zr51m";
    public const string Token = "tok-Jw62pQ9s";
    public const string ApiKey = "apikey-Tn47Lc";
    public const string DatabasePassword = "db-pw-Vb29h";
    public const string QueryPassword = "query-pw-Xe38f";
    public const string SourcePassword = "src-pw-Q1x";
    public const string SinkToken = "sink-token-Q2x";
    public const string SqlUrlPassword = "sql-url-pw-Q3x";
    public const string ConnectionUrlPassword = "conn-url-pw-Q4x";
    public const string ConnectionPassword = "conn-pw-Q5x";
    public const string ActionPassword = "rule-pw-Q6x";
    public const string ActionApiKey = "rule-apikey-Q7x";
    public const string StreamUrlPassword = "stream-pw-Q8x";
    public const string FetchPassword = "fetch-pw-Q9x";
}
