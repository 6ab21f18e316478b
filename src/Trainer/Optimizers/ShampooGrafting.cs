namespace AlgoPerf.Trainer.Optimizers;

/// <summary>Whose step size a Shampoo block takes (the norm its preconditioned direction is scaled to).</summary>
public enum ShampooGrafting
{
    /// <summary>Adam's direction <c>g / (√(v/(1−β2ᵗ)) + ε)</c>.</summary>
    Adam,

    /// <summary>The gradient itself.</summary>
    Sgd,
}
