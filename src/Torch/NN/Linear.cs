namespace AlgoPerf.Torch.NN;

/// <summary>A dense layer <c>y = x W^T + b</c> (<c>nn.Linear</c>), initialised as PyTorch does, from an explicit generator.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer; <paramref name="weightType"/> lets attention projections carry their AlgoPerf kind.</summary>
    public Linear(long inFeatures, long outFeatures, bool bias = true, Generator? generator = null, ParameterType weightType = ParameterType.Weight,
        ParameterType biasType = ParameterType.Bias)
    {
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]), weightType);
        Init.KaimingUniform_(Weight.Tensor, Math.Sqrt(5), generator);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Empty([outFeatures]), biasType);
            var bound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            Init.Uniform_(Bias.Tensor, -bound, bound, generator);
        }
    }

    /// <summary>The (out, in) weight.</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight.Tensor, Bias?.Tensor);
}
