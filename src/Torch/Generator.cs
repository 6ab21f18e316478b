using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

/// <summary>
/// A CPU random number generator (<c>torch.Generator</c>). Random factories and dropout take one explicitly, so a
/// trial's randomness depends only on its own seeds; its state can be saved into and restored from a checkpoint.
/// Not thread-safe for concurrent draws from several threads in a defined order (libtorch locks it per draw).
/// </summary>
public sealed class Generator : IDisposable
{
    private IntPtr _handle;

    /// <summary>A new generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed)
    {
        NativeLibraryLoader.EnsureRegistered();
        NativeError.Check(NativeMethods.ats_generator_new(seed, out var h));
        _handle = h;
    }

    private Generator(IntPtr handle) => _handle = handle;

    /// <summary>Finalizer: releases a generator nobody disposed.</summary>
    ~Generator()
    {
        Release();
    }

    /// <summary>A handle on libtorch's default CPU generator (the one <see cref="TorchRuntime.ManualSeed"/> seeds).</summary>
    public static Generator Default()
    {
        NativeLibraryLoader.EnsureRegistered();
        NativeError.Check(NativeMethods.ats_generator_default(out var h));
        return new Generator(h);
    }

    /// <summary>The seed last set (<c>initial_seed</c>).</summary>
    public ulong InitialSeed
    {
        get
        {
            NativeError.Check(NativeMethods.ats_generator_initial_seed(Handle, out var seed));
            return seed;
        }
    }

    internal IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            return _handle;
        }
    }

    /// <summary>Reseeds the generator (<c>manual_seed</c>). Returns this.</summary>
    public Generator ManualSeed(ulong seed)
    {
        NativeError.Check(NativeMethods.ats_generator_manual_seed(Handle, seed));
        return this;
    }

    /// <summary>The full generator state as bytes (<c>get_state</c>); restoring it replays the same draws.</summary>
    public byte[] GetState()
    {
        NativeError.Check(NativeMethods.ats_generator_get_state(Handle, out var h));
        using var state = new Tensor(h, scoped: false);
        return state.ToArray<byte>();
    }

    /// <summary>Restores a state read by <see cref="GetState"/>.</summary>
    public void SetState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var t = Tensor.FromArray(state, state.Length).DetachFromScope();
        NativeError.Check(NativeMethods.ats_generator_set_state(Handle, t.Handle));
    }

    /// <summary>Releases the native generator.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    internal static IntPtr HandleOf(Generator? generator) => generator is null ? IntPtr.Zero : generator.Handle;

    private void Release()
    {
        var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (h != IntPtr.Zero)
        {
            NativeMethods.ats_generator_free(h);
        }
    }
}
