using System.Text;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// The parts of Go's <c>net/url</c> that eKuiper's fetcher and URI checks rely on: <c>url.ParseRequestURI</c>,
/// <c>url.Parse</c> and <c>httpx.IsValidUrl</c>, with Go's error texts (<c>parse "x": invalid URI for request</c>).
/// </summary>
/// <remarks>Only what decides acceptance and the texts is reproduced; user info is parsed for validity and dropped.</remarks>
public sealed class GoUrl
{
    private GoUrl()
    {
    }

    /// <summary>Lower-cased, as Go stores it; empty when the text has none.</summary>
    public string Scheme { get; private init; } = "";

    /// <summary>What follows <c>scheme:</c> when it does not start with <c>/</c> (<c>file:a.zip</c>).</summary>
    public string Opaque { get; private init; } = "";

    /// <summary>Host and optional <c>:port</c>, unescaped.</summary>
    public string Host { get; private init; } = "";

    /// <summary>The path, percent-decoded.</summary>
    public string Path { get; private init; } = "";

    public string RawQuery { get; private init; } = "";

    /// <summary>Go's <c>url.ParseRequestURI</c>: no fragment handling, a relative reference is an error.</summary>
    public static GoUrl? ParseRequestUri(string raw, out string? error)
    {
        var url = Parse(raw, viaRequest: true, out var reason);
        error = reason is null ? null : ParseError(raw, reason);
        return url;
    }

    /// <summary>Go's <c>url.Parse</c>: the fragment is cut off first.</summary>
    public static GoUrl? Parse(string raw, out string? error)
    {
        var hash = raw.IndexOf('#');
        var withoutFragment = hash < 0 ? raw : raw[..hash];
        var url = Parse(withoutFragment, viaRequest: false, out var reason);
        if (reason is not null)
        {
            error = ParseError(withoutFragment, reason);
            return null;
        }
        if (hash >= 0 && Unescape(raw[(hash + 1)..], Mode.Fragment, out reason) is null)
        {
            error = ParseError(raw, reason!);
            return null;
        }
        error = null;
        return url;
    }

    /// <summary>
    /// eKuiper's <c>httpx.IsValidUrl</c>: http(s) with a host, or <c>file:</c> with no host and a path. Used for plugin,
    /// service and schema URIs before anything is fetched.
    /// </summary>
    public static bool IsValidUrl(string uri)
    {
        var request = ParseRequestUri(uri, out var error);
        if (error is not null || request is null) return false;
        switch (request.Scheme)
        {
            case "http" or "https":
                var parsed = Parse(uri, out error);
                return error is null && parsed is not null && parsed.Scheme.Length > 0 && parsed.Host.Length > 0;
            case "file":
                return request.Host.Length == 0 && request.Path.Length > 0;
            default:
                return false;
        }
    }

    private static string ParseError(string raw, string reason) => $"parse {GoQuote.Quote(raw)}: {reason}";

    private static GoUrl? Parse(string raw, bool viaRequest, out string? error)
    {
        error = null;
        foreach (var c in raw)
        {
            if (c < 0x20 || c == 0x7f)
            {
                error = "net/url: invalid control character in URL";
                return null;
            }
        }
        if (raw.Length == 0 && viaRequest)
        {
            error = "empty url";
            return null;
        }
        if (raw == "*") return new GoUrl { Path = "*" };

        var (scheme, rest, schemeError) = GetScheme(raw);
        if (schemeError is not null)
        {
            error = schemeError;
            return null;
        }
        scheme = scheme.ToLowerInvariant();

        var rawQuery = "";
        if (rest.EndsWith('?') && rest.Count(c => c == '?') == 1)
        {
            rest = rest[..^1];
        }
        else
        {
            var q = rest.IndexOf('?');
            if (q >= 0)
            {
                rawQuery = rest[(q + 1)..];
                rest = rest[..q];
            }
        }

        if (!rest.StartsWith('/'))
        {
            if (scheme.Length > 0) return new GoUrl { Scheme = scheme, Opaque = rest, RawQuery = rawQuery };
            if (viaRequest)
            {
                error = "invalid URI for request";
                return null;
            }
            var slash = rest.IndexOf('/');
            if ((slash < 0 ? rest : rest[..slash]).Contains(':'))
            {
                error = "first path segment in URL cannot contain colon";
                return null;
            }
        }

        var host = "";
        if ((scheme.Length > 0 || !viaRequest && !rest.StartsWith("///", StringComparison.Ordinal)) && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            rest = "";
            var slash = authority.IndexOf('/');
            if (slash >= 0)
            {
                rest = authority[slash..];
                authority = authority[..slash];
            }
            host = ParseAuthority(authority, out error)!;
            if (error is not null) return null;
        }

        var path = Unescape(rest, Mode.Path, out error);
        if (path is null) return null;
        return new GoUrl { Scheme = scheme, Host = host, Path = path, RawQuery = rawQuery };
    }

