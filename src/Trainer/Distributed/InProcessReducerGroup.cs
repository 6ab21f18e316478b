using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// The in-process reducer: the ranks of a gang are threads of one process, so every rank can read and write every
/// rank's tensors, and a collective needs no copies. For an all-reduce every rank publishes where its gradients are;
/// then rank r averages the r-th chunk of every bucket (PyTorch DDP's <c>bucket_cap_mb</c>, 25 MiB by default) over
/// all ranks, summing in rank order and dividing by the world size, and writes the average into every rank's tensors
/// (a reduce-scatter and all-gather in one pass, the k ranks sharing the arithmetic). All ranks end with bit-identical
/// gradients. Two barriers delimit each collective (published; done); a rank that does not arrive within the timeout
/// fails the gang (<see cref="GangFailedException"/>) on every rank that waits, and the group stays failed.
/// </summary>
public sealed class InProcessReducerGroup
{
    /// <summary>PyTorch DDP's default bucket size.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly Published[] _published;
    private readonly Barrier _barrier;
    private readonly TimeSpan _timeout;
    private volatile string? _failure;

    /// <summary>A gang of <paramref name="worldSize"/> ranks.</summary>
    /// <param name="worldSize">Ranks (at least 1).</param>
    /// <param name="timeout">How long a rank waits for the others at each phase before the gang fails.</param>
    /// <param name="bucketBytes">Bytes per bucket (at least one float): the unit whose chunks the ranks share.</param>
    public InProcessReducerGroup(int worldSize, TimeSpan timeout, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, sizeof(float));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        WorldSize = worldSize;
        BucketElements = (int)Math.Min(bucketBytes / sizeof(float), Array.MaxLength);
        _timeout = timeout;
        _published = [.. Enumerable.Range(0, worldSize).Select(_ => new Published())];
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

    /// <summary>
    /// Publishes this rank's buffers and waits for every rank's. Ranks whose sizes differ all refuse, after the second
    /// barrier, so no rank leaves while another still looks at its buffers.
    /// </summary>
    private void Publish(int rank, Published mine, string what, string parameter)
    {
        Arrive(rank, "the publish");
        var size = mine.Total;
        if (_published.Any(p => !p.SameLayout(_published[0])))
        {
            var sizes = string.Join(", ", _published.Select(p => p.Total));
            Arrive(rank, "the size check's end");
            throw new ArgumentException($"rank {rank}: the ranks pass different sizes ({sizes} {what}): every rank must pass the same tensors in the same order", parameter);
        }
    }

    private unsafe void AverageInPlace(int rank, IReadOnlyList<torch.Tensor> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        FlatTensors.RequireCpuFloats(gradients, rank, "in-process", nameof(gradients));

        if (WorldSize == 1)
        {
            return;
        }

        var mine = _published[rank];
        mine.Set(gradients, sizeof(float));
        Publish(rank, mine, "floats of gradients", nameof(gradients));
        var total = mine.Total;
        var scale = 1.0f / WorldSize;
        var sources = new float*[WorldSize];
        for (long bucket = 0; bucket < total; bucket += BucketElements)
        {
            var length = Math.Min(BucketElements, total - bucket);
            var chunk = (length + WorldSize - 1) / WorldSize;
            var start = bucket + Math.Min(length, rank * chunk);
            var end = bucket + Math.Min(length, (rank * chunk) + chunk);

            // The chunk may cross tensor boundaries: walk it in runs that lie inside one tensor on every rank (the
            // ranks' tensors have the same shapes, so their boundaries coincide).
            for (var position = start; position < end;)
            {
                var run = (int)Math.Min(end - position, mine.RunFrom(position));
                for (var r = 0; r < WorldSize; r++)
                {
                    sources[r] = (float*)_published[r].Address(position);
                }

                ReduceRun(sources, run, scale);
                position += run;
            }
        }

        Arrive(rank, "the reduction");
    }

    /// <summary>Element i of every rank's run becomes the rank-order sum of element i over the ranks, times <paramref name="scale"/>.</summary>
    private static unsafe void ReduceRun(float*[] sources, int count, float scale)
    {
        var ranks = sources.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var factor = new Vector<float>(scale);
            for (; i <= count - width; i += width)
            {
                // The same additions in the same order as the scalar loop below, lane by lane: bit-identical results.
                var sum = Vector<float>.Zero;
                for (var r = 0; r < ranks; r++)
                {
                    sum += Unsafe.ReadUnaligned<Vector<float>>(sources[r] + i);
                }

                sum *= factor;
                for (var r = 0; r < ranks; r++)
                {
                    Unsafe.WriteUnaligned(sources[r] + i, sum);
                }
            }
        }

