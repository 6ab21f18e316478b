using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

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

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/> (<c>pos</c> starts at 0).</summary>
    public VitModel(Generator generator, bool postLn = false)
        : base(nameof(VitModel))
    {
        _patch = Layers.Conv2d(1, Dim, 4, generator, stride: 4);
        _pos = Layers.NewParameter(zeros(1, 49, Dim));
        var blocks = new nn.Module<Tensor, Tensor>[4];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new EncoderBlock(this, Dim, 4, 256, causal: false, postLn, generator);
        }

        _blocks = nn.Sequential(blocks);
        _ln = Layers.LayerNorm(Dim);
        _head = Layers.Linear(Dim, 10, generator);
        register_module("patch", _patch);
        register_parameter("pos", _pos);
        register_module("blocks", _blocks);
        register_module("ln", _ln);
        register_module("head", _head);
    }

    /// <inheritdoc />
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var x = _patch.forward(inputs[0]).flatten(2).transpose(1, 2).add(_pos, Scalars.One);
        return _head.forward(_ln.forward(_blocks.forward(x)).mean([1]));
    }

    /// <inheritdoc />
    protected override ParameterType? TypeOverride(string name) => name == "pos" ? ParameterType.Embedding : EncoderBlock.TypeOf(name);
}
