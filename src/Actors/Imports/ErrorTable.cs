using Kuiper.Domain.Secrets;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Imports;

/// <summary>Collects per-kind, per-resource errors while an import runs.</summary>
internal sealed class ErrorTable
{
    private readonly Dictionary<ResourceKind, Dictionary<string, string>> _errors = new();

    public void Add(ResourceKind kind, IReadOnlyDictionary<string, string> errors)
    {
        if (errors.Count == 0) return;
        if (!_errors.TryGetValue(kind, out var section)) _errors[kind] = section = new(StringComparer.Ordinal);
        // An error may quote what was sent (a file URL, a config): the report is answered, recorded and shown masked.
        foreach (var (name, error) in errors) section[name] = SecretText.MaskMessage(error);
    }

    public bool IsEmpty => _errors.Count == 0;

    public bool Has(ResourceKind kind, string name) => _errors.TryGetValue(kind, out var section) && section.ContainsKey(name);

    public IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> ToReadOnly() =>
        _errors.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, string>)e.Value);
}
