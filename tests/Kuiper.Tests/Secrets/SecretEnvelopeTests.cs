using System.Text.RegularExpressions;
using Kuiper.Domain.Secrets;

namespace Kuiper.Tests.Secrets;

public sealed class SecretEnvelopeTests : IDisposable
{
    // SHA-256 of the bytes 0..31 starts 630dcd29, of 100..131 e3e16780 (python3 hashlib).
    private static readonly SecretKey A = SecretKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly SecretKey B = SecretKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    private static readonly SecretKeyRing RingA = new([A]);
    private static readonly SecretKeyRing RingB = new([B]);
    private static readonly SecretKeyRing RingBA = new([B, A]);

    private readonly string _dir = Directory.CreateTempSubdirectory("kuiper-secret-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_key_id_is_the_start_of_its_SHA_256()
    {
        Assert.Equal("630dcd29", A.Id);
        Assert.Equal("e3e16780", B.Id);
        Assert.Equal(["e3e16780", "630dcd29"], RingBA.Ids);
        Assert.Same(B, RingBA.Current);
    }

    [Fact]
    public void A_sealed_value_opens_to_its_plaintext()
    {
        var sealedValue = SecretEnvelope.Seal("p\u00e9\"w", RingA);
        Assert.Matches(@"^enc:v1:630dcd29:[A-Za-z0-9+/]+=*$", sealedValue);
        Assert.Equal(12 + 5 + 16, Convert.FromBase64String(sealedValue["enc:v1:630dcd29:".Length..]).Length);
        Assert.NotEqual(sealedValue, SecretEnvelope.Seal("p\u00e9\"w", RingA)); // a fresh nonce each time
        Assert.Equal("630dcd29", SecretEnvelope.KeyIdOf(sealedValue));
        Assert.True(SecretEnvelope.TryOpen(sealedValue, RingBA, out var plaintext, out var error), error);
        Assert.Equal("p\u00e9\"w", plaintext);
    }

    [Fact]
    public void The_newest_key_seals()
    {
        Assert.StartsWith("enc:v1:e3e16780:", SecretEnvelope.Seal("x", RingBA));
    }

    [Fact]
    public void A_value_sealed_with_a_key_the_ring_lacks_names_the_key()
    {
        Assert.False(SecretEnvelope.TryOpen(SecretEnvelope.Seal("x", RingA), RingB, out _, out var error));
        Assert.Equal("sealed with key 630dcd29, which this node does not have", error);
    }

    [Fact]
    public void A_tampered_value_does_not_open()
    {
        var sealedValue = SecretEnvelope.Seal("secret", RingA);
        var blob = Convert.FromBase64String(sealedValue["enc:v1:630dcd29:".Length..]);
        blob[14] ^= 1;
        Assert.False(SecretEnvelope.TryOpen("enc:v1:630dcd29:" + Convert.ToBase64String(blob), RingA, out _, out var error));
        Assert.Equal("sealed with key 630dcd29, but it does not open: it was altered", error);
    }

    [Theory]
    [InlineData("enc:v1:630dcd29:!!!", "sealed with key 630dcd29, but its data is not base64")]
    [InlineData("enc:v1:630dcd29:AAAA", "sealed with key 630dcd29, but its data is 3 bytes, shorter than a nonce and a tag")]
    [InlineData("enc:v1:630dcd29", "not a sealed value: it must read enc:v1:<key id>:<base64>")]
    [InlineData("secret", "not a sealed value: it must read enc:v1:<key id>:<base64>")]
    public void A_malformed_value_says_why(string value, string expected)
    {
        Assert.False(SecretEnvelope.TryOpen(value, RingA, out _, out var error));
        Assert.Equal(expected, error);
    }

    private string KeyFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Key_files_load_newest_first()
    {
        var ring = SecretKeyRing.Load(
            [KeyFile("new.key", "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=\n"), KeyFile("old.key", "  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\r\n")],
            out var error);
        Assert.Null(error);
        Assert.Equal(["e3e16780", "630dcd29"], ring!.Ids);
    }

    [Fact]
    public void Key_file_errors_name_the_file()
    {
        string Error(params string[] paths)
        {
            Assert.Null(SecretKeyRing.Load(paths, out var error));
            return error!;
        }

        var shortKey = KeyFile("short.key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n");
        Assert.Equal($"secret key file {shortKey} holds 31 bytes after base64 decoding: a key is 32 bytes (openssl rand -base64 32)", Error(shortKey));
        var notBase64 = KeyFile("bad.key", "not base64!");
        Assert.Equal($"secret key file {notBase64} is not base64: it must hold one line of base64 of 32 random bytes", Error(notBase64));
        var empty = KeyFile("empty.key", "\n");
        Assert.Equal($"secret key file {empty} is empty: it must hold one line of base64 of 32 random bytes (openssl rand -base64 32)", Error(empty));
        var twoLines = KeyFile("two.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
        Assert.Equal($"secret key file {twoLines} holds more than one line: it must hold one line of base64 of 32 random bytes", Error(twoLines));
        var one = KeyFile("one.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        var same = KeyFile("same.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        Assert.Equal($"secret key files {one} and {same} hold the same key (630dcd29)", Error(one, same));
        var missing = Path.Combine(_dir, "missing.key");
        Assert.StartsWith($"secret key file {missing} cannot be read: ", Error(one, missing));
        Assert.Equal("no secret key file given", Error());
    }

    [Fact]
    public void A_text_is_sealed_and_opened_in_place()
    {
        const string text = """{"a":"\u003c","password":"p\u0026","n":{"token":12},"url":"tcp://u:p@h","plain":"tcp://h","e":""}""";
        var sealedText = SecretText.Seal(text, RingA);
        Assert.Matches(new Regex("""^\{"a":"\\u003c","password":"enc:v1:630dcd29:[A-Za-z0-9+/=]+","n":\{"token":"enc:v1:630dcd29:[A-Za-z0-9+/=]+"\},"url":"enc:v1:630dcd29:[A-Za-z0-9+/=]+","plain":"tcp://h","e":""\}$"""), sealedText);
        Assert.Equal(sealedText, SecretText.Seal(sealedText, RingB)); // sealed values stay
        Assert.Equal(["630dcd29"], SecretText.SealedKeyIds(sealedText));
        Assert.Equal((text, (string?)null), SecretText.Open(sealedText, RingBA));
        Assert.Equal("""{"a":"\u003c","password":"******","n":{"token":"******"},"url":"enc:v1:630dcd29:""",
            SecretText.Mask(sealedText)[..80]);
    }

    [Fact]
    public void A_text_names_every_key_it_was_sealed_with()
    {
        var mixed = $$"""{"password":"{{SecretEnvelope.Seal("\"a\"", RingA)}}","x":["{{SecretEnvelope.Seal("1", RingB)}}","{{SecretEnvelope.Seal("2", RingA)}}"]}""";
        Assert.Equal(["630dcd29", "e3e16780"], SecretText.SealedKeyIds(mixed));
        Assert.Equal(("""{"password":"a","x":[1,2]}""", (string?)null), SecretText.Open(mixed, RingBA));
        var (reseal, _) = SecretText.Open(mixed, RingBA);
        Assert.Equal(["e3e16780"], SecretText.SealedKeyIds(SecretText.Seal(reseal!, RingBA)));
        Assert.Empty(SecretText.SealedKeyIds("""{"password":"a"}"""));
    }

    [Fact]
    public void Opening_names_the_path_and_the_missing_key()
    {
        var sealedText = SecretText.Seal("""{"mqtt":{"default":{"password":"p"}}}""", RingA);
        Assert.Equal(((string?)null, """secret "mqtt.default.password": sealed with key 630dcd29, which this node does not have"""),
            SecretText.Open(sealedText, RingB));
        var notJson = $$"""{"password":"{{SecretEnvelope.Seal("abc", RingA)}}"}""";
        Assert.Equal(((string?)null, """secret "password": sealed with key 630dcd29, but what it seals is not a JSON string or number"""),
            SecretText.Open(notJson, RingA));
    }

    [Fact]
    public void SQL_with_a_URL_password_is_sealed_whole()
    {
        const string sql = """CREATE STREAM s () WITH (DATASOURCE="tcp://u:p@h")""";
        var sealedSql = SecretText.Seal(sql, RingA);
        Assert.StartsWith("enc:v1:630dcd29:", sealedSql);
        Assert.Equal(["630dcd29"], SecretText.SealedKeyIds(sealedSql));
        Assert.Equal((sql, (string?)null), SecretText.Open(sealedSql, RingA));
        Assert.Equal(((string?)null, "secret (the text): sealed with key 630dcd29, which this node does not have"), SecretText.Open(sealedSql, RingB));
        Assert.Equal("CREATE STREAM t ()", SecretText.Seal("CREATE STREAM t ()", RingA));
    }
}
