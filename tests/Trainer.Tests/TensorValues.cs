using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests;

/// <summary>Reading a tensor's elements in the tests.</summary>
internal static class TensorValues
{
    /// <summary>The tensor's elements, row-major, as <typeparamref name="T"/> (which must be its dtype's element type).</summary>
    public static T[] ToArray<T>(this Tensor tensor)
        where T : unmanaged
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().contiguous().data<T>().ToArray();
    }
}
