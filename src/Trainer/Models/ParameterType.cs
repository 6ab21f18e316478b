namespace AlgoPerf.Trainer.Models;

/// <summary>AlgoPerf's parameter kinds (spec <c>ParameterType</c>), which submissions may use to treat parameters differently.</summary>
public enum ParameterType
{
    /// <summary>A dense layer's weight.</summary>
    Weight,

    /// <summary>A bias.</summary>
    Bias,

    /// <summary>A convolution kernel.</summary>
    ConvWeight,

    /// <summary>Batch norm's scale (gamma).</summary>
    BatchNormScale,

    /// <summary>Batch norm's shift (beta).</summary>
    BatchNormBias,

    /// <summary>Layer norm's scale.</summary>
    LayerNormScale,

    /// <summary>Layer norm's shift.</summary>
    LayerNormBias,

    /// <summary>An embedding table.</summary>
    Embedding,

    /// <summary>Attention query projection.</summary>
    AttentionQ,

    /// <summary>Attention key projection.</summary>
    AttentionK,

    /// <summary>Attention value projection.</summary>
    AttentionV,

    /// <summary>Attention output projection.</summary>
    AttentionOut,

    /// <summary>Fused query/key/value projection.</summary>
    AttentionQkv,

    /// <summary>Fused key/value projection.</summary>
    AttentionKv,

    /// <summary>A bias inside attention.</summary>
    AttentionBias,
}
