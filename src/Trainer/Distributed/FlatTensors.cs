using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// Contiguous CPU tensors seen as one flat run of bytes, in list order (DDP's flattened bucket view): the reducers
/// that move buckets through a buffer copy byte ranges of that run in and out, and all-reduce a range in place when
/// it lies inside one tensor.
/// </summary>
internal static class FlatTensors
{
    /// <summary>Refuses gradients that are not contiguous float32 CPU tensors; returns their floats in all.</summary>
    /// <exception cref="ArgumentException">A gradient that is not, named with its dtype, device and layout.</exception>
    public static long RequireCpuFloats(IReadOnlyList<torch.Tensor> gradients, int rank, string reducer, string parameter)
    {
        long total = 0;
        foreach (var g in gradients)
        {
            if (g.dtype != torch.ScalarType.Float32 || g.device_type != DeviceType.CPU || !g.is_contiguous())
            {
                throw new ArgumentException($"rank {rank}: the {reducer} reducer averages contiguous float32 CPU tensors (got {g.dtype} on {g.device}, contiguous: {g.is_contiguous()})", parameter);
            }

            total += g.numel();
        }

        return total;
    }

    /// <summary>Refuses tensors that are not contiguous CPU tensors (of any dtype).</summary>
    /// <exception cref="ArgumentException">A tensor that is not, named with its dtype, device and layout.</exception>
    public static void RequireCpu(IReadOnlyList<torch.Tensor> tensors, int rank, string reducer, string parameter)
    {
        foreach (var t in tensors)
        {
            if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            {
                throw new ArgumentException($"rank {rank}: the {reducer} reducer broadcasts contiguous CPU tensors (got {t.dtype} on {t.device}, contiguous: {t.is_contiguous()})", parameter);
            }
        }
    }

    /// <summary>The tensors' bytes in all.</summary>
    public static long Bytes(IReadOnlyList<torch.Tensor> tensors)
    {
        long total = 0;
        foreach (var t in tensors)
        {
            total += t.numel() * t.ElementSize;
        }

        return total;
    }

    /// <summary>The flat bytes [offset, offset + length) as one span, when they lie inside one tensor.</summary>
    public static bool TryGetSingle(IReadOnlyList<torch.Tensor> tensors, long offset, int length, out Span<byte> span)
    {
        long position = 0;
        foreach (var t in tensors)
        {
            var size = t.numel() * t.ElementSize;
            if (offset < position + size)
            {
                if (offset + length <= position + size)
                {
                    span = t.bytes.Slice((int)(offset - position), length);
                    return true;
                }

                break;
            }

            position += size;
        }

        span = default;
        return false;
    }

    /// <summary>Copies the flat bytes [offset, offset + buffer.Length) to or from <paramref name="buffer"/>.</summary>
    public static void Copy(IReadOnlyList<torch.Tensor> tensors, long offset, Span<byte> buffer, bool toTensors)
    {
        long position = 0;
        var end = offset + buffer.Length;
        foreach (var t in tensors)
        {
            var size = t.numel() * t.ElementSize;
            var from = Math.Max(offset, position);
            var to = Math.Min(end, position + size);
            if (from < to)
            {
                var data = t.bytes.Slice((int)(from - position), (int)(to - from));
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

            position += size;
            if (position >= end)
            {
                break;
            }
        }
    }
}
