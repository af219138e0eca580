using System.Text;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Artefacts.Schemas;
using Kuiper.Domain.Artefacts.Scripts;
using Kuiper.Domain.Artefacts.Services;
using Kuiper.Domain.Artefacts.Uploads;

namespace Kuiper.Tests.Artefacts;

public sealed class DescriptorCheckerTests
{
    private static string Files(ArtefactPlan plan) => string.Join(" ", plan.Files.Select(f => f.Path));

    private static CheckResult Check(IArtefactChecker checker, string key, string value, params (string Uri, FetchResult Result)[] fetched)
    {
        var descriptor = checker.CheckDescriptor(key, value, InstalledSet.Empty);
        var result = checker.Check(key, value, InstalledSet.Empty, fetched.ToDictionary(f => f.Uri, f => f.Result));
        if (descriptor.Error is not null) Assert.Equal(descriptor.Error, result.Error);
        return result;
    }

    // ---- services ----

    private const string ServiceUri = "file:///tmp/sample.zip";

    private const string SampleConf = """
        {"about":{"author":{"name":"EMQ"},"description":{"en_US":"sample"}},
         "interfaces":{
           "tsrpc":{"address":"tcp://localhost:50051","protocol":"grpc","schemaType":"protobuf","schemaFile":"hw.proto",
                    "functions":[{"name":"helloFromGrpc","serviceName":"SayHello"}]},
           "tsschemaless":{"address":"http://localhost:51234","protocol":"rest","schemaless":true}}}
        """;

    private static byte[] ServiceZip(string conf = SampleConf, bool withProto = true)
    {
        var builder = new ZipBuilder().File("sample.json", conf);
        if (withProto) builder.File("schemas/hw.proto", "syntax = \"proto3\";");
        return builder.Build();
    }

    [Fact]
    public void Service_plan_unpacks_everything_under_services()
    {
        var result = Check(new ServiceChecker(ArtefactPolicy.Default), "sample", $$"""{"name":"sample","file":"{{ServiceUri}}"}""",
            (ServiceUri, FetchResult.Ok(ServiceZip())));

        Assert.Null(result.Error);
        Assert.Equal("sample", result.Plan!.InstallKey);
        Assert.Equal("services/sample.json services/schemas/hw.proto", Files(result.Plan));
        Assert.Equal($$"""{"name":"sample","file":"{{ServiceUri}}"}""", result.Plan.Descriptor);
        Assert.Equal(["helloFromGrpc", "tsschemaless"], result.Plan.Provides.Functions);
    }

