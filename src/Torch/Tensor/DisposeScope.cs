namespace AlgoPerf.Torch;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost open scope, and disposes them with itself, so a
/// training step's hundreds of intermediates are released deterministically (TorchSharp's <c>NewDisposeScope</c>).
/// Scopes are per thread: all libtorch calls of a trial stay on its thread, and no scope flows across <c>await</c>.
/// Tensors that must outlive the scope are moved out with <see cref="Tensor.MoveToOuterScope"/> or
/// <see cref="Tensor.DetachFromScope"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? t_current;

    private readonly List<Tensor> _owned = [];
    private readonly DisposeScope? _outer;
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = t_current;
        t_current = this;
    }

    /// <summary>The innermost open scope of this thread, or null.</summary>
    internal static DisposeScope? Current => t_current;

    /// <summary>Number of tensors this scope currently owns.</summary>
    public int Count => _owned.Count;

    internal DisposeScope? Outer => _outer;

    internal void Add(Tensor tensor)
    {
        _owned.Add(tensor);
        tensor.Scope = this;
    }

    internal void Remove(Tensor tensor)
    {
        // Removal is rare (moving a result out); search from the end, where fresh results are.
        var i = _owned.LastIndexOf(tensor);
        if (i >= 0)
        {
            _owned.RemoveAt(i);
        }

        tensor.Scope = null;
    }

    /// <summary>Disposes every owned tensor and closes the scope. Scopes must be closed innermost first.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!ReferenceEquals(t_current, this))
        {
            throw new InvalidOperationException("dispose scopes must be closed innermost first, on the thread that opened them");
        }

        t_current = _outer;
        foreach (var t in _owned)
        {
            t.Scope = null;
            t.Dispose();
        }

        _owned.Clear();
    }
}
