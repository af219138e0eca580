using System.Text;

namespace Kuiper.Node.Http;

/// <summary>Replies as eKuiper's Go handlers write them: plain text, or JSON, in UTF-8.</summary>
public static class PlainReplies
{
    /// <summary>A Go handler's plain text reply (Go sniffs it as text/plain).</summary>
    public static IResult Text(string text, int status = StatusCodes.Status200OK) =>
        Results.Text(text, "text/plain; charset=utf-8", Encoding.UTF8, status);

    public static IResult Json(string json) => Results.Text(json, "application/json", Encoding.UTF8);
}
