using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// One rank's end of a gang whose ranks are processes, on one host or several: PyTorch DDP's Gloo process group, on
/// CPU tensors. The ranks connect through a rendezvous store (<see cref="GlooStoreServer"/>, hosted by rank 0), then
/// talk over a full mesh of TCP connections (Gloo's TCP transport, through <c>libalgoperf_gloo.so</c>, native/gloo/).
/// <para>
/// <see cref="AverageInPlace"/> works bucket by bucket, as DDP (<c>bucket_cap_mb</c>, 25 MiB by default): a bucket
/// that lies inside one tensor is all-reduced in that tensor's memory; one that spans tensors is copied into a pinned
/// buffer, all-reduced and copied back. Gloo's ring all-reduce sums each chunk once and sends the sum to every rank,
/// so every rank ends with bit-identical gradients; with two ranks they equal the in-process reducer's rank-order
/// average, with more the summation order differs from rank order (within rounding of it).
/// <see cref="AllReduce"/> gathers every rank's values and combines them in rank order on each rank, exactly as the
/// in-process reducer. Every collective first gathers the ranks' sizes, so ranks that pass different sizes all refuse
/// (<see cref="ArgumentException"/>) before any data moves.
/// </para>
/// <para>
/// A collective that fails (a peer closed its connection because it died, or did not answer within the timeout)
/// throws <see cref="GangFailedException"/> naming this rank, the operation and Gloo's reason (the peer's address or
/// the timeout), and the reducer stays failed: the trial resumes from its checkpoint on a new gang. One thread uses a
/// reducer at a time (the rank's trial thread).
/// </para>
/// </summary>
public sealed partial class GlooReducer : IGradientReducer
{
    /// <summary>PyTorch DDP's default bucket size.</summary>
    public const long DefaultBucketBytes = InProcessReducerGroup.DefaultBucketBytes;

    private readonly GlooContextHandle? _context;
    private readonly string _gangId;
    private readonly TimeSpan _timeout;
    private readonly int _bucketBytes;
    private readonly long[] _sizes;
    private byte[] _bucket = [];
    private string? _failure;
    private bool _disposed;

    private GlooReducer(GlooContextHandle? context, int rank, int worldSize, string gangId, TimeSpan timeout, int bucketBytes)
    {
        _context = context;
        Rank = rank;
        WorldSize = worldSize;
        _gangId = gangId;
        _timeout = timeout;
        _bucketBytes = bucketBytes;
        _sizes = new long[worldSize];
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int WorldSize { get; }

    /// <summary>True once a collective failed: every later collective throws the same <see cref="GangFailedException"/>.</summary>
    public bool HasFailed => _failure is not null;

    /// <summary>
    /// Connects rank <paramref name="rank"/> of a gang of <paramref name="worldSize"/>: publishes this rank's
    /// addresses in the store under keys that start with <paramref name="gangId"/>, reads the others', and connects to
    /// every other rank. Returns when this rank is connected to all others; blocks until then.
    /// </summary>
    /// <param name="rank">This rank (0-based).</param>
    /// <param name="worldSize">Ranks in the gang (1: no connections; every collective returns at once).</param>
    /// <param name="storeAddress">The rendezvous store's <see cref="GlooStoreServer.Address"/> ("host:port"), from rank 0.</param>
    /// <param name="gangId">The gang attempt's id, the same on every rank and new for every attempt: the store refuses a key set twice.</param>
    /// <param name="bindHost">An IP address (or host name) of this machine that the other ranks reach; Gloo's TCP transport listens there on free ports.</param>
    /// <param name="timeout">Bounds each wait of the connection (for the store, for each peer) and every later collective.</param>
    /// <param name="bucketBytes">Bytes per bucket of <see cref="AverageInPlace"/> (at least one float).</param>
    /// <exception cref="GangFailedException">The store could not be reached, a rank did not connect within the timeout, or a connection broke.</exception>
    /// <exception cref="DllNotFoundException"><c>libalgoperf_gloo.so</c> or Gloo itself could not be loaded.</exception>
    public static unsafe GlooReducer Connect(
        int rank, int worldSize, string storeAddress, string gangId, string bindHost, TimeSpan timeout, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        ArgumentException.ThrowIfNullOrEmpty(gangId);
        ArgumentException.ThrowIfNullOrEmpty(bindHost);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, TimeSpan.FromMilliseconds(int.MaxValue));
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, sizeof(float));
        var bucket = (int)Math.Min(bucketBytes, Array.MaxLength) / sizeof(float) * sizeof(float);
        if (worldSize == 1)
        {
            return new GlooReducer(null, rank, worldSize, gangId, timeout, bucket);
        }

