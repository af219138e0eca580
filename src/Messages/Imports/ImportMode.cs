namespace Kuiper.Messages.Imports;

public enum ImportMode
{
    /// <summary>Clear every kind, then import the bundle (eKuiper's default).</summary>
    Full,

    /// <summary><c>partial=1</c>: overwrite per resource, keep everything else.</summary>
    Partial,
}
