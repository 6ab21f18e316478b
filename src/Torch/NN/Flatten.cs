namespace AlgoPerf.Torch.NN;

/// <summary>Flattens dims <paramref name="startDim"/>..<paramref name="endDim"/> (<c>nn.Flatten</c>, default from dim 1).</summary>
/// <param name="startDim">First dim to merge.</param>
/// <param name="endDim">Last dim to merge.</param>
public sealed class Flatten(long startDim = 1, long endDim = -1) : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(startDim, endDim);
    }
}
