using System.Text;

namespace Kuiper.Domain.GoCompat;

/// <summary>Go's <c>html/template.HTMLEscapeString</c>, which eKuiper applies to the path it answers an upload with.</summary>
public static class GoHtml
{
    public static string EscapeString(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\0' => "\uFFFD",
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
