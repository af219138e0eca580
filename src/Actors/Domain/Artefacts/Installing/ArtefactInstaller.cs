using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuiper.Domain.Artefacts.Archives;

namespace Kuiper.Domain.Artefacts.Installing;

/// <summary>What became of an install.</summary>
public enum InstallStatus
{
    /// <summary>The files are in place and recorded.</summary>
    Installed,

    /// <summary>The same content was installed already and is intact: nothing was touched.</summary>
    Unchanged,

    /// <summary>Nothing changed; see the error.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="ArtefactInstaller.InstallAsync"/>.</summary>
public sealed record InstallOutcome(InstallStatus Status, string? Error = null)
{
    public bool Succeeded => Status != InstallStatus.Failed;
}

/// <summary>
/// Installs <see cref="ArtefactPlan"/>s under one node's data dir: plain file I/O, no actors. Each install is atomic
/// (staged in full, swapped in with a journal, rolled back on any failure and after a crash), idempotent (the
/// same content hash installed and intact is a no-op) and recorded, so the node can list and uninstall what it has.
/// </summary>
/// <remarks>
/// <para>Bookkeeping lives in <c>&lt;DataDir&gt;/.artefacts</c>: <c>installed/&lt;kind&gt;/&lt;hex key&gt;.json</c>
/// (one record per artefact, written last: the commit point) and <c>tx/&lt;id&gt;</c> (staging, backups, journal).</para>
/// <para>A file several artefacts install (services sharing a schema file) is removed only with the last of them.
/// Nothing is written through a link: a target folder that is a symbolic link fails the install.</para>
/// <para>Install scripts run only when a plan carries one (the checkers plan them only when the node allows
/// them), in the staged folder, before anything is swapped in; files they create there are installed too.</para>
/// </remarks>
public sealed class ArtefactInstaller : IInstalledArtefacts
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    private readonly SemaphoreSlim _lock;
    private readonly string _bookkeeping;

