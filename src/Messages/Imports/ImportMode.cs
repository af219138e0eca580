namespace Kuiper.Messages.Imports;

public enum ImportMode
{
    /// <summary>Clear every kind, then import the bundle (eKuiper's default).</summary>
    Full,

    /// <summary><c>partial=1</c>: overwrite per resource, keep everything else.</summary>
    Partial,
}

/// <summary>Whether an import's items are applied after they are checked.</summary>
public enum ImportApply
{
    /// <summary>Every item that passes its checks is applied, whatever the others do (eKuiper's semantics).</summary>
    Always,

    /// <summary><c>atomic=1</c>: every item is checked first; all are applied only if none fails, else nothing changes.</summary>
    OnlyIfAllSucceed,

    /// <summary><c>dryRun=1</c>: every item is checked, nothing is applied.</summary>
    Never,
}
