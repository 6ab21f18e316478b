using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// One rank's end of a gang on CUDA devices: PyTorch DDP's NCCL process group, on the gradients' device memory (CUDA
/// builds only: <c>-p:TorchBackend=cuda</c> and NCCL 2.14+'s <c>libnccl.so.2</c>, docs/data-parallel.md "NCCL").
/// Rank 0 makes the gang's id (<see cref="CreateUniqueId"/>) and sends it to the others; every rank then
/// <see cref="Connect"/>s with it. The communicator is non-blocking: each collective is enqueued on the CUDA legacy
/// default stream (after the work LibTorch queued there) and then polled, so a rank that died or hangs fails the gang
/// after the timeout (the communicator is aborted) instead of hanging the trial.
/// <para>
/// <see cref="AverageInPlace"/> averages every tensor in one NCCL group (NCCL fuses them; ncclAvg); every rank ends
/// with bit-identical gradients, within rounding of the rank-order average. <see cref="AllReduce"/> gathers the values
/// and combines them in rank order on each rank, as the other reducers. Tensors must be contiguous and on this rank's
/// device; <see cref="BroadcastInPlace"/> also takes CPU tensors (through a device copy).
/// </para>
/// </summary>
public sealed class NcclReducer : IGradientReducer
{
    /// <summary>Bytes of NCCL's unique id (ncclUniqueId).</summary>
    public const int UniqueIdBytes = 128;

    private readonly NcclCommHandle _comm;
    private readonly int _device;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private string? _failure;
    private bool _disposed;