    /// <param name="dataDir">The node's data dir (<c>Kuiper:DataDir</c>); created if missing.</param>
    /// <param name="scriptTimeout">How long an install script may run (default 10 minutes).</param>
    public ArtefactInstaller(string dataDir, TimeSpan? scriptTimeout = null)
    {
        DataDir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir));
        ScriptTimeout = scriptTimeout ?? TimeSpan.FromMinutes(10);
        _bookkeeping = Path.Join(DataDir, ".artefacts");
        _lock = Locks.GetOrAdd(DataDir, _ => new SemaphoreSlim(1, 1));
        Directory.CreateDirectory(DataDir);
        _lock.Wait();
        try
        {
            Recover();
        }
        finally
        {
            _lock.Release();
        }
    }

    public string DataDir { get; }

    public TimeSpan ScriptTimeout { get; }

    private string TxRoot => Path.Join(_bookkeeping, "tx");

    // ---- records ----

    private sealed record FileRecord(string Path, string Sha256);

    private sealed record Record(
        ArtefactKind Kind, string Key, string Descriptor, string Hash, string? Version,
        IReadOnlyList<FileRecord> Files, IReadOnlyList<string> Sources, IReadOnlyList<string> Sinks, IReadOnlyList<string> Functions)
    {
        public InstalledArtefact ToInstalled() =>
            new(Kind, Key, Descriptor, Hash, Files.Select(f => f.Path).ToList(), Version, new ArtefactProvides(Sources, Sinks, Functions));
    }

    private sealed record Journal(ArtefactKind Kind, string Key, string NewHash, IReadOnlyList<string> Targets, IReadOnlyList<string> Removes);

    private string RecordPath(ArtefactKind kind, string key) =>
        Path.Join(_bookkeeping, "installed", kind.ToString(), Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key)) + ".json");

    private Record? ReadRecord(ArtefactKind kind, string key)
    {
        var path = RecordPath(kind, key);
        return File.Exists(path) ? JsonSerializer.Deserialize<Record>(File.ReadAllBytes(path), JsonOptions) : null;
    }

    private IEnumerable<Record> ReadRecords()
    {
        var root = Path.Join(_bookkeeping, "installed");
        if (!Directory.Exists(root)) yield break;
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            if (JsonSerializer.Deserialize<Record>(File.ReadAllBytes(file), JsonOptions) is { } record)
                yield return record;
    }

    // ---- queries ----

    /// <summary>Everything installed, by kind then key.</summary>
    public IReadOnlyList<InstalledArtefact> List()
    {
        _lock.Wait();
        try
        {
            return ReadRecords().OrderBy(r => r.Kind).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => r.ToInstalled()).ToList();
        }
        finally
        {
            _lock.Release();
        }
    }

    public InstalledArtefact? Find(ArtefactKind kind, string installKey)
    {
        _lock.Wait();
        try
        {
            return ReadRecord(kind, installKey)?.ToInstalled();
        }
        finally
        {
            _lock.Release();
        }
    }

    public IReadOnlyList<InstalledArtefact> All(ArtefactKind kind) => List().Where(i => i.Kind == kind).ToList();

    // ---- install ----

    /// <summary>Installs the plan, replacing what was installed under the same kind and key (files it no longer has are removed).</summary>
    public async Task<InstallOutcome> InstallAsync(ArtefactPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var existing = ReadRecord(plan.Kind, plan.InstallKey);
            if (existing is not null && existing.Hash == plan.ContentHash && Intact(existing)) return new InstallOutcome(InstallStatus.Unchanged);

            var tx = Path.Join(TxRoot, Guid.NewGuid().ToString("N"));
            var staged = Path.Join(tx, "staged");
            try
            {
                Directory.CreateDirectory(staged);
                foreach (var file in plan.Files)
                {
                    var error = SafeZip.WriteEntry(staged, file.Path, isDirectory: false, file.Content, file.UnixMode);
                    if (error is not null) return Fail(tx, error);
                }
                if (plan.InstallScript is { } script)
                {
                    var scriptError = await RunScriptAsync(script, tx, staged, cancellationToken);
                    if (scriptError is not null) return Fail(tx, scriptError);
                }

                var files = Directory.EnumerateFiles(staged, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(staged, f).Replace(Path.DirectorySeparatorChar, '/'))
                    .Order(StringComparer.Ordinal)
                    .Select(p => new FileRecord(p, Sha256Of(Path.Join(staged, p))))
                    .ToList();
                var targets = files.Select(f => f.Path).ToList();
                foreach (var target in targets)
                {
                    var refused = CheckTarget(target);
                    if (refused is not null) return Fail(tx, refused);
                }

                var sharedElsewhere = ReadRecords().Where(r => !(r.Kind == plan.Kind && r.Key == plan.InstallKey))
                    .SelectMany(r => r.Files.Select(f => f.Path)).ToHashSet(StringComparer.Ordinal);
                var removes = (existing?.Files.Select(f => f.Path) ?? [])
                    .Where(p => !targets.Contains(p) && !sharedElsewhere.Contains(p) && CheckTarget(p) is null).ToList();

                var journal = new Journal(plan.Kind, plan.InstallKey, plan.ContentHash, targets, removes);
                WriteAtomically(Path.Join(tx, "journal.json"), JsonSerializer.SerializeToUtf8Bytes(journal, JsonOptions));

                foreach (var target in targets)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var destination = Path.Join(DataDir, target);
                    MoveAside(tx, target);
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    File.Move(Path.Join(staged, target), destination);
                }
                foreach (var remove in removes) MoveAside(tx, remove);

                var record = new Record(plan.Kind, plan.InstallKey, plan.Descriptor, plan.ContentHash, plan.Version, files,
                    plan.Provides.Sources, plan.Provides.Sinks, plan.Provides.Functions);
                var recordPath = RecordPath(plan.Kind, plan.InstallKey);
                Directory.CreateDirectory(Path.GetDirectoryName(recordPath)!);
                WriteAtomically(recordPath, JsonSerializer.SerializeToUtf8Bytes(record, JsonOptions));

                Directory.Delete(tx, recursive: true);
                foreach (var remove in removes) PruneEmptyFolders(remove);
                return new InstallOutcome(InstallStatus.Installed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                RollBack(tx);
                if (e is OperationCanceledException) throw;
                return new InstallOutcome(InstallStatus.Failed, e.Message);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Removes an installed artefact's files (those no other artefact installed too) and its record.</summary>
    /// <returns>False when nothing was installed under that key.</returns>
    public bool Uninstall(ArtefactKind kind, string installKey)
    {
        _lock.Wait();
        try
        {
            var record = ReadRecord(kind, installKey);
            if (record is null) return false;
            var sharedElsewhere = ReadRecords().Where(r => !(r.Kind == kind && r.Key == installKey))
                .SelectMany(r => r.Files.Select(f => f.Path)).ToHashSet(StringComparer.Ordinal);
            foreach (var file in record.Files.Select(f => f.Path).Where(p => !sharedElsewhere.Contains(p)))
            {
                if (CheckTarget(file) is not null) continue;
                var path = Path.Join(DataDir, file);
                if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
                PruneEmptyFolders(file);
            }
            File.Delete(RecordPath(kind, installKey));
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    // ---- helpers ----

    private bool Intact(Record record) =>
        record.Files.All(f =>
        {
            var path = Path.Join(DataDir, f.Path);
            return File.Exists(path) && new FileInfo(path).LinkTarget is null && Sha256Of(path) == f.Sha256;
        });

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>A target must be a clean relative path whose existing folders below the data dir are real folders.</summary>
    private string? CheckTarget(string relative)
    {
        if (SafeZip.CheckName(relative) is not null || relative != SafeZip.CleanPath(relative) || relative.StartsWith(".artefacts", StringComparison.Ordinal))
            return $"refusing to install {relative}: not a plain path below the data dir";
        var current = DataDir;
        var segments = relative.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Join(current, segments[i]);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null) return $"refusing to install {relative}: {Path.GetRelativePath(DataDir, current)} is a symbolic link";
            if (File.Exists(current)) return $"refusing to install {relative}: {Path.GetRelativePath(DataDir, current)} is a file";
        }
        if (Directory.Exists(Path.Join(DataDir, relative))) return $"refusing to install {relative}: a folder is in the way";
        return null;
    }

    /// <summary>Moves what is at a target (a file or a link, never followed) into the transaction's backup.</summary>
    private void MoveAside(string tx, string relative)
    {
        var path = Path.Join(DataDir, relative);
        if (!File.Exists(path) && new FileInfo(path).LinkTarget is null) return;
        var backup = Path.Join(tx, "backup", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        File.Move(path, backup);
    }

    private InstallOutcome Fail(string tx, string error)
    {
        RollBack(tx);
        return new InstallOutcome(InstallStatus.Failed, error);
    }

    /// <summary>Puts back what a transaction moved, from its journal, and deletes it.</summary>
    private void RollBack(string tx)
    {
        var journalPath = Path.Join(tx, "journal.json");
        if (File.Exists(journalPath) && JsonSerializer.Deserialize<Journal>(File.ReadAllBytes(journalPath), JsonOptions) is { } journal)
        {
            foreach (var target in journal.Targets)
            {
                var destination = Path.Join(DataDir, target);
                var movedIn = !File.Exists(Path.Join(tx, "staged", target));
                if (movedIn && File.Exists(destination)) File.Delete(destination);
            }
            foreach (var relative in journal.Targets.Concat(journal.Removes))
            {
                var backup = Path.Join(tx, "backup", relative);
                if (!File.Exists(backup) && new FileInfo(backup).LinkTarget is null) continue;
                var destination = Path.Join(DataDir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Move(backup, destination, overwrite: true);
            }
            foreach (var target in journal.Targets) PruneEmptyFolders(target);
        }
        if (Directory.Exists(tx)) Directory.Delete(tx, recursive: true);
    }

    /// <summary>Finishes what a crash interrupted: committed transactions are cleaned up, the others rolled back.</summary>
    private void Recover()
    {
        if (!Directory.Exists(TxRoot)) return;
        foreach (var tx in Directory.EnumerateDirectories(TxRoot))
        {
            var journalPath = Path.Join(tx, "journal.json");
            var journal = File.Exists(journalPath) ? JsonSerializer.Deserialize<Journal>(File.ReadAllBytes(journalPath), JsonOptions) : null;
            if (journal is not null && ReadRecord(journal.Kind, journal.Key)?.Hash == journal.NewHash)
                Directory.Delete(tx, recursive: true);
            else
                RollBack(tx);
        }
    }

    /// <summary>Removes folders left empty by a removed file, up to (not including) the first level below the data dir.</summary>
    private void PruneEmptyFolders(string relative)
    {
        var segments = relative.Split('/');
        for (var depth = segments.Length - 1; depth >= 2; depth--)
        {
            var folder = Path.Join(DataDir, string.Join('/', segments[..depth]));
            if (!Directory.Exists(folder) || new DirectoryInfo(folder).LinkTarget is not null || Directory.EnumerateFileSystemEntries(folder).Any()) return;
            Directory.Delete(folder);
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private async Task<string?> RunScriptAsync(InstallScript script, string tx, string staged, CancellationToken cancellationToken)
    {
        string workingDirectory;
        if (script.WorkingDirectory is { } relative)
        {
            workingDirectory = Path.Join(staged, relative);
        }
        else
        {
            workingDirectory = Path.Join(tx, "scratch");
            Directory.CreateDirectory(workingDirectory);
            foreach (var file in script.ScratchFiles)
            {
                var error = SafeZip.WriteEntry(workingDirectory, file.Path, isDirectory: false, file.Content, file.UnixMode);
                if (error is not null) return error;
            }
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Join(workingDirectory, "install.sh"));
        foreach (var argument in script.Arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new IOException("cannot start /bin/sh");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            return "fail to install plugin: signal: killed";
        }
        var (output, errors) = (await stdout, await stderr);
        if (process.ExitCode == 0) return null;
        return script.FailureStyle == ScriptFailureStyle.ExitStatus
            ? $"fail to install plugin: exit status {process.ExitCode}"
            : $"fail to install plugin: err:exit status {process.ExitCode} stdout:{output} stderr:{errors}";
    }
}
