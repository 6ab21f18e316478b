using System.Runtime.InteropServices;
using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// The in-process reducer: the ranks of a gang are threads of one process, and the all-reduce goes through shared
/// memory, bucket by bucket (PyTorch DDP's <c>bucket_cap_mb</c>, 25 MiB by default). For each bucket every rank copies
/// its slice of the flattened gradients into its slot; then rank r reduces the r-th chunk of the bucket over all slots,
/// summing in rank order and dividing by the world size (a reduce-scatter, so the k ranks share the arithmetic); then
/// every rank copies the averaged bucket back. All ranks end with bit-identical gradients. Barriers separate the phases;
/// a rank that does not arrive within the timeout fails the gang (<see cref="GangFailedException"/>) on every rank that
/// waits, and the group stays failed.
/// </summary>
public sealed class InProcessReducerGroup
{
    /// <summary>PyTorch DDP's default bucket size.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly float[][] _slots;
    private float[] _result = [];
    private readonly long[] _sizes;
    private readonly double[][] _values;
    private byte[] _broadcast = [];
    private readonly Barrier _barrier;
    private readonly TimeSpan _timeout;
    private volatile string? _failure;

    /// <summary>A gang of <paramref name="worldSize"/> ranks.</summary>
    /// <param name="worldSize">Ranks (at least 1).</param>
    /// <param name="timeout">How long a rank waits for the others at each phase before the gang fails.</param>
    /// <param name="bucketBytes">Bytes per bucket (at least one float).</param>
    public InProcessReducerGroup(int worldSize, TimeSpan timeout, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, sizeof(float));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        WorldSize = worldSize;
        BucketElements = (int)Math.Min(bucketBytes / sizeof(float), Array.MaxLength);
        _timeout = timeout;
        _slots = [.. Enumerable.Range(0, worldSize).Select(_ => Array.Empty<float>())];
        _sizes = new long[worldSize];
        _values = [.. Enumerable.Range(0, worldSize).Select(_ => Array.Empty<double>())];
        _barrier = new Barrier(worldSize);
    }

    /// <summary>Ranks in the gang.</summary>
    public int WorldSize { get; }

    /// <summary>Floats per bucket.</summary>
    public int BucketElements { get; }

    /// <summary>True once a rank timed out: every later collective of the group fails.</summary>
    public bool HasFailed => _failure is not null;

    /// <summary>The reducer of rank <paramref name="rank"/>: give it to that rank's thread.</summary>
    public IGradientReducer Rank(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, WorldSize);
        return new Reducer(this, rank);
    }

    private void Arrive(int rank, string phase)
    {
        if (_failure is { } failed)
        {
            throw new GangFailedException(failed);
        }

        bool arrived;
        try
        {
            arrived = _barrier.SignalAndWait(_timeout);
        }
        catch (BarrierPostPhaseException e)
        {
            throw new GangFailedException($"the gang's barrier failed at {phase}: {e.Message}", e);
        }

        if (!arrived)
        {
            // The barrier now counts this rank as arrived in a phase the others never finish: the gang cannot go on.
            _failure ??= $"rank {rank} waited {_timeout.TotalSeconds:0.###} s at {phase} for the other ranks of the gang of {WorldSize}; a rank died or hangs";
            throw new GangFailedException(_failure);
        }

        if (_failure is { } other)
        {
            throw new GangFailedException(other);
        }
    }

    private void AverageInPlace(int rank, IReadOnlyList<torch.Tensor> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        long total = 0;
        foreach (var g in gradients)
        {
            if (g.dtype != torch.ScalarType.Float32 || g.device_type != DeviceType.CPU || !g.is_contiguous())
            {
                throw new ArgumentException($"rank {rank}: the in-process reducer averages contiguous float32 CPU tensors (got {g.dtype} on {g.device}, contiguous: {g.is_contiguous()})", nameof(gradients));
            }

            total += g.numel();
        }

        if (WorldSize == 1)
        {
            return;
        }

        // Buffers as large as a bucket or the gradients, whichever is smaller; each rank sizes its own slot, and rank 0
        // the result, before the size check's barrier.
        var bucket = (int)Math.Min(BucketElements, total);
        if (_slots[rank].Length < bucket)
        {
            _slots[rank] = new float[bucket];
        }

        if (rank == 0 && _result.Length < bucket)
        {
            _result = new float[bucket];
        }

        CheckSizes(rank, total, "floats of gradients", nameof(gradients));
        for (long offset = 0; offset < total; offset += BucketElements)
        {
            var length = (int)Math.Min(BucketElements, total - offset);
            Copy(gradients, offset, _slots[rank].AsSpan(0, length), toTensors: false);
            Arrive(rank, "a bucket's gather");
            var chunk = (length + WorldSize - 1) / WorldSize;
            var start = Math.Min(length, rank * chunk);
            var end = Math.Min(length, start + chunk);
            var scale = 1.0f / WorldSize;
            for (var i = start; i < end; i++)
            {
                var sum = 0.0f;
                for (var r = 0; r < WorldSize; r++)
                {
                    sum += _slots[r][i];
                }

                _result[i] = sum * scale;
            }

            Arrive(rank, "a bucket's reduction");
            Copy(gradients, offset, _result.AsSpan(0, length), toTensors: true);
            Arrive(rank, "a bucket's scatter");
        }
    }

    // Every rank states its size before any data moves: ranks that disagree all refuse, in the same phase.
    private void CheckSizes(int rank, long size, string what, string parameter)
    {
        _sizes[rank] = size;
        Arrive(rank, "the size check");
        var differ = _sizes.Any(s => s != size);
        var sizes = differ ? string.Join(", ", _sizes) : null;
        Arrive(rank, "the size check's end");
        if (differ)
        {
            throw new ArgumentException($"rank {rank}: the ranks pass different sizes ({sizes} {what}): every rank must pass the same tensors in the same order", parameter);
        }
    }

    private void BroadcastInPlace(int rank, IReadOnlyList<torch.Tensor> tensors, int root)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        long total = 0;
        foreach (var t in tensors)
        {
            if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            {
                throw new ArgumentException($"rank {rank}: the in-process reducer broadcasts contiguous CPU tensors (got {t.dtype} on {t.device}, contiguous: {t.is_contiguous()})", nameof(tensors));
            }

            total += t.bytes.Length;
        }

        if (WorldSize == 1)
        {
            return;
        }

        CheckSizes(rank, total, "bytes of tensors", nameof(tensors));
        if (rank == root)
        {
            if (_broadcast.Length < total)
            {
                _broadcast = new byte[total];
            }

            var offset = 0;
            foreach (var t in tensors)
            {
                var bytes = t.bytes;
                bytes.CopyTo(_broadcast.AsSpan(offset));
                offset += bytes.Length;
            }
        }

        Arrive(rank, "a broadcast's publish");
        if (rank != root)
        {
            var offset = 0;
            foreach (var t in tensors)
            {
                var bytes = t.bytes;
                _broadcast.AsSpan(offset, bytes.Length).CopyTo(bytes);
                offset += bytes.Length;
            }
        }

        Arrive(rank, "a broadcast's copy");
    }

    private void AllReduce(int rank, Span<double> values, ReduceOp op)
    {
        if (WorldSize == 1)
        {
            return;
        }

        if (_values[rank].Length != values.Length)
        {
            _values[rank] = new double[values.Length];
        }

        values.CopyTo(_values[rank]);
        CheckSizes(rank, values.Length, "values", nameof(values));
        for (var i = 0; i < values.Length; i++)
        {
            var result = _values[0][i];
            for (var r = 1; r < WorldSize; r++)
            {
                result = op == ReduceOp.Max ? Math.Max(result, _values[r][i]) : result + _values[r][i];
            }

            values[i] = result;
        }

        // The slots are read by every rank: none may write its next values before all have read.
        Arrive(rank, "an all-reduce's read");
    }

    /// <summary>Copies the flattened gradients' elements [offset, offset + buffer.Length) to or from <paramref name="buffer"/>.</summary>
    private static void Copy(IReadOnlyList<torch.Tensor> gradients, long offset, Span<float> buffer, bool toTensors)
    {
        long position = 0;
        var end = offset + buffer.Length;
        foreach (var g in gradients)
        {
            var n = g.numel();
            var from = Math.Max(offset, position);
            var to = Math.Min(end, position + n);
            if (from < to)
            {
                var data = MemoryMarshal.Cast<byte, float>(g.bytes).Slice((int)(from - position), (int)(to - from));
                var part = buffer.Slice((int)(from - offset), (int)(to - from));
                if (toTensors)
                {
                    part.CopyTo(data);
                }
                else
                {
                    data.CopyTo(part);
                }
            }

            position += n;
            if (position >= end)
            {
                break;
            }
        }
    }

    private sealed class Reducer(InProcessReducerGroup group, int rank) : IGradientReducer
    {
        public int Rank => rank;

        public int WorldSize => group.WorldSize;

        public void AverageInPlace(IReadOnlyList<torch.Tensor> gradients) => group.AverageInPlace(rank, gradients);

        public void BroadcastInPlace(IReadOnlyList<torch.Tensor> tensors, int root) => group.BroadcastInPlace(rank, tensors, root);

        public void AllReduce(Span<double> values, ReduceOp op) => group.AllReduce(rank, values, op);

        public void Dispose()
        {
        }
    }
}
