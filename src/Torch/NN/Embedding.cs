namespace AlgoPerf.Torch.NN;

/// <summary>A lookup table (<c>nn.Embedding</c>) initialised from N(0, 1) as PyTorch.</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    /// <summary>Creates a table of <paramref name="count"/> rows of <paramref name="dim"/> values.</summary>
    public Embedding(long count, long dim, Generator? generator = null)
    {
        Weight = RegisterParameter("weight", Tensor.Empty([count, dim]), ParameterType.Embedding);
        Init.Normal_(Weight.Tensor, 0, 1, generator);
    }

    /// <summary>The (count, dim) table.</summary>
    public Parameter Weight { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight.Tensor);
}
