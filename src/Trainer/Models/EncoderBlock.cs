using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// The peer's <c>EncoderBlock</c>: multi-head self-attention through one fused QKV projection, then a GELU MLP, each
/// with a residual. Pre-LN (the peer): <c>x + proj(attn(ln1(x)))</c>, then <c>x + fc2(gelu(fc1(ln2(x))))</c>.
/// Post-LN (the <c>_post_ln</c> variants, as <c>wmt_post_ln</c>): <c>ln1(x + proj(attn(x)))</c>, then
/// <c>ln2(x + fc2(gelu(fc1(x))))</c>, with the same parameters. Causal blocks mask future positions with −∞.
/// Dropout (when the call's rate is above 0) applies to the attention output and the MLP output before each residual.
/// </summary>
public sealed class EncoderBlock : Module<Tensor, Tensor>
{
    private readonly WorkloadModel _owner;
    private readonly long _heads;
    private readonly bool _postLn;
    private readonly Tensor? _causalMask;
    private readonly LayerNorm _ln1;
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly LayerNorm _ln2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;
    private readonly double _scale;
    private bool _disposed;

    /// <summary>Creates the block for sequences of at most <paramref name="maxLength"/> positions.</summary>
    public EncoderBlock(WorkloadModel owner, long dim, long heads, long mlpDim, long maxLength, bool causal, bool postLn, Generator generator)
    {
        _owner = owner;
        _heads = heads;
        _postLn = postLn;
        _scale = 1 / Math.Sqrt(dim / heads);
        _ln1 = RegisterModule("ln1", new LayerNorm(dim));
        _qkv = RegisterModule("qkv", new Linear(dim, 3 * dim, generator: generator, weightType: ParameterType.AttentionQkv, biasType: ParameterType.AttentionBias));
        _proj = RegisterModule("proj", new Linear(dim, dim, generator: generator, weightType: ParameterType.AttentionOut, biasType: ParameterType.AttentionBias));
        _ln2 = RegisterModule("ln2", new LayerNorm(dim));
        _fc1 = RegisterModule("fc1", new Linear(dim, mlpDim, generator: generator));
        _fc2 = RegisterModule("fc2", new Linear(mlpDim, dim, generator: generator));
        if (causal)
        {
            using var ones = Tensor.Ones([maxLength, maxLength], ScalarType.Bool);
            _causalMask = ones.Triu(1).DetachFromScope();
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_postLn)
        {
            var x = _ln1.Forward(input.Add(Residual(Attention(input))));
            return _ln2.Forward(x.Add(Residual(Mlp(x))));
        }

        var h = input.Add(Residual(Attention(_ln1.Forward(input))));
        return h.Add(Residual(Mlp(_ln2.Forward(h))));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _causalMask?.Dispose();
        }

        base.Dispose(disposing);
    }

    private Tensor Residual(Tensor branch) => _owner.DropoutRate > 0 ? OwnerDropout(branch) : branch;

    private Tensor OwnerDropout(Tensor x) => _owner.IsTraining ? Functional.Dropout(x, _owner.DropoutRate, true, _owner.DropoutGenerator) : x;

    private Tensor Mlp(Tensor x) => _fc2.Forward(Functional.Gelu(_fc1.Forward(x)));

    private Tensor Attention(Tensor x)
    {
        var shape = x.Shape;
        long b = shape[0], t = shape[1], d = shape[2];
        var qkv = _qkv.Forward(x).View(b, t, 3, _heads, d / _heads).Permute(2, 0, 3, 1, 4).Unbind(0);
        // Out of place, as the peer: the matmul's result is a view of its bmm output, and in-place ops on it would
        // make autograd rebuild the view (CopySlices) in backward.
        var scores = qkv[0].MatMul(qkv[1].Transpose(-2, -1)).Mul(_scale);
        if (_causalMask is not null)
        {
            var mask = t == _causalMask.Size(0) ? _causalMask : _causalMask.Narrow(0, 0, t).Narrow(1, 0, t);
            scores = scores.MaskedFill(mask, double.NegativeInfinity);
        }

        var y = scores.Softmax(-1).MatMul(qkv[2]).Transpose(1, 2).Reshape(b, t, d);
        return _proj.Forward(y);
    }
}
