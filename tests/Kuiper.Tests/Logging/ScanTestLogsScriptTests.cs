using System.Diagnostics;
using System.Text;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Logging;

/// <summary><c>scripts/scan-test-logs.sh</c>: the test secrets found in captured logs, in any of their forms, never printed.</summary>
public sealed class ScanTestLogsScriptTests
{
    public static (int Code, string Output) Scan(string folder)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(NodeBuild.RepoRoot, "scripts", "scan-test-logs.sh"));
        info.ArgumentList.Add(folder);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    [Fact]
    public void Clean_logs_pass()
    {
        using var logs = new TempDir();
        File.WriteAllText(logs.Join("node-0001-a.log"), "warn: Kuiper.Test[0]\n      connect password=****** to tcp://u:******@h\n");
        Assert.Equal(0, Scan(logs.Path).Code);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("json")]
    [InlineData("base64")]
    public void A_planted_secret_fails_the_scan_naming_file_line_and_secret_but_not_showing_it(string form)
    {
        using var logs = new TempDir();
        var line = form switch
        {
            "plain" => $"dial tcp://u:{TestSecrets.UrlPassword}@h: refused",
            "json" => $$"""{"message":"bad {\"token\":\"{{TestSecrets.Token}}\"}"}""",
            _ => "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + TestSecrets.Token)),
        };
        File.WriteAllText(logs.Join("node-0001-a.log"), "info: first line\n");
        File.WriteAllText(logs.Join("node-0002-b.log"), $"info: Kuiper.Test[0]\n{line}\n");

        var (code, output) = Scan(logs.Path);
        Assert.Equal(1, code);
        var name = form == "plain" ? nameof(TestSecrets.UrlPassword) : nameof(TestSecrets.Token);
        Assert.Contains($"node-0002-b.log:2: TestSecrets.{name}", output);
        Assert.DoesNotContain(form == "plain" ? TestSecrets.UrlPassword : TestSecrets.Token, output);
        Assert.DoesNotContain("node-0001-a.log", output);
    }
}
