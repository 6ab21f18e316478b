using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>fmnist_vit</c>: the peer's <c>ViT</c>: 4×4 patches by a strided conv (1→64), a learned position embedding
/// (1, 49, 64) initialised to zeros, four pre-LN encoder blocks (4 heads, MLP 256), a final layer norm, mean pooling
/// and Linear(64, 10); 204,938 parameters. The variant <c>fmnist_vit_post_ln</c> uses post-LN blocks
/// (as <c>imagenet_vit_post_ln</c>).
/// </summary>
public sealed class VitModel : WorkloadModel
{
    private const long Dim = 64;
    private readonly Conv2d _patch;
    private readonly Parameter _pos;
    private readonly Sequential _blocks;
    private readonly LayerNorm _ln;
    private readonly Linear _head;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public VitModel(Generator generator, bool postLn = false)
    {
        _patch = RegisterModule("patch", new Conv2d(1, Dim, 4, 4, generator: generator));
        _pos = RegisterParameter("pos", Tensor.Zeros([1, 49, Dim]), ParameterType.Embedding);
        var blocks = new Module<Tensor, Tensor>[4];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new EncoderBlock(this, Dim, 4, 256, 49, causal: false, postLn, generator);
        }

        _blocks = RegisterModule("blocks", new Sequential(blocks));
        _ln = RegisterModule("ln", new LayerNorm(Dim));
        _head = RegisterModule("head", new Linear(Dim, 10, generator: generator));
    }

    /// <inheritdoc />
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var x = _patch.Forward(inputs[0]).Flatten(2).Transpose(1, 2).Add(_pos.Tensor);
        return _head.Forward(_ln.Forward(_blocks.Forward(x)).Mean(1));
    }
}
