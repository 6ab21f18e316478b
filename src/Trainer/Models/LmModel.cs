using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>lm_transformer</c>: the peer's byte-level causal <c>LM</c>: Embedding(256, 128) plus a learned position
/// embedding (1, 128, 128) initialised to zeros, four causal pre-LN encoder blocks (4 heads, MLP 512), a final layer
/// norm, and logits through the tied output embedding (<c>h · embᵀ</c>); 842,496 parameters; context 128.
/// The variant <c>lm_transformer_post_ln</c> uses post-LN blocks (as <c>wmt_post_ln</c>).
/// </summary>
public sealed class LmModel : WorkloadModel
{
    /// <summary>Positions per example.</summary>
    public const int Context = 128;

    /// <summary>Vocabulary size (bytes).</summary>
    public const int Vocabulary = 256;

    private const long Dim = 128;
    private readonly Embedding _emb;
    private readonly Parameter _pos;
    private readonly Sequential _blocks;
    private readonly LayerNorm _ln;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public LmModel(Generator generator, bool postLn = false)
    {
        _emb = RegisterModule("emb", new Embedding(Vocabulary, Dim, generator));
        _pos = RegisterParameter("pos", Tensor.Zeros([1, Context, Dim]), ParameterType.Embedding);
        var blocks = new Module<Tensor, Tensor>[4];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new EncoderBlock(this, Dim, 4, 512, Context, causal: true, postLn, generator);
        }

        _blocks = RegisterModule("blocks", new Sequential(blocks));
        _ln = RegisterModule("ln", new LayerNorm(Dim));
    }

    /// <inheritdoc />
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var tokens = inputs[0];
        var t = tokens.Size(1);
        var pos = t == Context ? _pos.Tensor : _pos.Tensor.Narrow(1, 0, t);
        var h = _ln.Forward(_blocks.Forward(_emb.Forward(tokens).Add_(pos)));
        return h.MatMul(_emb.Weight.Tensor.T());
    }
}