        var (host, port) = ParseAddress(storeAddress);
        var error = stackalloc byte[GlooNative.ErrorBytes];
        GlooContextHandle context;
        int code;
        try
        {
            code = GlooNative.Connect(rank, worldSize, host, port, gangId, bindHost, (long)timeout.TotalMilliseconds, out context, error, GlooNative.ErrorBytes);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"the Gloo reducer needs {DistributedLibraries.GlooPath}, which the build of AlgoPerf.Trainer makes from native/gloo/ "
                + $"and which needs Gloo (libgloo.so.0, Debian package libgloo-dev: scripts/bootstrap.sh): {e.Message}", e);
        }

        if (code != GlooNative.Ok)
        {
            var message = Clean(GlooNative.Message(error));
            context.Dispose();
            if (code == GlooNative.InvalidArgument)
            {
                throw new ArgumentException($"rank {rank}: {message}");
            }

            throw new GangFailedException(
                $"rank {rank} of gang {gangId} ({worldSize} ranks) could not connect through the rendezvous store at {storeAddress} "
                + $"within its timeout of {Seconds(timeout)} s: {message}");
        }

        return new GlooReducer(context, rank, worldSize, gangId, timeout, bucket);
    }

    /// <inheritdoc/>
    public unsafe void AverageInPlace(IReadOnlyList<torch.Tensor> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ThrowIfUnusable();
        var total = FlatTensors.RequireCpuFloats(gradients, Rank, "Gloo", nameof(gradients));

        if (WorldSize == 1)
        {
            return;
        }

        CheckSizes(total, "floats of gradients", nameof(gradients));
        var scale = 1.0f / WorldSize;
        OverBuckets(gradients, total * sizeof(float), copyIn: true, copyBack: true, "a bucket's all-reduce", (data, length, error) =>
            GlooNative.AllReduceF32(_context!, (float*)data, (nuint)(length / sizeof(float)), scale, error, GlooNative.ErrorBytes));
    }

    /// <inheritdoc/>
    public unsafe void BroadcastInPlace(IReadOnlyList<torch.Tensor> tensors, int root)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        ThrowIfUnusable();
        FlatTensors.RequireCpu(tensors, Rank, "Gloo", nameof(tensors));

        if (WorldSize == 1)
        {
            return;
        }

        var total = FlatTensors.Bytes(tensors);
        CheckSizes(total, "bytes of tensors", nameof(tensors));
        OverBuckets(tensors, total, copyIn: Rank == root, copyBack: Rank != root, "a broadcast", (data, length, error) =>
            GlooNative.Broadcast(_context!, data, (nuint)length, root, error, GlooNative.ErrorBytes));
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

        var all = new double[values.Length * WorldSize];
        AllGather(MemoryMarshal.AsBytes(values), MemoryMarshal.AsBytes(all.AsSpan()), "an all-reduce of values");
        RankOrder.Combine(all, values, WorldSize, op);
    }

    /// <summary>Closes this rank's connections (the other ranks' next collective fails).</summary>
    public void Dispose()
    {
        _disposed = true;
        _context?.Dispose();
    }

    // Every rank states its size before any data moves: ranks that disagree all refuse, in the same collective.
    private void CheckSizes(long size, string what, string parameter)
    {
        Span<long> mine = [size];
        AllGather(MemoryMarshal.AsBytes(mine), MemoryMarshal.AsBytes(_sizes.AsSpan()), "the size check");
        if (_sizes.Any(s => s != size))
        {
            throw new ArgumentException($"rank {Rank}: the ranks pass different sizes ({string.Join(", ", _sizes)} {what}): every rank must pass the same tensors in the same order", parameter);
        }
    }

    private unsafe void AllGather(ReadOnlySpan<byte> input, Span<byte> output, string operation)
    {
        var error = stackalloc byte[GlooNative.ErrorBytes];
        int code;
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            code = GlooNative.AllGather(_context!, i, o, (nuint)input.Length, error, GlooNative.ErrorBytes);
        }

        Check(code, error, operation);
    }

    /// <summary>
    /// Runs a collective over the tensors' flat bytes, bucket by bucket: in a tensor's own memory where the bucket lies
    /// inside one tensor, else through the pinned bucket buffer (filled from the tensors when <paramref name="copyIn"/>,
    /// copied back after a success when <paramref name="copyBack"/>).
    /// </summary>
    private unsafe void OverBuckets(IReadOnlyList<torch.Tensor> tensors, long totalBytes, bool copyIn, bool copyBack, string operation, Collective collective)
    {
        var error = stackalloc byte[GlooNative.ErrorBytes];
        for (long offset = 0; offset < totalBytes; offset += _bucketBytes)
        {
            var length = (int)Math.Min(_bucketBytes, totalBytes - offset);
            int code;
            if (FlatTensors.TryGetSingle(tensors, offset, length, out var inside))
            {
                fixed (byte* data = inside)
                {
                    code = collective(data, length, error);
                }
            }
            else
            {
                var bucket = Bucket(length);
                if (copyIn)
                {
                    FlatTensors.Copy(tensors, offset, bucket, toTensors: false);
                }

                fixed (byte* data = bucket)
                {
                    code = collective(data, length, error);
                }

                if (code == GlooNative.Ok && copyBack)
                {
                    FlatTensors.Copy(tensors, offset, bucket, toTensors: true);
                }
            }

            Check(code, error, operation);
        }
    }

    private byte[] Bucket(int length)
    {
        if (_bucket.Length < length)
        {
            _bucket = GC.AllocateUninitializedArray<byte>(length, pinned: true);
        }

        return _bucket;
    }

    private unsafe void Check(int code, byte* error, string operation)
    {
        if (code == GlooNative.Ok)
        {
            return;
        }

        _failure = $"rank {Rank} of gang {_gangId} ({WorldSize} ranks): {operation} failed (timeout {Seconds(_timeout)} s): "
            + $"{Clean(GlooNative.Message(error))}; a rank died, hangs or lost its connection";
        throw new GangFailedException(_failure);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is { } failed)
        {
            throw new GangFailedException(failed);
        }
    }

    private static (string Host, int Port) ParseAddress(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"the rendezvous store's address must be host:port (got '{address}')", nameof(address));
        }

        var host = address[..colon];
        return (host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host, port);
    }

    // Gloo prefixes its messages with its source position ("[/build/.../pair.cc:598] "), which says nothing to a user.
    private static string Clean(string message) => SourcePosition().Replace(message, string.Empty);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>One native collective on <paramref name="length"/> bytes at <paramref name="data"/>: Gloo's return code, its message in <paramref name="error"/>.</summary>
    private unsafe delegate int Collective(byte* data, int length, byte* error);

    [GeneratedRegex(@"\[[^\[\]]*\.(cc|h|cpp):\d+\] ")]
    private static partial Regex SourcePosition();
}
