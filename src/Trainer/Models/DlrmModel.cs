using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>dlrm_synth</c>: the peer's <c>DLRM</c>: 26 embedding tables (vocabulary 1000, dim 16), a bottom MLP
/// 13→64→16 (ReLU after both), the pairwise dot products of the 27 vectors (bottom output and 26 embeddings; the
/// strict upper triangle, 351 values, in <c>triu_indices</c> order) concatenated with the bottom output, and a top MLP
/// 367→64→1; one logit per example; 441,553 parameters. The variant <c>dlrm_synth_layernorm</c> adds a LayerNorm(64)
/// after the first linear layer of each MLP (as <c>criteo1tb_layernorm</c>).
/// </summary>
public sealed class DlrmModel : WorkloadModel
{
    /// <summary>Dense features.</summary>
    public const int DenseFeatures = 13;

    /// <summary>Categorical features (embedding tables).</summary>
    public const int CategoricalFeatures = 26;

    /// <summary>Rows per table.</summary>
    public const int Vocabulary = 1000;

    /// <summary>Embedding width.</summary>
    public const int EmbeddingDim = 16;

    private const int Vectors = CategoricalFeatures + 1;
    private readonly Embedding[] _tables;
    private readonly Sequential _bottom;
    private readonly Sequential _top;
    private Tensor _pairIndex;
    private bool _disposed;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public DlrmModel(Generator generator, bool layerNorm = false)
        : base(nameof(DlrmModel))
    {
        _tables = new Embedding[CategoricalFeatures];
        for (var i = 0; i < _tables.Length; i++)
        {
            _tables[i] = Layers.Embedding(Vocabulary, EmbeddingDim, generator);
        }

        register_module("emb", nn.ModuleList(_tables));
        _bottom = layerNorm
            ? nn.Sequential(Layers.Linear(DenseFeatures, 64, generator), Layers.LayerNorm(64), nn.ReLU(), Layers.Linear(64, EmbeddingDim, generator), nn.ReLU())
            : nn.Sequential(Layers.Linear(DenseFeatures, 64, generator), nn.ReLU(), Layers.Linear(64, EmbeddingDim, generator), nn.ReLU());
        register_module("bot", _bottom);
        const int interactions = Vectors * (Vectors - 1) / 2;
        _top = layerNorm
            ? nn.Sequential(Layers.Linear(EmbeddingDim + interactions, 64, generator), Layers.LayerNorm(64), nn.ReLU(), Layers.Linear(64, 1, generator))
            : nn.Sequential(Layers.Linear(EmbeddingDim + interactions, 64, generator), nn.ReLU(), Layers.Linear(64, 1, generator));
        register_module("top", _top);

        // Flat indices row * 27 + col of the strict upper triangle: one index_select on the flattened Gram matrix
        // gives exactly the peer's (z zᵀ)[:, iu[0], iu[1]].
        var pairs = new long[interactions];
        var k = 0;
        for (var r = 0; r < Vectors; r++)
        {
            for (var c = r + 1; c < Vectors; c++)
            {
                pairs[k++] = (r * Vectors) + c;
            }
        }

        _pairIndex = torch.tensor(pairs).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var bottom = _bottom.forward(inputs[0]);
        var ids = inputs[1].unbind(1);
        var vectors = new Tensor[Vectors];
        vectors[0] = bottom;
        for (var i = 0; i < CategoricalFeatures; i++)
        {
            vectors[i + 1] = _tables[i].forward(ids[i]);
        }

        var z = torch.stack(vectors, 1);
        var batch = z.size(0);
        var gram = z.bmm(z.transpose(1, 2)).view(batch, Vectors * Vectors);
        var interactions = gram.index_select(1, PairIndex(gram));
        var top = _top.forward(Dropout(torch.cat([bottom, interactions], 1)));
        return top.squeeze(1);
    }

    // The pair indices on the activations' device, moved once when the model moved (they are not model state).
    private Tensor PairIndex(Tensor like)
    {
        if (!_pairIndex.IsOn(like.device))
        {
            var moved = _pairIndex.to(like.device).DetachFromDisposeScope();
            _pairIndex.Dispose();
            _pairIndex = moved;
        }

        return _pairIndex;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _pairIndex.Dispose();
        }

        base.Dispose(disposing);
    }
}
