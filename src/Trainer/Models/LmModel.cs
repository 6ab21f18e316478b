using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>lm_transformer</c>: the peer's byte-level causal <c>LM</c>: Embedding(256, 128) plus a learned position
/// embedding (1, 128, 128) initialised to zeros, four causal pre-LN encoder blocks (4 heads, MLP 512), a final layer
/// norm, and logits through the tied output embedding (<c>h · embᵀ</c>); 842,496 parameters; context 128.
/// The variant <c>lm_transformer_post_ln</c> uses post-LN blocks (as <c>wmt_post_ln</c>).
/// </summary>
public sealed class LmModel : WorkloadModel
{
    /// <summary>Context length (tokens per sequence).</summary>
    public const int Context = 128;

    /// <summary>Vocabulary size (bytes).</summary>
    public const int Vocabulary = 256;

    private const long Dim = 128;
    private readonly Embedding _emb;
    private readonly Parameter _pos;
    private readonly Sequential _blocks;
    private readonly LayerNorm _ln;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/> (<c>pos</c> starts at 0).</summary>
    public LmModel(Generator generator, bool postLn = false)
        : base(nameof(LmModel))
    {
        _emb = Layers.Embedding(Vocabulary, Dim, generator);
        _pos = Layers.NewParameter(zeros(1, Context, Dim));
        var blocks = new nn.Module<Tensor, Tensor>[4];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new EncoderBlock(this, Dim, 4, 512, causal: true, postLn, generator);
        }

        _blocks = nn.Sequential(blocks);
        _ln = Layers.LayerNorm(Dim);
        register_module("emb", _emb);
        register_parameter("pos", _pos);
        register_module("blocks", _blocks);
        register_module("ln", _ln);
    }

    /// <inheritdoc />
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var tokens = inputs[0];
        var t = tokens.size(1);
        var pos = t == Context ? _pos : _pos.narrow(1, 0, t);
        var h = _ln.forward(_blocks.forward(_emb.forward(tokens).add_(pos, Scalars.One)));
        return h.matmul(_emb.weight!.t());
    }

    /// <inheritdoc />
    protected override ParameterType? TypeOverride(string name) => name == "pos" ? ParameterType.Embedding : EncoderBlock.TypeOf(name);
}