        for (; i < count; i++)
        {
            var sum = 0.0f;
            for (var r = 0; r < ranks; r++)
            {
                sum += sources[r][i];
            }

            sum *= scale;
            for (var r = 0; r < ranks; r++)
            {
                sources[r][i] = sum;
            }
        }
    }

    private unsafe void BroadcastInPlace(int rank, IReadOnlyList<torch.Tensor> tensors, int root)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        FlatTensors.RequireCpu(tensors, rank, "in-process", nameof(tensors));

        if (WorldSize == 1)
        {
            return;
        }

        var mine = _published[rank];
        mine.SetBytes(tensors);
        Publish(rank, mine, "bytes of tensors", nameof(tensors));
        if (rank != root)
        {
            var source = _published[root];
            for (var t = 0; t < mine.Count; t++)
            {
                var length = mine.Length(t);
                new ReadOnlySpan<byte>((void*)source.Pointer(t), (int)length).CopyTo(new Span<byte>((void*)mine.Pointer(t), (int)length));
            }
        }

        Arrive(rank, "the broadcast");
    }

    private unsafe void AllReduce(int rank, Span<double> values, ReduceOp op)
    {
        if (WorldSize == 1)
        {
            return;
        }

        fixed (double* own = values)
        {
            var mine = _published[rank];
            mine.SetValues((IntPtr)own, values.Length);
            Publish(rank, mine, "values", nameof(values));

            // Every rank gathers everyone's published values into a local copy and combines them there, so that no
            // rank writes what another still reads; all get the same rank-order result.
            var gathered = new double[values.Length * WorldSize];
            for (var r = 0; r < WorldSize; r++)
            {
                new ReadOnlySpan<double>((double*)_published[r].Pointer(0), values.Length).CopyTo(gathered.AsSpan(r * values.Length));
            }

            Arrive(rank, "an all-reduce's read");
            RankOrder.Combine(gathered, values, WorldSize, op);
        }
    }

    /// <summary>Where one rank's buffers of the current collective are: pointers and lengths (in elements of the collective's unit).</summary>
    private sealed class Published
    {
        private IntPtr[] _pointers = new IntPtr[16];
        private long[] _ends = new long[16];
        private int _elementSize = 1;

        public int Count { get; private set; }

        public long Total { get; private set; }

        public void Set(IReadOnlyList<torch.Tensor> tensors, int elementSize)
        {
            Resize(tensors.Count);
            _elementSize = elementSize;
            long total = 0;
            for (var i = 0; i < tensors.Count; i++)
            {
                var bytes = tensors[i].bytes;
                _pointers[i] = PointerOf(bytes);
                total += bytes.Length / elementSize;
                _ends[i] = total;
            }

            Count = tensors.Count;
            Total = total;
        }

        public void SetBytes(IReadOnlyList<torch.Tensor> tensors) => Set(tensors, 1);

        public void SetValues(IntPtr values, int count)
        {
            Resize(1);
            _elementSize = sizeof(double);
            _pointers[0] = values;
            _ends[0] = count;
            Count = 1;
            Total = count;
        }

        public IntPtr Pointer(int index) => _pointers[index];

        /// <summary>The same buffers' lengths, in the same order, as <paramref name="other"/>.</summary>
        public bool SameLayout(Published other) =>
            Total == other.Total && Count == other.Count && _ends.AsSpan(0, Count).SequenceEqual(other._ends.AsSpan(0, Count));

        public long Length(int index) => (_ends[index] - (index == 0 ? 0 : _ends[index - 1])) * _elementSize;

        /// <summary>The address of element <paramref name="position"/> of the flattened buffers.</summary>
        public IntPtr Address(long position)
        {
            var index = IndexOf(position);
            var start = index == 0 ? 0 : _ends[index - 1];
            return _pointers[index] + (nint)((position - start) * _elementSize);
        }

        /// <summary>Elements from <paramref name="position"/> to the end of the buffer it lies in.</summary>
        public long RunFrom(long position) => _ends[IndexOf(position)] - position;

        private int IndexOf(long position)
        {
            var index = Array.BinarySearch(_ends, 0, Count, position);

            // An exact hit is the end of buffer 'index', so the position starts the next one; empty buffers are skipped.
            index = index >= 0 ? index + 1 : ~index;
            while (index < Count - 1 && _ends[index] == position)
            {
                index++;
            }

            return index;
        }

        private void Resize(int count)
        {
            if (_pointers.Length < count)
            {
                _pointers = new IntPtr[count];
                _ends = new long[count];
            }
        }

        private static unsafe IntPtr PointerOf(Span<byte> bytes) => (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
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
