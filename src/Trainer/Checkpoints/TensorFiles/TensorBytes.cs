using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// Dtype-agnostic raw copies between tensors and memory (the element bytes exactly as LibTorch holds them,
/// little-endian on every platform we run on), used by <see cref="TensorFile"/>. A tensor on another device or not
/// contiguous is copied to a contiguous CPU tensor first.
/// </summary>
internal static class TensorBytes
{
    /// <summary>Bytes per element of <paramref name="dtype"/>, or 0 for a dtype tensor files do not store.</summary>
    internal static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Bool or ScalarType.Byte or ScalarType.Int8 => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => 0,
    };

    /// <summary>
    /// The tensor's elements as a contiguous CPU tensor (the tensor itself when it already is one, else a copy in the
    /// current dispose scope), whose <c>bytes</c> are the elements row-major in its own dtype.
    /// </summary>
    internal static Tensor Host(Tensor tensor) => tensor.detach().cpu().contiguous();

    /// <summary>A new CPU tensor of <paramref name="dtype"/> whose element bytes are <paramref name="bytes"/>.</summary>
    internal static Tensor FromBytes(ReadOnlySpan<byte> bytes, long[] shape, ScalarType dtype)
    {
        long numel = 1;
        foreach (var d in shape)
        {
            numel = checked(numel * d);
        }

        if (numel * ElementSize(dtype) != bytes.Length)
        {
            throw new ArgumentException($"{bytes.Length} bytes do not hold a {dtype} tensor of shape [{string.Join(", ", shape)}]", nameof(bytes));
        }

        var tensor = empty(shape, dtype);
        bytes.CopyTo(tensor.bytes);
        return tensor;
    }

    /// <summary>The tensor's element bytes.</summary>
    internal static byte[] ToBytes(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return Host(tensor).bytes.ToArray();
    }
}
