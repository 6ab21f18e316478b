namespace AlgoPerf.Trainer.Workloads;

/// <summary>A data split of a workload.</summary>
public enum DataSplit
{
    /// <summary>The training split (eval_train is its first <c>num_eval_train_examples</c> examples).</summary>
    Train,

    /// <summary>The validation split (the scored target is on it).</summary>
    Validation,

    /// <summary>The test split.</summary>
    Test,
}
