using System.Text;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's <c>json.Indent(dst, src, "", indent)</c>: valid JSON re-laid out, one member or element a line, <c>": "</c> after
/// keys, empty objects and arrays kept as <c>{}</c> and <c>[]</c>, strings and numbers copied exactly as written (so Go's
/// escapes such as <c>\u003c</c> stay). eKuiper's RPC replies (<c>kuiper import data</c>, <c>getstatus import</c>) are
/// laid out this way with two spaces.
/// </summary>
public static class GoJsonIndent
{
    public static string Indent(string json, string indent = "  ")
    {
        var sb = new StringBuilder(json.Length * 2);
        var depth = 0;
        var needIndent = false; // an opening bracket was written: a newline comes before the next value, unless it closes
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c is ' ' or '\t' or '\n' or '\r') continue;
            if (needIndent && c is not ('}' or ']'))
            {
                needIndent = false;
                depth++;
                NewLine(sb, indent, depth);
            }
            switch (c)
            {
                case '"':
                    var start = i++;
                    for (; json[i] != '"'; i++)
                        if (json[i] == '\\') i++;
                    sb.Append(json, start, i - start + 1);
                    break;
                case '{' or '[':
                    sb.Append(c);
                    needIndent = true;
                    break;
                case ',':
                    sb.Append(c);
                    NewLine(sb, indent, depth);
                    break;
                case ':':
                    sb.Append(": ");
                    break;
                case '}' or ']':
                    if (needIndent)
                    {
                        needIndent = false; // {} and [] stay as they are
                    }
                    else
                    {
                        depth--;
                        NewLine(sb, indent, depth);
                    }
                    sb.Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string indent, int depth)
    {
        sb.Append('\n');
        for (var d = 0; d < depth; d++) sb.Append(indent);
    }
}
