using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

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
    private readonly Tensor _pairIndex;
    private bool _disposed;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public DlrmModel(Generator generator, bool layerNorm = false)
    {
        _tables = new Embedding[CategoricalFeatures];
        for (var i = 0; i < _tables.Length; i++)
        {
            _tables[i] = new Embedding(Vocabulary, EmbeddingDim, generator);
        }

        RegisterModule("emb", new Sequential(_tables));
        _bottom = RegisterModule("bot", layerNorm
            ? new Sequential(new Linear(DenseFeatures, 64, generator: generator), new LayerNorm(64), new ReLU(), new Linear(64, EmbeddingDim, generator: generator), new ReLU())
            : new Sequential(new Linear(DenseFeatures, 64, generator: generator), new ReLU(), new Linear(64, EmbeddingDim, generator: generator), new ReLU()));
        const int interactions = Vectors * (Vectors - 1) / 2;
        _top = RegisterModule("top", layerNorm
            ? new Sequential(new Linear(EmbeddingDim + interactions, 64, generator: generator), new LayerNorm(64), new ReLU(), new Linear(64, 1, generator: generator))
            : new Sequential(new Linear(EmbeddingDim + interactions, 64, generator: generator), new ReLU(), new Linear(64, 1, generator: generator)));

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

        _pairIndex = Tensor.FromArray(pairs, interactions).DetachFromScope();
    }

    /// <summary>Inputs: dense features (B, 13) float32 and category ids (B, 26) int64.</summary>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var bottom = _bottom.Forward(inputs[0]);
        var ids = inputs[1].Unbind(1);
        var vectors = new Tensor[Vectors];
        vectors[0] = bottom;
        for (var i = 0; i < CategoricalFeatures; i++)
        {
            vectors[i + 1] = _tables[i].Forward(ids[i]);
        }

        var z = Tensor.Stack(vectors, 1);
        var batch = z.Size(0);
        var gram = z.Bmm(z.Transpose(1, 2)).View(batch, Vectors * Vectors);
        var interactions = gram.IndexSelect(1, _pairIndex);
        var top = _top.Forward(Dropout(Tensor.Cat([bottom, interactions], 1)));
        return top.Squeeze(1);
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
