namespace AlgoPerf.Torch.NN;

/// <summary>Layer normalisation over the trailing dims (<c>nn.LayerNorm</c>): scale 1, shift 0.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly long[] _shape;

    /// <summary>Creates the layer over the trailing dims <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        _shape = (long[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(_shape), ParameterType.LayerNormScale);
            Bias = RegisterParameter("bias", Tensor.Zeros(_shape), ParameterType.LayerNormBias);
        }
    }

    /// <summary>Creates the layer over the last dim of size <paramref name="features"/>.</summary>
    public LayerNorm(long features, double eps = 1e-5)
        : this([features], eps)
    {
    }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>The scale, or null without affine parameters.</summary>
    public Parameter? Weight { get; }

    /// <summary>The shift, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, _shape, Weight?.Tensor, Bias?.Tensor, Eps);
}
