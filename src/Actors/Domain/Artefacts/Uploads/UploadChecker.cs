using Kuiper.Domain.GoCompat;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.Artefacts.Archives;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Domain.Artefacts.Uploads;

/// <summary>
/// <c>uploads</c> items (eKuiper's <c>uploadsImport</c>): value <c>{"name","content"}</c> or <c>{"name","file"}</c>;
/// the file is written to <c>uploads/&lt;name&gt;</c> (sub-folders allowed), overwriting.
/// </summary>
/// <remarks>
/// <para>Descriptor only: value JSON, content or file, name, the name stays inside the uploads folder. With the
/// bytes: nothing more. The bundle key is not used; the item is installed under its name.</para>
/// <para>eKuiper's sandbox refuses names that leave the uploads folder (<c>openat ../x: path escapes from
/// parent</c>, after creating the folders it could). We refuse any <c>..</c> segment, absolute name, drive letter or
/// device name with that text, before writing anything.</para>
/// </remarks>
public sealed class UploadChecker : IArtefactChecker
{
    internal static readonly GoShape FileContentShape = GoShape.StructOf("server.fileContent",
        ("name", GoShape.String), ("content", GoShape.String), ("file", GoShape.String));

    public ArtefactKind Kind => ArtefactKind.Upload;

    public DescriptorCheck CheckDescriptor(string key, string value, IInstalledArtefacts installed)
    {
        var (error, _, content, file) = Describe(value);
        if (error is not null) return DescriptorCheck.Fail(error);
        return file.Length > 0 ? DescriptorCheck.Fetch(file) : DescriptorCheck.Fetch();
    }

    public CheckResult Check(string key, string value, IInstalledArtefacts installed, IReadOnlyDictionary<string, FetchResult> fetched)
    {
        var (error, name, content, file) = Describe(value);
        if (error is not null) return CheckResult.Fail(error);
        byte[] bytes;
        if (file.Length > 0)
        {
            if (!fetched.TryGetValue(file, out var download)) throw new ArgumentException($"{file} was not fetched.", nameof(fetched));
            if (!download.Succeeded) return CheckResult.Fail(download.Error!);
            bytes = download.Bytes!;
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(content);
        }

        var descriptor = GoMarshal.Object(w =>
        {
            w.WriteString("name", name);
            if (content.Length > 0) w.WriteString("content", content);
            if (file.Length > 0) w.WriteString("file", file);
        });
        return CheckResult.Ok(new ArtefactPlan(ArtefactKind.Upload, key, name, descriptor,
            [new PlannedFile("uploads/" + SafeZip.CleanPath(name), bytes)]));
    }

    private static (string? Error, string Name, string Content, string File) Describe(string value)
    {
        var parseError = FileContentShape.Check(value);
        if (parseError is not null) return ($"invalid body: Error decoding file json: {parseError}", "", "", "");
        using var document = GoShape.Parse(value);
        var root = document.RootElement;
        var name = GoRead.String(root, "name");
        var content = GoRead.String(root, "content");
        var file = GoRead.String(root, "file");
        if (content.Length == 0 && file.Length == 0) return ("invalid body: content or FilePath is required", name, content, file);
        if (name.Length == 0) return ("invalid body: name is required", name, content, file);
        if (SafeZip.CheckName(name) is not null) return ($"openat {name}: path escapes from parent", name, content, file);
        if (name.EndsWith('/') || name.EndsWith('\\')) return ($"open {name}: is a directory", name, content, file);
        return (null, name, content, file);
    }
}
