namespace AlgoPerf.Trainer.Models;

/// <summary>The activation functions the dev-suite models and their variants use.</summary>
public enum Activation
{
    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>GELU (exact, erf form), as <c>nn.GELU()</c>.</summary>
    Gelu,

    /// <summary>x · sigmoid(x).</summary>
    Silu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Leaky ReLU with slope 0.2 (fastMRI's U-Net).</summary>
    LeakyRelu,
}
