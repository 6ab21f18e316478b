using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

/// <summary>
/// A libtorch tensor. Holds an owning native handle (<c>at::Tensor*</c>) released by <see cref="Dispose()"/>, by the
/// innermost <see cref="DisposeScope"/> open when it was created, or, as a last resort, by the finalizer.
/// The type is split by concern into partial files: <c>Tensor.Create.cs</c>, <c>Tensor.Math.cs</c>, ...
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private IntPtr _handle;

    internal Tensor(IntPtr handle, bool scoped = true)
    {
        if (handle == IntPtr.Zero)
        {
            throw new ArgumentException("null tensor handle", nameof(handle));
        }

        _handle = handle;
        HandleStatistics.OnCreated();
        if (scoped)
        {
            DisposeScope.Current?.Add(this);
        }
    }

    /// <summary>Finalizer: the fallback release for a tensor nobody disposed.</summary>
    ~Tensor()
    {
        Release();
    }

    internal DisposeScope? Scope { get; set; }

    /// <summary>True once the native handle has been released.</summary>
    public bool IsDisposed => _handle == IntPtr.Zero;

    /// <summary>The native handle; throws when disposed.</summary>
    internal IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            return _handle;
        }
    }

    /// <summary>Releases the native tensor now.</summary>
    public void Dispose()
    {
        Scope?.Remove(this);
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Moves this tensor from its scope to the next outer scope (or to no scope), and returns it.</summary>
    public Tensor MoveToOuterScope()
    {
        var scope = Scope;
        if (scope is not null)
        {
            scope.Remove(this);
            scope.Outer?.Add(this);
        }

        return this;
    }

    /// <summary>Removes this tensor from any scope; the caller now owns it. Returns it.</summary>
    public Tensor DetachFromScope()
    {
        Scope?.Remove(this);
        return this;
    }

    private void Release()
    {
        var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (h != IntPtr.Zero)
        {
            NativeMethods.ats_tensor_free(h);
            HandleStatistics.OnReleased();
        }
    }

    /// <summary>Wraps a handle returned by an export after its status was checked.</summary>
    internal static Tensor FromHandle(int status, IntPtr handle, string call)
    {
        NativeError.Check(status, call);
        return new Tensor(handle);
    }

    /// <summary>Wraps a handle returned by an op family's export after its status was checked.</summary>
    internal static Tensor FromOp<TOp>(int status, IntPtr handle, string export, TOp op)
        where TOp : struct, Enum
    {
        NativeError.CheckOp(status, export, op);
        return new Tensor(handle);
    }

    /// <summary>The handle of an optional tensor argument (null: none).</summary>
    internal static IntPtr HandleOf(Tensor? tensor) => tensor is null ? IntPtr.Zero : tensor.Handle;
}
