using System.Diagnostics.CodeAnalysis;

using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// The tensors and metadata loaded from one tensor file, in the order they were saved. Owns the tensors: disposing
/// the contents disposes every tensor not taken out with <see cref="Take"/>.
/// </summary>
public sealed class TensorFileContents : IDisposable
{
    private readonly List<Tensor> _tensors;
    private readonly Dictionary<string, int> _index;

    /// <param name="filePath">The file loaded.</param>
    /// <param name="metadata">Its metadata string.</param>
    /// <param name="names">The tensor names, in file order.</param>
    /// <param name="tensors">The tensors, parallel to <paramref name="names"/>; ownership passes to the contents.</param>
    internal TensorFileContents(string filePath, string metadata, IReadOnlyList<string> names, List<Tensor> tensors)
    {
        FilePath = filePath;
        Metadata = metadata;
        Names = names;
        _tensors = tensors;
        _index = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            _index.Add(names[i], i);
        }
    }

    /// <summary>The file the contents came from.</summary>
    public string FilePath { get; }

    /// <summary>The metadata string saved with the tensors (empty when none was given).</summary>
    public string Metadata { get; }

    /// <summary>Every tensor name, in the order saved.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The tensor named <paramref name="name"/>; it stays owned by these contents.</summary>
    /// <exception cref="KeyNotFoundException">The file holds no such tensor (or it was taken).</exception>
    public Tensor this[string name] =>
        TryGet(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"tensor file '{FilePath}' holds no tensor '{name}'");

    /// <summary>Looks up a tensor by name; it stays owned by these contents.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_index.TryGetValue(name, out var i) && !_tensors[i].IsInvalid)
        {
            tensor = _tensors[i];
            return true;
        }

        tensor = null;
        return false;
    }

    /// <summary>Hands the tensor named <paramref name="name"/> to the caller, who then disposes it.</summary>
    public Tensor Take(string name)
    {
        var tensor = this[name];
        _index.Remove(name);
        return tensor;
    }

    /// <summary>Disposes every tensor still owned.</summary>
    public void Dispose()
    {
        foreach (var i in _index.Values)
        {
            _tensors[i].Dispose();
        }

        _index.Clear();
    }
}
