namespace Kuiper.Messages.Artefacts;

/// <summary>
/// Published to every node after an import that touched plugins, services, schemas, uploads or scripts: each
/// node's installer then brings its data dir in line with what is stored.
/// </summary>
public sealed record ArtefactsChanged(string ImportId) : IKuiperMessage
{
    public const string Topic = "kuiper-artefacts";
}
