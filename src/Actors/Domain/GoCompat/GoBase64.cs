namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's <c>base64.RawURLEncoding.DecodeString</c> (URL alphabet, no padding, not strict), with its
/// <c>illegal base64 data at input byte N</c> errors: the decoder golang-jwt reads token segments with.
/// </summary>
public static class GoBase64
{
    private const string UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>
    /// Decodes <paramref name="text"/>; null and Go's error text when Go refuses it. Like Go, carriage returns and
    /// line feeds are skipped, a <c>=</c> is illegal (no padding), and the unused low bits of a last partial group
    /// are ignored.
    /// </summary>
    public static byte[]? DecodeRawUrl(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sextets = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n') continue;
            var value = c < 128 ? UrlAlphabet.IndexOf(c, StringComparison.Ordinal) : -1;
            if (value < 0)
            {
                // Go counts bytes: the index of a non-ASCII character is its UTF-8 offset.
                error = IllegalAt(System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, i)));
                return null;
            }
            sextets.Add(value);
        }
        if (sextets.Count % 4 == 1)
        {
            // A lone trailing character cannot make a byte; Go names the last byte of the input.
            error = IllegalAt(System.Text.Encoding.UTF8.GetByteCount(text) - 1);
            return null;
        }

        var bytes = new byte[sextets.Count * 6 / 8];
        var written = 0;
        for (var i = 0; i < sextets.Count; i += 4)
        {
            var group = Math.Min(4, sextets.Count - i);
            var bits = 0;
            for (var j = 0; j < 4; j++) bits = (bits << 6) | (j < group ? sextets[i + j] : 0);
            for (var j = 0; j < group - 1; j++) bytes[written++] = (byte)(bits >> (16 - 8 * j));
        }
        error = null;
        return bytes;
    }

    private static string IllegalAt(int index) => $"illegal base64 data at input byte {index}";
}
