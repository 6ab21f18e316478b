namespace AlgoPerf.Torch.NN;

/// <summary>A 2-d transposed convolution (<c>nn.ConvTranspose2d</c>) with PyTorch's default initialisation.</summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    private readonly (long H, long W) _stride;
    private readonly (long H, long W) _padding;
    private readonly (long H, long W) _outputPadding;

    /// <summary>Creates the layer with a square kernel.</summary>
    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0,
        bool bias = true, Generator? generator = null)
    {
        _stride = (stride, stride);
        _padding = (padding, padding);
        _outputPadding = (outputPadding, outputPadding);
        Weight = RegisterParameter("weight", Tensor.Empty([inChannels, outChannels, kernelSize, kernelSize]), ParameterType.ConvWeight);
        Init.KaimingUniform_(Weight.Tensor, Math.Sqrt(5), generator);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Empty([outChannels]), ParameterType.Bias);
            var fanIn = Init.Fans(Weight.Tensor).FanIn;
            var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(Bias.Tensor, -bound, bound, generator);
        }
    }

    /// <summary>The (in, out, k, k) kernel.</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        Functional.ConvTranspose2d(input, Weight.Tensor, Bias?.Tensor, _stride, _padding, _outputPadding);
}
