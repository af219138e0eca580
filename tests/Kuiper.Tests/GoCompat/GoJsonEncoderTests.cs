using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuiper.Domain.GoCompat;
using Xunit;

namespace Kuiper.Tests.GoCompat;

public class GoJsonEncoderTests
{
    private static readonly JsonSerializerOptions GoOptions = new() { Encoder = GoJsonEncoder.Instance };

    // Input, then what Go's json.Marshal writes for it (verbatim: a backslash is a backslash).
    public static TheoryData<string, string> Cases => new()
    {
        { "plain", @"""plain""" },
        { "", @"""""" },
        { "a\"b", @"""a\""b""" },
        { "a\\b", @"""a\\b""" },
        { "\n\r\t", @"""\n\r\t""" },
        { "\b\f", @"""\b\f""" },
        { "\0\u0001\u001f", @"""\u0000\u0001\u001f""" },
        { "\u000b\u001b", @"""\u000b\u001b""" },
        { "<a href=\"x\">&amp;</a>", @"""\u003ca href=\""x\""\u003e\u0026amp;\u003c/a\u003e""" },
        { "\u2028\u2029", @"""\u2028\u2029""" },
        { "'+`/=?%", "\"'+`/=?%\"" },
        { "\u007f", "\"\u007f\"" },
        { "é中😀", "\"é中😀\"" },
        { "\u0080\u00a0\u00ad\u200b\ufeff\ue000", "\"\u0080\u00a0\u00ad\u200b\ufeff\ue000\"" },
        { "\u0378\uffff\ufffd", "\"\u0378\uffff\ufffd\"" },
        { "\U0001F600\U000F0000", "\"\U0001F600\U000F0000\"" },
        { "SELECT * FROM demo WHERE a < 3 && b > \"x\"\n",
            @"""SELECT * FROM demo WHERE a \u003c 3 \u0026\u0026 b \u003e \""x\""\n""" },
    };

    // .NET-only inputs: a lone surrogate is written as Go writes an invalid UTF-8 byte. Built at
    // run time, and kept apart because they have no UTF-8 form to feed the UTF-8 paths. Tests
    // using them turn off discovery enumeration: xUnit would otherwise serialize the rows and
    // hand the test a valid U+FFFD instead.
    public static TheoryData<string, string> LoneSurrogateCases => new()
    {
        { "x" + (char)0xD800 + "y", @"""x\ufffdy""" },
        { ((char)0xDC00).ToString(), @"""\ufffd""" },
        { "a" + (char)0xD83D, @"""a\ufffd""" },
        { (char)0xDC00 + "\U0001F600" + (char)0xD800, "\"\\ufffd\U0001F600\\ufffd\"" },
    };

    public static TheoryData<string, string> AllCases
    {
        get
        {
            var all = new TheoryData<string, string>();
            foreach (var row in Cases.Concat(LoneSurrogateCases))
                all.Add((string)row[0], (string)row[1]);
            return all;
        }
    }

    [Theory]
    [MemberData(nameof(AllCases), DisableDiscoveryEnumeration = true)]
    public void Marshal_matches_go(string input, string expected)
    {
        Assert.Equal(expected, GoJsonEncoder.Marshal(input));
    }

