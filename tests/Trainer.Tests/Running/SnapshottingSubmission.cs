using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Running;

/// <summary>Holds the parameters after the last update.</summary>
internal sealed class ParameterSnapshot
{
    public float[][] Values { get; set; } = [];
}

/// <summary>Delegates to a submission and snapshots the model's parameters after each update.</summary>
internal sealed class SnapshottingSubmission(MomentumSubmission inner, ParameterSnapshot snapshot) : ISubmission
{
    public int GetBatchSize(string workloadName) => inner.GetBatchSize(workloadName);

    public IOptimizerState InitOptimizerState(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, ulong rng) =>
        inner.InitOptimizerState(workload, model, hyperparameters, rng);

    public Batch DataSelection(Workload workload, TrainingInput inputQueue, IOptimizerState optimizerState, WorkloadModel model, Hyperparameters? hyperparameters, long globalStep, ulong rng) =>
        inner.DataSelection(workload, inputQueue, optimizerState, model, hyperparameters, globalStep, rng);

    public UpdateOutput UpdateParams(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, Batch batch, LossType lossType, IOptimizerState optimizerState, IReadOnlyList<EvalRecord> evalResults, long globalStep, ulong rng, TrainState trainState)
    {
        var output = inner.UpdateParams(workload, model, hyperparameters, batch, lossType, optimizerState, evalResults, globalStep, rng, trainState);
        snapshot.Values = [.. model.parameters().Select(p => p.ToArray<float>())];
        return output;
    }
}
