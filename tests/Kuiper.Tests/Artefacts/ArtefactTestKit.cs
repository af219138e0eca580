using Kuiper.Domain.GoCompat;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Tests.Artefacts;

/// <summary>A folder under the temp dir, deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Join(System.IO.Path.GetTempPath(), "kuiper-artefacts-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Join(params string[] parts) => System.IO.Path.Join([Path, .. parts]);

    /// <summary>Every file and folder below, relative, sorted: to prove nothing else was written.</summary>
    public IReadOnlyList<string> Snapshot(string? under = null) =>
        Directory.EnumerateFileSystemEntries(under ?? Path, "*", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(Path, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Builds zip archives in memory, with Unix modes when asked (symbolic links included).</summary>
public sealed class ZipBuilder
{
    private readonly List<(string Name, byte[] Content, int? Mode)> _entries = [];

    public ZipBuilder File(string name, string content, int? mode = null) => File(name, Encoding.UTF8.GetBytes(content), mode);

    public ZipBuilder File(string name, byte[] content, int? mode = null)
    {
        _entries.Add((name, content, mode));
        return this;
    }

    public ZipBuilder Folder(string name) => File(name.EndsWith('/') ? name : name + "/", [], 0x41ED);

    /// <summary>A symbolic link entry: Unix mode <c>0120777</c>, the target as content.</summary>
    public ZipBuilder Symlink(string name, string target) => File(name, target, 0xA1FF);

    public byte[] Build()
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in _entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
                if (mode is { } m) entry.ExternalAttributes = m << 16;
                if (name.EndsWith('/')) continue;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return memory.ToArray();
    }
}

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 and a port the OS picks, answering with a handler per request and counting
/// requests, so a test can prove a refused download never reached it.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Request, Response> _handler;
    private readonly Task _loop;
    private int _requests;

    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Headers);

    /// <param name="Status">Status code.</param>
    /// <param name="Body">Body bytes.</param>
    /// <param name="Headers">Extra headers.</param>
    /// <param name="Chunked">Send the body chunked (no Content-Length).</param>
    /// <param name="Hang">Never answer.</param>
    public sealed record Response(int Status, byte[]? Body = null, IReadOnlyDictionary<string, string>? Headers = null, bool Chunked = false, bool Hang = false);

    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;

    /// <param name="handler">Answers each request.</param>
    /// <param name="certificate">Serve https with this certificate.</param>
    public LoopbackServer(Func<Request, Response> handler, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public int Requests => Volatile.Read(ref _requests);

    public string Url(string path) => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}{path}";

    /// <summary>A self-signed certificate no machine trusts.</summary>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=127.0.0.1", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
    }

    public static Response Ok(byte[] body) => new(200, body);

    public static Response Redirect(string location, int status = 302) =>
        new(status, [], new Dictionary<string, string> { ["Location"] = location });

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new System.Net.Security.SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(_certificate);
                    stream = ssl;
                }
                var reader = new StreamReader(stream, Encoding.ASCII);
                var requestLine = await reader.ReadLineAsync(_stop.Token);
                if (requestLine is null) return;
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                string? line;
                while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
                Interlocked.Increment(ref _requests);
                var parts = requestLine.Split(' ');
                var response = _handler(new Request(parts[0], parts[1], headers));
                if (response.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                var body = response.Body ?? [];
                var head = new StringBuilder();
                head.Append($"HTTP/1.1 {response.Status} {GoStatusText.Of(response.Status)}\r\nConnection: close\r\n");
                foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>()) head.Append($"{name}: {value}\r\n");
                head.Append(response.Chunked ? "Transfer-Encoding: chunked\r\n\r\n" : $"Content-Length: {body.Length}\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                if (response.Chunked)
                {
                    foreach (var chunk in body.Chunk(512))
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), _stop.Token);
                        await stream.WriteAsync(chunk, _stop.Token);
                        await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
                    }
                    await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
                }
                else
                {
                    await stream.WriteAsync(body, _stop.Token);
                }
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }
        _stop.Dispose();
    }
}
