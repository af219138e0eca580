namespace Kuiper.Messages;

/// <summary>
/// Marker for everything that is persisted or crosses nodes. The explicit Kuiper serializer is bound to it,
/// so no message of ours ever falls back to the polymorphic default serializer.
/// </summary>
public interface IKuiperMessage;
