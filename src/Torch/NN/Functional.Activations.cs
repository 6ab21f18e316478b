using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.NN;

public static partial class Functional
{
    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor input) => NotNull(input).Relu();

    /// <summary>GELU, exact (erf) or with the tanh approximation.</summary>
    public static Tensor Gelu(Tensor input, bool tanhApproximation = false) => NotNull(input).Gelu(tanhApproximation);

    /// <summary>x * sigmoid(x).</summary>
    public static Tensor Silu(Tensor input) => NotNull(input).Silu();

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor input) => NotNull(input).Tanh();

    /// <summary>Logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor input) => NotNull(input).Sigmoid();

    /// <summary>max(x, 0) + slope * min(x, 0).</summary>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01)
    {
        ArgumentNullException.ThrowIfNull(input);
        var status = NativeMethods.ats_nn_leaky_relu(input.Handle, negativeSlope, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_leaky_relu));
    }

    /// <summary>Softmax along <paramref name="dim"/>, optionally computed in <paramref name="dtype"/>.</summary>
    public static Tensor Softmax(Tensor input, long dim, ScalarType? dtype = null) => SoftmaxCall(0, input, dim, dtype);

    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public static Tensor LogSoftmax(Tensor input, long dim, ScalarType? dtype = null) => SoftmaxCall(1, input, dim, dtype);

    /// <summary>
    /// Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> (drawn from
    /// <paramref name="generator"/>) and scales the rest by 1 / (1 - p); outside training returns the input (as a new handle).
    /// </summary>
    public static Tensor Dropout(Tensor input, double p, bool training, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var status = NativeMethods.ats_nn_dropout(input.Handle, training ? p : 0, Generator.HandleOf(generator), out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_dropout));
    }

    private static Tensor SoftmaxCall(int kind, Tensor input, long dim, ScalarType? dtype)
    {
        ArgumentNullException.ThrowIfNull(input);
        var status = NativeMethods.ats_nn_softmax(kind, input.Handle, dim, dtype is null ? -1 : (int)dtype.Value, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_softmax));
    }

    private static Tensor NotNull(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }
}
