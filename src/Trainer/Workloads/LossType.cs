namespace AlgoPerf.Trainer.Workloads;

/// <summary>AlgoPerf's loss kinds (spec <c>LossType</c>), with the reference's numeric values; submissions may branch on it.</summary>
public enum LossType
{
    /// <summary>Softmax cross-entropy over classes.</summary>
    SoftmaxCrossEntropy = 0,

    /// <summary>Sigmoid (binary) cross-entropy.</summary>
    SigmoidCrossEntropy = 1,

    /// <summary>Mean squared error.</summary>
    MeanSquaredError = 2,

    /// <summary>CTC loss.</summary>
    CtcLoss = 3,

    /// <summary>Mean absolute error (L1).</summary>
    MeanAbsoluteError = 4,
}