    private NcclReducer(NcclCommHandle comm, int rank, int worldSize, int device, TimeSpan timeout, TimeProvider time)
    {
        _comm = comm;
        Rank = rank;
        WorldSize = worldSize;
        _device = device;
        _timeout = timeout;
        _time = time;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int WorldSize { get; }

    /// <summary>True once a collective failed (the communicator was aborted): every later collective throws the same <see cref="GangFailedException"/>.</summary>
    public bool HasFailed => _failure is not null;

    /// <summary>A new gang id (ncclGetUniqueId): rank 0 makes it and sends it to every rank, which passes it to <see cref="Connect"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">NCCL cannot be loaded: not a CUDA host with NCCL.</exception>
    public static unsafe byte[] CreateUniqueId()
    {
        NcclNative.UniqueId id;
        int code;
        try
        {
            code = NcclNative.GetUniqueId(&id);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw Unavailable(e);
        }

        if (code != NcclNative.Success)
        {
            throw new InvalidOperationException($"ncclGetUniqueId failed: {ErrorString(code)}");
        }

        return new ReadOnlySpan<byte>(id.Bytes, UniqueIdBytes).ToArray();
    }

    /// <summary>Connects rank <paramref name="rank"/> of <paramref name="worldSize"/> on CUDA device <paramref name="cudaDevice"/>; returns once every rank has joined.</summary>
    /// <param name="rank">This rank (0-based).</param>
    /// <param name="worldSize">Ranks in the gang.</param>
    /// <param name="uniqueId">Rank 0's <see cref="CreateUniqueId"/>, the same on every rank.</param>
    /// <param name="timeout">Bounds the connection and every collective.</param>
    /// <param name="cudaDevice">This rank's CUDA device (its tensors must be there).</param>
    /// <param name="timeProvider">The clock of the timeouts (the system's by default).</param>
    /// <exception cref="PlatformNotSupportedException">NCCL or the CUDA runtime cannot be loaded.</exception>
    /// <exception cref="GangFailedException">A rank did not join within the timeout, or NCCL failed.</exception>
    public static unsafe NcclReducer Connect(int rank, int worldSize, byte[] uniqueId, TimeSpan timeout, int cudaDevice = 0, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        ArgumentNullException.ThrowIfNull(uniqueId);
        ArgumentOutOfRangeException.ThrowIfNotEqual(uniqueId.Length, UniqueIdBytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(cudaDevice);
        var time = timeProvider ?? TimeProvider.System;
        NcclNative.UniqueId id;
        uniqueId.CopyTo(new Span<byte>(id.Bytes, UniqueIdBytes));
        var config = new NcclNative.Config
        {
            Size = (nuint)sizeof(NcclNative.Config),
            Magic = NcclNative.ConfigMagic,
            Version = NcclNative.ConfigVersion,
            Blocking = 0,
            CgaClusterSize = NcclNative.ConfigUndefined,
        };
        IntPtr comm;
        int code;
        try
        {
            int version;
            _ = NcclNative.GetVersion(&version);
            CheckCuda(NcclNative.CudaSetDevice(cudaDevice), $"cudaSetDevice({cudaDevice})");
            comm = IntPtr.Zero;
            code = NcclNative.CommInitRankConfig(&comm, worldSize, id, rank, &config);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw Unavailable(e);
        }

        var handle = new NcclCommHandle(comm);
        var start = time.GetTimestamp();
        var spin = default(SpinWait);
        while (code == NcclNative.InProgress)
        {
            if (time.GetElapsedTime(start) > timeout)
            {
                handle.Abort();
                throw new GangFailedException($"rank {rank} of an NCCL gang of {worldSize} on cuda:{cudaDevice}: the ranks did not all join within the timeout of {Seconds(timeout)} s");
            }

            spin.SpinOnce();
            int state;
            _ = NcclNative.CommGetAsyncError(comm, &state);
            code = state;
        }

        if (code != NcclNative.Success)
        {
            handle.Abort();
            throw new GangFailedException($"rank {rank} of an NCCL gang of {worldSize} on cuda:{cudaDevice} could not connect: {ErrorString(code)}");
        }

        return new NcclReducer(handle, rank, worldSize, cudaDevice, timeout, time);
    }

    /// <inheritdoc/>
    public void AverageInPlace(IReadOnlyList<torch.Tensor> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ThrowIfUnusable();
        long total = 0;
        foreach (var g in gradients)
        {
            if (g.dtype != torch.ScalarType.Float32 || !OnDevice(g) || !g.is_contiguous())
            {
                throw new ArgumentException($"rank {Rank}: the NCCL reducer averages contiguous float32 tensors on cuda:{_device} (got {g.dtype} on {g.device}, contiguous: {g.is_contiguous()})", nameof(gradients));
            }

            total += g.numel();
        }

        if (WorldSize == 1)
        {
            return;
        }

        CheckSizes(total, "floats of gradients", nameof(gradients));
        Group("an average's all-reduce", () =>
        {
            foreach (var g in gradients)
            {
                var data = NcclNative.TensorData(g.Handle);
                Check(NcclNative.AllReduce(data, data, (nuint)g.numel(), NcclNative.Float32, NcclNative.Avg, _comm, IntPtr.Zero), "ncclAllReduce");
            }
        });
    }

    /// <inheritdoc/>
    public void BroadcastInPlace(IReadOnlyList<torch.Tensor> tensors, int root)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        ThrowIfUnusable();
        foreach (var t in tensors)
        {
            if (!t.is_contiguous() || !(t.device_type == DeviceType.CPU || OnDevice(t)))
            {
                throw new ArgumentException($"rank {Rank}: the NCCL reducer broadcasts contiguous tensors on the CPU or cuda:{_device} (got {t.dtype} on {t.device}, contiguous: {t.is_contiguous()})", nameof(tensors));
            }
        }

        if (WorldSize == 1)
        {
            return;
        }

        CheckSizes(FlatTensors.Bytes(tensors), "bytes of tensors", nameof(tensors));
        var device = torch.device(DeviceType.CUDA, _device);
        var staged = tensors.Select(t => t.device_type == DeviceType.CPU ? t.to(device) : t).ToList();
        try
        {
            Group("a broadcast", () =>
            {
                foreach (var t in staged)
                {
                    var data = NcclNative.TensorData(t.Handle);
                    Check(NcclNative.Broadcast(data, data, (nuint)(t.numel() * t.ElementSize), NcclNative.Uint8, root, _comm, IntPtr.Zero), "ncclBroadcast");
                }
            });
            for (var i = 0; i < tensors.Count; i++)
            {
                if (!ReferenceEquals(staged[i], tensors[i]))
                {
                    tensors[i].copy_(staged[i]);
                }
            }
        }
        finally
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                if (!ReferenceEquals(staged[i], tensors[i]))
                {
                    staged[i].Dispose();
                }
            }
        }
    }

    /// <inheritdoc/>
    public void AllReduce(Span<double> values, ReduceOp op)
    {
        ThrowIfUnusable();
        if (WorldSize == 1)
        {
            return;
        }

        CheckSizes(values.Length, "values", nameof(values));
        if (values.IsEmpty)
        {
            return;
        }

        var all = AllGather(values.ToArray(), "an all-reduce of values");
        RankOrder.Combine(all, values, WorldSize, op);
    }

    /// <summary>Destroys the communicator (aborted already if a collective failed).</summary>
    public void Dispose()
    {
        _disposed = true;
        _comm.Dispose();
    }

    private bool OnDevice(torch.Tensor t) => t.device_type == DeviceType.CUDA && t.device_index == _device;

    private void CheckSizes(long size, string what, string parameter)
    {
        var sizes = AllGather([size], "the size check");
        if (sizes.Any(s => s != size))
        {
            throw new ArgumentException($"rank {Rank}: the ranks pass different sizes ({string.Join(", ", sizes)} {what}): every rank must pass the same tensors in the same order", parameter);
        }
    }

    // Every rank's values, in rank order, through a device buffer.
    private long[] AllGather(long[] values, string operation)
    {
        using var input = torch.tensor(values, device: torch.device(DeviceType.CUDA, _device));
        using var output = torch.empty(values.Length * WorldSize, torch.ScalarType.Int64, torch.device(DeviceType.CUDA, _device));
        Gather(input, output, NcclNative.Int64, values.Length, operation);
        using var host = output.cpu();
        return MemoryMarshal.Cast<byte, long>(host.bytes).ToArray();
    }

    private double[] AllGather(double[] values, string operation)
    {
        using var input = torch.tensor(values, device: torch.device(DeviceType.CUDA, _device));
        using var output = torch.empty(values.Length * WorldSize, torch.ScalarType.Float64, torch.device(DeviceType.CUDA, _device));
        Gather(input, output, NcclNative.Float64, values.Length, operation);
        using var host = output.cpu();
        return MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
    }

    private void Gather(torch.Tensor input, torch.Tensor output, int type, int count, string operation) =>
        Group(operation, () => Check(
            NcclNative.AllGather(NcclNative.TensorData(input.Handle), NcclNative.TensorData(output.Handle), (nuint)count, type, _comm, IntPtr.Zero),
            "ncclAllGather"));

    // Enqueues the calls as one NCCL group on the legacy default stream, then polls until the stream has run them:
    // an error NCCL reports, or the timeout, aborts the communicator and fails the gang.
    private unsafe void Group(string operation, Action enqueue)
    {
        var start = _time.GetTimestamp();
        try
        {
            CheckCuda(NcclNative.CudaSetDevice(_device), $"cudaSetDevice({_device})");
            Check(NcclNative.GroupStart(), "ncclGroupStart");
            try
            {
                enqueue();
            }
            finally
            {
                Check(NcclNative.GroupEnd(), "ncclGroupEnd");
            }

            var spin = default(SpinWait);
            while (true)
            {
                int state;
                Check(NcclNative.CommGetAsyncError(_comm, &state), "ncclCommGetAsyncError");
                Check(state, "the communicator");
                if (state == NcclNative.Success)
                {
                    var query = NcclNative.CudaStreamQuery(IntPtr.Zero);
                    if (query == NcclNative.CudaSuccess)
                    {
                        return;
                    }

                    if (query != NcclNative.CudaNotReady)
                    {
                        throw new NcclCallException($"cudaStreamQuery: {CudaErrorString(query)}");
                    }
                }

                if (_time.GetElapsedTime(start) > _timeout)
                {
                    throw new NcclCallException($"not done after the timeout of {Seconds(_timeout)} s");
                }

                spin.SpinOnce();
            }
        }
        catch (NcclCallException e)
        {
            _comm.Abort();
            _failure = $"rank {Rank} of an NCCL gang of {WorldSize} on cuda:{_device}: {operation} failed: {e.Message}; a rank died, hangs or lost its connection";
            throw new GangFailedException(_failure);
        }
    }

    private static void Check(int code, string call)
    {
        if (code is not (NcclNative.Success or NcclNative.InProgress))
        {
            throw new NcclCallException($"{call}: {ErrorString(code)}");
        }
    }

    private static void CheckCuda(int code, string call)
    {
        if (code != NcclNative.CudaSuccess)
        {
            throw new InvalidOperationException($"{call}: {CudaErrorString(code)}");
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is { } failed)
        {
            throw new GangFailedException(failed);
        }
    }

    private static PlatformNotSupportedException Unavailable(Exception e) =>
        new("NCCL is only available on CUDA hosts with the CUDA TorchSharp package (dotnet build -p:TorchBackend=cuda) and NCCL 2.14 or later "
            + $"(libnccl.so.2, e.g. Debian/Ubuntu's libnccl2 from NVIDIA's repository); see docs/data-parallel.md \"NCCL\". Here: {e.Message}", e);

    private static string ErrorString(int code) => $"{Marshal.PtrToStringUTF8(NcclNative.GetErrorString(code))} (ncclResult_t {code})";

    private static string CudaErrorString(int code) => $"{Marshal.PtrToStringUTF8(NcclNative.CudaGetErrorString(code))} (cudaError_t {code})";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>An NCCL or CUDA call of a collective failed; becomes the gang's failure.</summary>
    private sealed class NcclCallException(string message) : Exception(message);
}
