using Kuiper.Domain.Security;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Security;

/// <summary>eKuiper's key lookup (rsa_keys.go) with keys made by openssl.</summary>
public sealed class EkuiperKeyFilesTests : IDisposable
{
    private readonly string _root = NodeProcess.NewDataDir();
    private readonly string _keys;
    private readonly RsaKeyFiles _rsa;

    public EkuiperKeyFilesTests()
    {
        _keys = Path.Combine(_root, "mgmt");
        _rsa = OpenSsl.NewRsaKey(Path.Combine(_root, "made"), "issuer");
        Directory.CreateDirectory(_keys);
        File.Copy(_rsa.PublicKey, Path.Combine(_keys, "Sample_Key.pub"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_issuer_names_a_file_of_the_folder_ignoring_case()
    {
        var path = EkuiperKeyFiles.Find(_keys, "SAMPLE_KEY.PUB", out var error);
        Assert.Null(error);
        Assert.Equal(Path.Combine(_keys, "Sample_Key.pub"), path);
        using var key = EkuiperKeyFiles.ReadPublicKey(path!, out error);
        Assert.Null(error);
        Assert.Equal(2048, key!.KeySize);
    }

    [Theory]
    [InlineData("other.pub")]
    [InlineData("sample_key")]
    [InlineData("../made/issuer.pub.pem")]
    [InlineData("mgmt/Sample_Key.pub")]
    public void Anything_but_an_entry_name_is_not_found_and_never_a_path(string issuer)
    {
        Assert.Null(EkuiperKeyFiles.Find(_keys, issuer, out var error));
        Assert.Equal($"not found target key file {issuer} in /etc/mgmt", error);
    }

    [Fact]
    public void A_missing_folder_is_Gos_open_error()
    {
        var missing = Path.Combine(_root, "nowhere");
        Assert.Null(EkuiperKeyFiles.Find(missing, "k", out var error));
        Assert.Equal($"open {missing}: no such file or directory", error);
    }

    [Fact]
    public void PKCS1_public_keys_and_certificates_are_read_too()
    {
        var pkcs1 = Path.Combine(_root, "pkcs1.pem");
        OpenSsl.Run(null, "rsa", "-in", _rsa.PrivateKey, "-RSAPublicKey_out", "-out", pkcs1);
        Assert.Contains("BEGIN RSA PUBLIC KEY", File.ReadAllText(pkcs1));
        using (var key = EkuiperKeyFiles.ReadPublicKey(pkcs1, out var error)) Assert.True(key is not null, error);

        var certificate = Path.Combine(_root, "cert.pem");
        OpenSsl.Run(null, "req", "-x509", "-key", _rsa.PrivateKey, "-out", certificate, "-days", "1", "-subj", "/CN=issuer");
        using (var key = EkuiperKeyFiles.ReadPublicKey(certificate, out var error)) Assert.True(key is not null, error);
    }

    [Fact]
    public void Files_that_hold_no_RSA_public_key_get_golang_jwts_texts()
    {
        var ec = Path.Combine(_root, "ec.pem");
        var ecKey = Path.Combine(_root, "ec.key");
        OpenSsl.Run(null, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ecKey);
        OpenSsl.Run(null, "pkey", "-in", ecKey, "-pubout", "-out", ec);
        Assert.Null(EkuiperKeyFiles.ReadPublicKey(ec, out var error));
        Assert.Equal("key is not a valid RSA public key", error);

        var text = Path.Combine(_root, "text.pub");
        File.WriteAllText(text, "not a key\n");
        Assert.Null(EkuiperKeyFiles.ReadPublicKey(text, out error));
        Assert.Equal("invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key", error);

        Assert.Null(EkuiperKeyFiles.ReadPublicKey(_keys, out error));
        Assert.Equal($"read {_keys}: is a directory", error);
    }
}
