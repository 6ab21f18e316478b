namespace AlgoPerf.Trainer.Workloads;

/// <summary>The mode of a <c>model_fn</c> call (spec <c>ForwardPassMode</c>).</summary>
public enum ModelMode
{
    /// <summary>Training: dropout active, batch norm on batch statistics.</summary>
    Train,

    /// <summary>Evaluation: no dropout, batch norm on running statistics.</summary>
    Eval,
}
