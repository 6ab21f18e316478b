using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.Distributed;

/// <summary>
/// A long-lived native object (store, process group) owned through a <see cref="SafeHandle"/>: the base class
/// ref-counts calls in flight and releases exactly once, from <see cref="SafeHandle.Dispose()"/> or the finalizer.
/// Live handles are counted in <see cref="HandleStatistics"/> alongside tensors, so leak tests see them too.
/// </summary>
internal abstract class NativeHandle : SafeHandle
{
    protected NativeHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>
    /// Takes ownership of <paramref name="handle"/>, just filled by an export that returned <paramref name="status"/>:
    /// on success counts it as live and returns it; on failure disposes it and throws the export's error.
    /// </summary>
    internal static T Adopt<T>(int status, T handle, string call)
        where T : NativeHandle
    {
        try
        {
            NativeError.Check(status, call);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        HandleStatistics.OnCreated();
        return handle;
    }

    protected sealed override bool ReleaseHandle()
    {
        Free(handle);
        HandleStatistics.OnReleased();
        return true;
    }

    /// <summary>Calls the shim's free export for this kind of object.</summary>
    protected abstract void Free(IntPtr native);
}
