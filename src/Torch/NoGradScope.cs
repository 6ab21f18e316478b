using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

/// <summary>
/// Disables autograd recording on this thread until disposed (<c>torch.no_grad()</c>), restoring the previous mode.
/// libtorch's grad mode is thread-local, so the scope must be disposed on the thread that opened it.
/// </summary>
public sealed class NoGradScope : IDisposable
{
    private readonly bool _previous;
    private readonly int _threadId;
    private bool _disposed;

    internal NoGradScope(bool enabled)
    {
        _threadId = Environment.CurrentManagedThreadId;
        _previous = NativeMethods.ats_grad_mode_set(enabled ? 1 : 0) != 0;
    }

    /// <summary>Restores the grad mode that was active when the scope opened.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (Environment.CurrentManagedThreadId != _threadId)
        {
            throw new InvalidOperationException("a grad-mode scope must be disposed on the thread that opened it");
        }

        _disposed = true;
        NativeMethods.ats_grad_mode_set(_previous ? 1 : 0);
    }
}
