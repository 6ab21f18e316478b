using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// The peer's <c>EncoderBlock</c>: multi-head self-attention through one fused QKV projection, then a GELU MLP, each
/// with a residual. Pre-LN (the peer): <c>x + proj(attn(ln1(x)))</c>, then <c>x + fc2(gelu(fc1(ln2(x))))</c>.
/// Post-LN (the <c>_post_ln</c> variants, as <c>wmt_post_ln</c>): <c>ln1(x + proj(attn(x)))</c>, then
/// <c>ln2(x + fc2(gelu(fc1(x))))</c>, with the same parameters. Causal blocks mask future positions with −∞.
/// Dropout (when the call's rate is above 0) applies to the attention output and the MLP output before each residual.
/// </summary>
public sealed class EncoderBlock : nn.Module<Tensor, Tensor>
{
    private readonly WorkloadModel _owner;
    private readonly long _heads;
    private readonly bool _postLn;
    private readonly bool _causal;
    private readonly double _scale;
    private readonly LayerNorm _ln1;
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly LayerNorm _ln2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    /// <summary>Creates the block, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public EncoderBlock(WorkloadModel owner, long dim, long heads, long mlpDim, bool causal, bool postLn, Generator generator)
        : base(nameof(EncoderBlock))
    {
        _owner = owner;
        _heads = heads;
        _postLn = postLn;
        _ln1 = Layers.LayerNorm(dim);
        _qkv = Layers.Linear(dim, 3 * dim, generator);
        _proj = Layers.Linear(dim, dim, generator);
        _ln2 = Layers.LayerNorm(dim);
        _fc1 = Layers.Linear(dim, mlpDim, generator);
        _fc2 = Layers.Linear(mlpDim, dim, generator);
        register_module("ln1", _ln1);
        register_module("qkv", _qkv);
        register_module("proj", _proj);
        register_module("ln2", _ln2);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
        _causal = causal;
        _scale = 1 / Math.Sqrt(dim / heads);
    }

    /// <summary>
    /// The AlgoPerf type of a parameter of an encoder block by its dotted name (<c>….qkv.weight</c> is
    /// <see cref="ParameterType.AttentionQkv"/>, <c>….proj.weight</c> <see cref="ParameterType.AttentionOut"/>, their
    /// biases <see cref="ParameterType.AttentionBias"/>); null for any other name.
    /// </summary>
    public static ParameterType? TypeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith("blocks.", StringComparison.Ordinal))
        {
            return null;
        }

        return name.EndsWith(".qkv.weight", StringComparison.Ordinal) ? ParameterType.AttentionQkv
            : name.EndsWith(".proj.weight", StringComparison.Ordinal) ? ParameterType.AttentionOut
            : name.EndsWith(".qkv.bias", StringComparison.Ordinal) || name.EndsWith(".proj.bias", StringComparison.Ordinal) ? ParameterType.AttentionBias
            : null;
    }

    /// <summary>
    /// Registers nothing by reflection: every child, parameter and buffer is registered explicitly under the peer's
    /// name (TorchSharp would otherwise register each field under its field name, the owner reference included).
    /// </summary>
    protected override void RegisterComponents()
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_postLn)
        {
            var x = _ln1.forward(input.add(_owner.Dropout(Attention(input)), Scalars.One));
            return _ln2.forward(x.add(_owner.Dropout(Mlp(x)), Scalars.One));
        }

        var h = input.add(_owner.Dropout(Attention(_ln1.forward(input))), Scalars.One);
        return h.add(_owner.Dropout(Mlp(_ln2.forward(h))), Scalars.One);
    }

    private Tensor Mlp(Tensor x) => _fc2.forward(nn.functional.gelu(_fc1.forward(x)));

    private Tensor Attention(Tensor x)
    {
        var shape = x.shape;
        long b = shape[0], t = shape[1], d = shape[2];
        var qkv = _qkv.forward(x).view(b, t, 3, _heads, d / _heads).permute(2, 0, 3, 1, 4).unbind(0);

        // softmax(q kᵀ / √(d/heads), future positions −∞ when causal) v, as the peer writes it: the same values to float
        // rounding either way. Causal (lm_transformer, 128 positions): LibTorch's fused kernel (flash attention on CPU),
        // 2.69 vs 2.20 steps/s at 1 thread. Not causal (the ViT's 49 patches): written out, since the fused kernel
        // scaled badly there, 4.5 vs 8.6 steps/s at 2 threads (`bench step`, 2026-12-05, docs/torchsharp.md).
        var y = _causal
            ? nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_casual: true)
            : qkv[0].matmul(qkv[1].transpose(-2, -1)).mul(Scalars.Of(_scale)).softmax(-1).matmul(qkv[2]);
        return _proj.forward(y.transpose(1, 2).reshape(b, t, d));
    }
}
