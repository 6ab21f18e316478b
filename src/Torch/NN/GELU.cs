namespace AlgoPerf.Torch.NN;

/// <summary>GELU as a module (<c>nn.GELU</c>).</summary>
/// <param name="tanhApproximation">Use the tanh approximation.</param>
public sealed class GELU(bool tanhApproximation = false) : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, tanhApproximation);
}