    [Theory]
    [InlineData("""{"name":"","file":"file:///tmp/sample.zip"}""", "id cannot be empty")]
    [InlineData("""{"name":"a b","file":"file:///tmp/sample.zip"}""", "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    [InlineData("""{"name":"dynamic","file":"wrongpath"}""", "invalid file path wrongpath")]
    [InlineData("nnn", "invalid character 'n' in literal null (expecting 'u')")]
    [InlineData("""{"name":["x"]}""", "json: cannot unmarshal array into Go struct field ServiceCreationRequest.name of type string")]
    public void Service_descriptor_errors(string value, string expected) =>
        Assert.Equal(expected, new ServiceChecker(ArtefactPolicy.Default).CheckDescriptor("k", value, InstalledSet.Empty).Error);

    [Fact]
    public void Service_that_exists_is_refused_before_its_uri_is_looked_at()
    {
        var installed = new InstalledSet([new InstalledArtefact(ArtefactKind.Service, "sample", "{}", "h", [], null, ArtefactProvides.None)]);
        Assert.Equal("service sample exist",
            new ServiceChecker(ArtefactPolicy.Default).CheckDescriptor("sample", """{"name":"sample","file":"bad"}""", installed).Error);
    }

    [Fact]
    public void Service_archive_errors()
    {
        var checker = new ServiceChecker(ArtefactPolicy.Default);
        var value = $$"""{"name":"sample","file":"{{ServiceUri}}"}""";

        Assert.Equal("cannot find the json descriptor file sample.json for service",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(new ZipBuilder().File("other.json", "{}").Build()))).Error);
        Assert.Equal("Fail to parse schema file hw.proto: open data/services/schemas/hw.proto: no such file or directory",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(ServiceZip(withProto: false)))).Error);
        Assert.Equal("parse services file sample.json failed: json: cannot unmarshal string into Go struct field binding.interfaces.schemaless of type bool",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(ServiceZip("""{"interfaces":{"a":{"schemaless":"yes"}}}""")))).Error);
        Assert.Equal("parse services file sample.json failed: json: cannot unmarshal number into Go struct field mapping.interfaces.functions.name of type string",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(ServiceZip("""{"interfaces":{"a":{"functions":[{"name":1}]}}}""")))).Error);
        Assert.Equal("parse services file sample.json failed: unexpected end of JSON input",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(ServiceZip("{")))).Error);
        Assert.Equal("Fail to parse schema file : unsupported schema  for schema type",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(ServiceZip("""{"interfaces":{"a":{"address":"x"}}}""")))).Error);
        Assert.Equal("Fail to parse schema file x.json: unsupported schema json",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(ServiceZip("""{"interfaces":{"a":{"schemaType":"json","schemaFile":"x.json"}}}""")))).Error);
        Assert.Equal("Fail to parse schema file hw.proto: unsupported schema protobuf for schemaless type",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(ServiceZip("""{"interfaces":{"a":{"schemaType":"protobuf","schemaFile":"hw.proto","schemaless":true}}}""")))).Error);
        Assert.Equal($"fail to download file {ServiceUri}: stat /tmp/sample.zip: no such file or directory",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Fail("stat /tmp/sample.zip: no such file or directory"))).Error);
        Assert.Equal("zip entry \"../../etc/cron.d/x\" has a \"..\" segment",
            Check(checker, "sample", value, (ServiceUri, FetchResult.Ok(new ZipBuilder().File("sample.json", "{}").File("../../etc/cron.d/x", "x").Build()))).Error);
    }

    // ---- schemas ----

    [Fact]
    public void Schema_content_is_written_and_the_bundle_value_is_exported_verbatim()
    {
        const string value = """{"type":"protobuf","name":"test111","content":"message Book {required string a = 1; oneof b {string c = 3;string d = 4; }}","file":"","soFile":""}""";
        var result = Check(new SchemaChecker(ArtefactPolicy.Default), "protobuf_test111", value);
        Assert.Null(result.Error);
        Assert.Equal("protobuf_test111", result.Plan!.InstallKey);
        Assert.Equal("schemas/protobuf/test111.proto", Files(result.Plan));
        Assert.Equal("message Book {required string a = 1; oneof b {string c = 3;string d = 4; }}", Encoding.UTF8.GetString(result.Plan.Files[0].Content));
        Assert.Equal(value, result.Plan.Descriptor);
    }

    [Fact]
    public void Schema_under_another_key_is_exported_in_gos_form()
    {
        var plan = Check(new SchemaChecker(ArtefactPolicy.Default), "mine", """{"name":"t","type":"protobuf","content":"a<b","version":"2"}""").Plan!;
        Assert.Equal("protobuf_t", plan.InstallKey);
        Assert.Equal("""{"type":"protobuf","name":"t","content":"a\u003cb","version":"2"}""", plan.Descriptor);
        Assert.Equal("schemas/protobuf/t@2.proto", Files(plan));
        Assert.Equal("2", plan.Version);
    }

    [Fact]
    public void Schema_zip_needs_its_proto_and_keeps_its_folder()
    {
        const string uri = "http://example.com/s.zip";
        var checker = new SchemaChecker(ArtefactPolicy.Default);
        var value = $$"""{"type":"protobuf","name":"book","file":"{{uri}}"}""";
        Assert.Equal(new[] { uri }, checker.CheckDescriptor("protobuf_book", value, InstalledSet.Empty).Fetches);

        var zip = new ZipBuilder().File("book.proto", "p").File("book/dep.proto", "d").File("other.proto", "o").Build();
        Assert.Equal("schemas/protobuf/book.proto schemas/protobuf/book/dep.proto", Files(Check(checker, "protobuf_book", value, (uri, FetchResult.Ok(zip))).Plan!));

        var missing = new ZipBuilder().File("other.proto", "o").Build();
        Assert.Equal("schema file book.proto not found inside the zip", Check(checker, "protobuf_book", value, (uri, FetchResult.Ok(missing))).Error);
        Assert.Equal("cannot download the file with status: 404 Not Found",
            Check(checker, "protobuf_book", value, (uri, FetchResult.Fail("cannot download the file with status: 404 Not Found"))).Error);
    }

    [Fact]
    public void Schema_files_and_so_are_fetched_in_order()
    {
        var checker = new SchemaChecker(ArtefactPolicy.Default);
        var value = """{"type":"custom","name":"conv","soFile":"file:///u/conv.so"}""";
        Assert.Equal(new[] { "file:///u/conv.so" }, checker.CheckDescriptor("custom_conv", value, InstalledSet.Empty).Fetches);
        Assert.Equal("schemas/custom/conv.so", Files(Check(checker, "custom_conv", value, ("file:///u/conv.so", FetchResult.Ok([1, 2]))).Plan!));

        var both = """{"type":"protobuf","name":"b","file":"file:///u/b.proto","soFile":"file:///u/b.so"}""";
        Assert.Equal(new[] { "file:///u/b.proto", "file:///u/b.so" }, checker.CheckDescriptor("protobuf_b", both, InstalledSet.Empty).Fetches);
        // content wins over a file that is not a zip: nothing to fetch for it.
        Assert.Empty(checker.CheckDescriptor("protobuf_b", """{"type":"protobuf","name":"b","content":"x","file":"file:///u/b.proto"}""", InstalledSet.Empty).Fetches);
    }

    [Theory]
    [InlineData("""{"type":"protobuf/x","name":"a","content":"x"}""", "schema type protobuf/x is invalid")]
    [InlineData("""{"type":"protobuf","name":"../a","content":"x"}""", "schema name ../a is invalid")]
    [InlineData("""{"type":"protobuf","name":"a","version":"1\\2","content":"x"}""", "schema version 1\\2 is invalid")]
    [InlineData("""{"type":"avro","name":"a","content":"x"}""", "schema type avro not found")]
    [InlineData("""{"type":"protobuf","content":"x"}""", "name is required")]
    [InlineData("""{"type":"protobuf","name":true}""", "json: cannot unmarshal bool into Go struct field Info.name of type string")]
    public void Schema_descriptor_errors(string value, string expected) =>
        Assert.Equal(expected, new SchemaChecker(ArtefactPolicy.Default).CheckDescriptor("k", value, InstalledSet.Empty).Error);

    [Fact]
    public void Schema_newer_version_installed_wins()
    {
        var installed = new InstalledSet([new InstalledArtefact(ArtefactKind.Schema, "protobuf_a", "{}", "h", [], "2.0", ArtefactProvides.None)]);
        var checker = new SchemaChecker(ArtefactPolicy.Default);
        Assert.Equal("schema protobuf.a already registered with a newer version 2.0",
            checker.CheckDescriptor("protobuf_a", """{"type":"protobuf","name":"a","content":"x","version":"1.0"}""", installed).Error);
        Assert.Null(checker.CheckDescriptor("protobuf_a", """{"type":"protobuf","name":"a","content":"x","version":"2.1"}""", installed).Error);
    }

    // ---- uploads ----

    [Fact]
    public void Upload_content_and_file()
    {
        var checker = new UploadChecker();
        var plan = Check(checker, "ignored", """{"name":"sub/a.txt","content":"hello <x>"}""").Plan!;
        Assert.Equal("sub/a.txt", plan.InstallKey);
        Assert.Equal("uploads/sub/a.txt", Files(plan));
        Assert.Equal("""{"name":"sub/a.txt","content":"hello \u003cx\u003e"}""", plan.Descriptor);

        var fromFile = Check(checker, "b.bin", """{"name":"b.bin","file":"http://e.com/b"}""", ("http://e.com/b", FetchResult.Ok([7]))).Plan!;
        Assert.Equal([7], fromFile.Files[0].Content);
        Assert.Equal("""{"name":"b.bin","file":"http://e.com/b"}""", fromFile.Descriptor);
        Assert.Equal("stat /x: no such file or directory",
            Check(checker, "b.bin", """{"name":"b.bin","file":"file:///x"}""", ("file:///x", FetchResult.Fail("stat /x: no such file or directory"))).Error);
    }

    [Theory]
    [InlineData("""{"name":"a.txt""", "invalid body: Error decoding file json: unexpected end of JSON input")]
    [InlineData("""{"name":"a.txt","content":1}""", "invalid body: Error decoding file json: json: cannot unmarshal number into Go struct field fileContent.content of type string")]
    [InlineData("""{"name":"a.txt"}""", "invalid body: content or FilePath is required")]
    [InlineData("""{"content":"x"}""", "invalid body: name is required")]
    [InlineData("""{"name":"../x","content":"x"}""", "openat ../x: path escapes from parent")]
    [InlineData("""{"name":"/etc/cron.d/x","content":"x"}""", "openat /etc/cron.d/x: path escapes from parent")]
    public void Upload_errors(string value, string expected) =>
        Assert.Equal(expected, new UploadChecker().CheckDescriptor("k", value, InstalledSet.Empty).Error);

    // ---- scripts ----

    [Fact]
    public void Script_defining_its_function_is_planned_without_files()
    {
        var result = Check(new ScriptChecker(), "area", """{"id":"area","description":"func for area","script":"function area(x, y) { return x*y; }","isAgg":false}""");
        Assert.Null(result.Error);
        Assert.Empty(result.Plan!.Files);
        Assert.Equal("area", result.Plan.InstallKey);
        Assert.Equal("""{"id":"area","description":"func for area","script":"function area(x, y) { return x*y; }","isAgg":false}""", result.Plan.Descriptor);
    }

    [Fact]
    public void Script_id_defaults_to_the_key_and_must_match_it()
    {
        Assert.Equal("""{"id":"f","description":"","script":"var f = (a) =\u003e a","isAgg":true}""",
            Check(new ScriptChecker(), "f", """{"script":"var f = (a) => a","isAgg":true}""").Plan!.Descriptor);
        Assert.Equal("the script id novalid does not match the key invalid",
            Check(new ScriptChecker(), "invalid", """{"id":"novalid","script":"function novalid(){}"}""").Error);
        Assert.Equal("fail to unmarshal the script s: json: cannot unmarshal string into Go struct field Script.isAgg of type bool",
            Check(new ScriptChecker(), "s", """{"isAgg":"true"}""").Error);
    }

    [Theory]
    [InlineData("function area(x) { return x; }", null)]
    [InlineData("var area = function (x) { return x; };", null)]
    [InlineData("area = (x) => x;", null)]
    [InlineData("function other() {}", "cannot find function \"area\" in script")]
    [InlineData("let area = () => 1;", "cannot find function \"area\" in script")]
    [InlineData("const area = function () {};", "cannot find function \"area\" in script")]
    [InlineData("var area = 3;", "cannot find function \"area\" in script")]
    [InlineData("function area() {} var area = 1;", "cannot find function \"area\" in script")]
    [InlineData("var area = 1; function area() {}", "cannot find function \"area\" in script")]
    [InlineData("function inner() { function area() {} }", "cannot find function \"area\" in script")]
    public void Script_must_define_a_global_function(string script, string? expected) =>
        Assert.Equal(expected, ScriptChecker.CheckScript("area", script));

    [Fact]
    public void Script_syntax_errors_use_gojas_frame()
    {
        var error = ScriptChecker.CheckScript("invalidScript", "function invalidScript() { return 'Hello, World!';");
        Assert.Equal("failed to interprete script: SyntaxError: SyntaxError: (anonymous): Line 1:51 Unexpected end of input", error);
    }
}
