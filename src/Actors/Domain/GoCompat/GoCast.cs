using Kuiper.Domain.GoCompat;
using System.Globalization;

namespace Kuiper.Domain.GoCompat;

/// <summary>The piece of eKuiper's <c>pkg/cast</c> that property rewriting relies on.</summary>
internal static class GoCast
{
    /// <summary>
    /// eKuiper's <c>cast.ToInt(v, CONVERT_ALL)</c> for a value decoded from JSON: a number is truncated
    /// (Go's <c>int(f)</c> on amd64), a string is read by <c>strconv.ParseInt(s, 0, 0)</c> (so
    /// <c>0x10</c>, <c>010</c>, <c>0b11</c>, <c>1_000</c> and <c>+5</c> count), <c>true</c> is 1,
    /// <c>false</c> and <c>null</c> are 0; objects and arrays do not convert.
    /// </summary>
    public static bool TryToIntConvertAll(GoJsonNode value, out long result)
    {
        result = 0;
        switch (value.Kind)
        {
            case GoJsonKind.Null:
            case GoJsonKind.False:
                return true;
            case GoJsonKind.True:
                result = 1;
                return true;
            case GoJsonKind.Number:
                result = GoFloat.ToInt64Amd64(double.Parse(value.Text!, NumberStyles.Float, CultureInfo.InvariantCulture));
                return true;
            case GoJsonKind.String:
                return GoStrconv.TryParseInt64Base0(value.Text!, out result);
            default:
                return false;
        }
    }
}
