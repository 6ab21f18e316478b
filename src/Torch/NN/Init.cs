namespace AlgoPerf.Torch.NN;

/// <summary>
/// Parameter initialisation as <c>torch.nn.init</c>, drawing from an explicit <see cref="Generator"/>. The module
/// defaults (<see cref="Linear"/>, <see cref="Conv2d"/>) use <see cref="KaimingUniform_"/> with <c>a = sqrt(5)</c>,
/// which gives PyTorch's uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights.
/// </summary>
public static class Init
{
    /// <summary>In place: uniform(-bound, bound) with bound = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + a^2)) (leaky ReLU).</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, _) = Fans(tensor);
        var gain = Math.Sqrt(2.0 / (1 + (a * a)));
        var bound = gain * Math.Sqrt(3.0 / fanIn);
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>In place: normal(0, std) with std = gain / sqrt(fan_in).</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, _) = Fans(tensor);
        var std = Math.Sqrt(2.0 / (1 + (a * a))) / Math.Sqrt(fanIn);
        return Normal_(tensor, 0, std, generator);
    }

    /// <summary>In place: uniform(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = Fans(tensor);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>In place uniform(from, to) without recording autograd.</summary>
    public static Tensor Uniform_(Tensor tensor, double from, double to, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var noGrad = TorchRuntime.NoGrad();
        return tensor.Uniform_(from, to, generator);
    }

    /// <summary>In place normal(mean, std) without recording autograd.</summary>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var noGrad = TorchRuntime.NoGrad();
        return tensor.Normal_(mean, std, generator);
    }

    /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field (the product of dims 2..).</summary>
    public static (long FanIn, long FanOut) Fans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = tensor.Shape;
        if (shape.Length < 2)
        {
            throw new ArgumentException($"fan in and fan out need at least 2 dims, got [{string.Join(", ", shape)}]", nameof(tensor));
        }

        long receptive = 1;
        for (var i = 2; i < shape.Length; i++)
        {
            receptive *= shape[i];
        }

        return (shape[1] * receptive, shape[0] * receptive);
    }
}
