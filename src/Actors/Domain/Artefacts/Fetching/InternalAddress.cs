using System.Net;
using System.Net.Sockets;

namespace Kuiper.Domain.Artefacts.Fetching;

/// <summary>
/// Which addresses a download may not connect to unless <c>Kuiper:Security:EnablePrivateNet</c> is set.
/// </summary>
/// <remarks>
/// eKuiper refuses what Go calls loopback, private, unspecified, multicast, link-local unicast and link-local
/// multicast. We refuse the same and, deliberately, a few more ranges that also reach the node itself or a
/// private network: <c>0.0.0.0/8</c> (Linux connects <c>0.x.x.x</c> to the local host), <c>100.64.0.0/10</c>
/// (carrier-grade NAT), <c>192.0.0.0/24</c>, <c>198.18.0.0/15</c>, <c>240.0.0.0/4</c> and the broadcast address,
/// IPv6 site-local <c>fec0::/10</c>, and IPv4 addresses embedded in IPv6 (mapped <c>::ffff:a.b.c.d</c>,
/// compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>), which are judged by the
/// IPv4 address inside.
/// </remarks>
public static class InternalAddress
{
    /// <summary>True when a connection to <paramref name="address"/> must be refused.</summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) return IsInternalV4(address.MapToIPv4().GetAddressBytes());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsInternalV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsInternalV6(address.GetAddressBytes()),
            _ => true,
        };
    }

    /// <summary>The address as Go prints it: IPv4 for a mapped address, IPv6 without a zone.</summary>
    public static string Format(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily == AddressFamily.InterNetworkV6) return new IPAddress(address.GetAddressBytes()).ToString();
        return address.ToString();
    }

    /// <summary>Go's <c>net.JoinHostPort</c> of an address.</summary>
    public static string FormatEndPoint(IPAddress address, int port)
    {
        var host = Format(address);
        return host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    private static bool IsInternalV4(ReadOnlySpan<byte> b) =>
        b[0] == 0 // 0.0.0.0/8, unspecified included
        || b[0] == 10 // private
        || b[0] == 127 // loopback
        || b[0] == 100 && (b[1] & 0xC0) == 64 // 100.64.0.0/10
        || b[0] == 169 && b[1] == 254 // link-local
        || b[0] == 172 && (b[1] & 0xF0) == 16 // private
        || b[0] == 192 && b[1] == 0 && b[2] == 0 // 192.0.0.0/24
        || b[0] == 192 && b[1] == 168 // private
        || b[0] == 198 && (b[1] & 0xFE) == 18 // 198.18.0.0/15
        || b[0] >= 224; // multicast 224/4, reserved 240/4, broadcast

    private static bool IsInternalV6(byte[] b)
    {
        var allZeroPrefix = true;
        for (var i = 0; i < 12; i++)
            if (b[i] != 0) allZeroPrefix = false;
        if (allZeroPrefix)
        {
            // :: and ::1, and the deprecated IPv4-compatible ::a.b.c.d
            if (b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1) return true;
            return IsInternalV4(b.AsSpan(12, 4));
        }
        if (b[0] == 0xFF) return true; // multicast
        if ((b[0] & 0xFE) == 0xFC) return true; // unique local fc00::/7
        if (b[0] == 0xFE && (b[1] & 0xC0) is 0x80 or 0xC0) return true; // link-local fe80::/10, site-local fec0::/10
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && IsZero(b, 4, 8)) return IsInternalV4(b.AsSpan(12, 4)); // NAT64
        if (b[0] == 0x20 && b[1] == 0x02) return IsInternalV4(b.AsSpan(2, 4)); // 6to4
        return false;
    }

    private static bool IsZero(byte[] b, int start, int count)
    {
        for (var i = start; i < start + count; i++)
            if (b[i] != 0) return false;
        return true;
    }
}
