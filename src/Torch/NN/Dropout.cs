namespace AlgoPerf.Torch.NN;

/// <summary>Dropout as a module (<c>nn.Dropout</c>), active in training mode, drawing from <paramref name="generator"/>.</summary>
/// <param name="p">Probability of zeroing an element; settable (AlgoPerf v0.6 passes the rate per call).</param>
/// <param name="generator">The generator masks are drawn from; null: libtorch's default one.</param>
public sealed class Dropout(double p = 0.5, Generator? generator = null) : Module<Tensor, Tensor>
{
    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; set; } = p;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, IsTraining, generator);
}