    private static (string Scheme, string Remainder, string? Error) GetScheme(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (char.IsAsciiLetter(c)) continue;
            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0) return ("", raw, null);
                continue;
            }
            if (c == ':')
            {
                if (i == 0) return ("", "", "missing protocol scheme");
                return (raw[..i], raw[(i + 1)..], null);
            }
            return ("", raw, null);
        }
        return ("", raw, null);
    }

    private static string? ParseAuthority(string authority, out string? error)
    {
        var at = authority.LastIndexOf('@');
        var host = ParseHost(at < 0 ? authority : authority[(at + 1)..], out error);
        if (error is not null || at < 0) return host;
        var userinfo = authority[..at];
        foreach (var c in userinfo)
        {
            if (char.IsAsciiLetterOrDigit(c) || "-._:~!$&'()*+,;=%@".Contains(c) || c >= 0x80) continue;
            error = "net/url: invalid userinfo";
            return null;
        }
        if (Unescape(userinfo.Split(':', 2)[0], Mode.UserPassword, out error) is null) return null;
        if (userinfo.Contains(':') && Unescape(userinfo.Split(':', 2)[1], Mode.UserPassword, out error) is null) return null;
        return host;
    }

    private static string? ParseHost(string host, out string? error)
    {
        error = null;
        if (host.StartsWith('['))
        {
            var close = host.LastIndexOf(']');
            if (close < 0)
            {
                error = "missing ']' in host";
                return null;
            }
            var colonPort = host[(close + 1)..];
            if (!ValidOptionalPort(colonPort))
            {
                error = $"invalid port {GoQuote.Quote(colonPort)} after host";
                return null;
            }
        }
        else
        {
            var colon = host.LastIndexOf(':');
            if (colon >= 0 && !ValidOptionalPort(host[colon..]))
            {
                error = $"invalid port {GoQuote.Quote(host[colon..])} after host";
                return null;
            }
        }
        return Unescape(host, Mode.Host, out error);
    }

    private static bool ValidOptionalPort(string port)
    {
        if (port.Length == 0) return true;
        if (port[0] != ':') return false;
        for (var i = 1; i < port.Length; i++)
            if (!char.IsAsciiDigit(port[i])) return false;
        return true;
    }

    private enum Mode
    {
        Path,
        Host,
        UserPassword,
        Fragment,
    }

    /// <summary>Go's <c>unescape</c>: <c>%XX</c> decoded as bytes, the result read as UTF-8.</summary>
    private static string? Unescape(string s, Mode mode, out string? error)
    {
        error = null;
        var bytes = Encoding.UTF8.GetBytes(s);
        var output = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '%')
            {
                if (i + 2 >= bytes.Length || !IsHex(bytes[i + 1]) || !IsHex(bytes[i + 2]))
                {
                    var end = Math.Min(bytes.Length, i + 3);
                    error = $"invalid URL escape {GoQuote.Quote(Encoding.UTF8.GetString(bytes, i, end - i))}";
                    return null;
                }
                output.Add((byte)(HexValue(bytes[i + 1]) << 4 | HexValue(bytes[i + 2])));
                i += 2;
                continue;
            }
            if (mode == Mode.Host && b < 0x80 && !HostChar((char)b))
            {
                error = $"invalid character {GoQuote.Quote(((char)b).ToString())} in host name";
                return null;
            }
            output.Add(b);
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static bool HostChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-_.~!$&'()*+,;=:[]<>\"".Contains(c);

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