    [Theory]
    [MemberData(nameof(AllCases), DisableDiscoveryEnumeration = true)]
    public void AppendQuotedUtf8_writes_go_strings(string input, string expected)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        GoJsonEncoder.AppendQuotedUtf8(input, output);
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void AppendQuotedUtf8_writes_the_bytes_the_writer_writes_for_every_character_and_long_runs()
    {
        // Every UTF-16 code unit, each alone, between plain text and in a long run (the vectorized paths), lone
        // surrogates included: the fast path must be byte-identical to Utf8JsonWriter with this encoder.
        var inputs = new List<string>();
        for (var c = 0; c <= char.MaxValue; c++) inputs.Add($"ab{(char)c}cd");
        inputs.Add(string.Concat(Enumerable.Range(0, 5000).Select(i => (char)(i * 7 % 0xFFFF))));
        inputs.Add("{\"id\":\"r1\",\"sql\":\"SELECT * FROM s WHERE a < 1 && b > 2\"}" + new string('x', 10000) + "\U0001F600\u2028");
        foreach (var input in inputs)
        {
            var fast = new System.Buffers.ArrayBufferWriter<byte>();
            GoJsonEncoder.AppendQuotedUtf8(input, fast);
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(writer, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
                json.WriteStringValue(input);
            Assert.True(writer.WrittenSpan.SequenceEqual(fast.WrittenSpan), $"differs for U+{(input.Length == 5 ? (int)input[2] : -1):X4}");
        }
    }

    [Theory]
    [MemberData(nameof(AllCases), DisableDiscoveryEnumeration = true)]
    public void Utf8JsonWriter_writes_go_string_values(string input, string expected)
    {
        Assert.Equal(expected, Write(w => w.WriteStringValue(input)));
    }

    [Theory]
    [MemberData(nameof(AllCases), DisableDiscoveryEnumeration = true)]
    public void Utf8JsonWriter_writes_go_property_names(string input, string expected)
    {
        string json = Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName(input);
            w.WriteNumberValue(1);
            w.WriteString(input, input);
            w.WriteEndObject();
        });
        Assert.Equal("{" + expected + ":1," + expected + ":" + expected + "}", json);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Utf8JsonWriter_escapes_utf8_input_like_go(string input, string expected)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(input);
        Assert.Equal(expected, Write(w => w.WriteStringValue(utf8)));
        Assert.Equal("{" + expected + ":null}", Write(w =>
        {
            w.WriteStartObject();
            w.WriteNull(utf8);
            w.WriteEndObject();
        }));
    }

    [Theory]
    [MemberData(nameof(AllCases), DisableDiscoveryEnumeration = true)]
    public void JsonSerializer_writes_go_strings_and_dictionary_keys(string input, string expected)
    {
        Assert.Equal(expected, JsonSerializer.Serialize(input, GoOptions));
        var map = new Dictionary<string, string> { [input] = input };
        Assert.Equal("{" + expected + ":" + expected + "}", JsonSerializer.Serialize(map, GoOptions));
    }

    [Theory]
    [MemberData(nameof(AllCases), DisableDiscoveryEnumeration = true)]
    public void Encode_returns_the_text_between_the_quotes(string input, string expected)
    {
        Assert.Equal(expected[1..^1], GoJsonEncoder.Instance.Encode(input));
    }

    private sealed class Tagged
    {
        [JsonPropertyName("a<b&\"c\"\n")]
        public string Value { get; set; } = "<é>";
    }

    [Fact]
    public void JsonSerializer_escapes_poco_property_names_like_go()
    {
        Assert.Equal(@"{""a\u003cb\u0026\""c\""\n"":""\u003cé\u003e""}", JsonSerializer.Serialize(new Tagged(), GoOptions));
    }

    [Fact]
    public void Default_encoder_differs_so_the_tests_above_are_meaningful()
    {
        // System.Text.Json on its own escapes non-ASCII and uses upper-case hex.
        Assert.NotEqual(GoJsonEncoder.Marshal("é<"), JsonSerializer.Serialize("é<"));
    }

    [Fact]
    public void Every_bmp_character_is_written_as_go_writes_it()
    {
        // One long string through the serializer (long enough for its pooled-buffer path),
        // compared character by character against the pure Marshal, which the table above pins.
        var sb = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++)
        {
            if (!char.IsSurrogate((char)c))
                sb.Append((char)c);
        }
        sb.Append("\U0001F600\U0010FFFD");
        string all = sb.ToString();
        Assert.Equal(GoJsonEncoder.Marshal(all), JsonSerializer.Serialize(all, GoOptions));
        Assert.Equal(GoJsonEncoder.Marshal(all), Write(w => w.WriteStringValue(Encoding.UTF8.GetBytes(all))));
    }

    [Fact]
    public void Only_gos_escape_set_is_encoded()
    {
        var expected = new List<int>();
        for (int c = 0; c < 0x20; c++)
            expected.Add(c);
        expected.AddRange(['"', '&', '<', '>', '\\', 0x2028, 0x2029]);
        var actual = new List<int>();
        for (int c = 0; c <= 0x10FFFF; c++)
        {
            if (GoJsonEncoder.Instance.WillEncode(c))
                actual.Add(c);
        }
        Assert.Equal(expected.Order(), actual);
    }

    [Theory]
    [InlineData("abc", -1)]
    [InlineData("ab<", 2)]
    [InlineData("é\n", 2)] // é is two UTF-8 bytes
    [InlineData("😀&", 4)]
    [InlineData("\u2028", 0)]
    public void FindFirstCharacterToEncodeUtf8_finds_go_escapes(string input, int expected)
    {
        Assert.Equal(expected, GoJsonEncoder.Instance.FindFirstCharacterToEncodeUtf8(Encoding.UTF8.GetBytes(input)));
    }

    [Fact]
    public void FindFirstCharacterToEncodeUtf8_flags_invalid_utf8()
    {
        Assert.Equal(1, GoJsonEncoder.Instance.FindFirstCharacterToEncodeUtf8(new byte[] { (byte)'a', 0xFF, (byte)'b' }));
    }

    [Fact]
    public void Instance_is_a_javascript_encoder_singleton()
    {
        JavaScriptEncoder encoder = GoJsonEncoder.Instance;
        Assert.Same(encoder, GoJsonEncoder.Instance);
        Assert.Equal(6, encoder.MaxOutputCharactersPerInputCharacter);
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
            write(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
