namespace AlgoPerf.Torch.NN;

/// <summary>
/// A trainable tensor of a <see cref="Module"/> (<c>nn.Parameter</c>): a leaf that requires grad, owned by its module
/// (never by a <see cref="DisposeScope"/>), with its AlgoPerf <see cref="ParameterType"/>.
/// </summary>
public sealed class Parameter
{
    /// <summary>Wraps <paramref name="tensor"/> (taking ownership: it is moved out of any dispose scope).</summary>
    public Parameter(Tensor tensor, ParameterType type)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Tensor = tensor.DetachFromScope();
        Tensor.RequiresGrad = true;
        Type = type;
    }

    /// <summary>The parameter's value; update it in place (under <see cref="TorchRuntime.NoGrad"/>) in optimizers.</summary>
    public Tensor Tensor { get; }

    /// <summary>The AlgoPerf kind of this parameter.</summary>
    public ParameterType Type { get; }

    /// <summary>The accumulated gradient, or null (see <see cref="Torch.Tensor.Grad"/>).</summary>
    public Tensor? Grad
    {
        get => Tensor.Grad;
        set => Tensor.Grad = value;
    }

    /// <summary>The parameter's shape.</summary>
    public long[] Shape => Tensor.Shape;

    /// <summary>The parameter's tensor (for functional calls).</summary>
    public static implicit operator Tensor(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Tensor;
    }

    /// <summary>The parameter's tensor (named form of the implicit conversion).</summary>
    public Tensor ToTensor() => Tensor;
}
