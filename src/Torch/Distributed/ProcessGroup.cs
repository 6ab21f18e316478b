using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.Distributed;

/// <summary>
/// A c10d process group: <see cref="Size"/> ranks, one per process (or per thread), running collectives on CPU
/// tensors. Every rank must call the same collectives in the same order. Each call blocks its thread until the
/// collective completes on all ranks, or throws <see cref="TorchException"/> naming the collective, the rank and the
/// timeout when a peer does not take part in time; after that the group is unusable and should be disposed.
/// </summary>
public sealed class ProcessGroup : IDisposable
{
    private readonly ProcessGroupHandle _handle;

    static ProcessGroup() => NativeLibraryLoader.EnsureRegistered();

    private ProcessGroup(ProcessGroupHandle handle, TimeSpan timeout)
    {
        _handle = handle;
        Timeout = timeout;
        Rank = NativeMethods.ats_dist_pg_rank(handle);
        Size = NativeMethods.ats_dist_pg_size(handle);
    }

    /// <summary>This member's rank, 0 to <see cref="Size"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks in the group.</summary>
    public int Size { get; }

    /// <summary>The default timeout of this group's collectives.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Joins a Gloo process group of <paramref name="size"/> ranks through <paramref name="store"/> as
    /// <paramref name="rank"/>. Blocks until every rank has joined.
    /// </summary>
    /// <param name="store">The rendezvous; every rank's store reaches the same server.</param>
    /// <param name="rank">This member's rank.</param>
    /// <param name="size">Number of ranks.</param>
    /// <param name="timeout">How long to wait for the others to join; also the default for collectives.</param>
    /// <param name="interfaceAddress">The address this rank's Gloo transport binds and advertises to its peers.</param>
    /// <exception cref="TorchException">A rank did not join within <paramref name="timeout"/>.</exception>
    public static ProcessGroup CreateGloo(TcpStore store, int rank, int size, TimeSpan timeout, string interfaceAddress = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(interfaceAddress);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        var ms = TcpStore.Milliseconds(timeout, nameof(timeout));
        var status = NativeMethods.ats_dist_gloo_create(store.Handle, rank, size, interfaceAddress, ms, out var handle);
        return new ProcessGroup(NativeHandle.Adopt(status, handle, nameof(NativeMethods.ats_dist_gloo_create)), timeout);
    }

    /// <summary>
    /// In place on every rank: <paramref name="tensor"/> becomes the elementwise sum (or average) over all ranks.
    /// The tensor must have the same shape and dtype on every rank.
    /// </summary>
    public void AllReduce(Tensor tensor, AllReduceOp op = AllReduceOp.Sum, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AllReduce([tensor], op, timeout);
    }

    /// <summary>
    /// In place on every rank: each of <paramref name="tensors"/> (one dtype) becomes its elementwise sum (or average)
    /// over all ranks. They travel as one buffer, so a model's gradients cost one collective.
    /// </summary>
    public unsafe void AllReduce(IReadOnlyList<Tensor> tensors, AllReduceOp op = AllReduceOp.Sum, TimeSpan? timeout = null)
    {
        var ms = TimeoutMs(timeout);
        var handles = Handles(tensors);
        fixed (IntPtr* h = handles)
        {
            NativeError.Check(NativeMethods.ats_dist_allreduce(_handle, h, handles.Length, (int)op, ms));
        }

        GC.KeepAlive(tensors);
    }

    /// <summary>In place: every rank's <paramref name="tensor"/> becomes <paramref name="root"/>'s.</summary>
    public void Broadcast(Tensor tensor, int root, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Broadcast([tensor], root, timeout);
    }

    /// <summary>In place: every rank's <paramref name="tensors"/> (one dtype) become <paramref name="root"/>'s.</summary>
    public unsafe void Broadcast(IReadOnlyList<Tensor> tensors, int root, TimeSpan? timeout = null)
    {
        var ms = TimeoutMs(timeout);
        var handles = Handles(tensors);
        fixed (IntPtr* h = handles)
        {
            NativeError.Check(NativeMethods.ats_dist_broadcast(_handle, h, handles.Length, root, ms));
        }

        GC.KeepAlive(tensors);
    }

    /// <summary>Returns once every rank has reached the barrier.</summary>
    public void Barrier(TimeSpan? timeout = null) =>
        NativeError.Check(NativeMethods.ats_dist_barrier(_handle, TimeoutMs(timeout)));

    /// <summary>Leaves the group and releases its native resources.</summary>
    public void Dispose() => _handle.Dispose();

    private long TimeoutMs(TimeSpan? timeout) => TcpStore.Milliseconds(timeout ?? Timeout, nameof(timeout));

    private static IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("a collective needs at least one tensor", nameof(tensors));
        }

        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = (tensors[i] ?? throw new ArgumentException($"tensor {i} is null", nameof(tensors))).Handle;
        }

        return handles;
    }
}
