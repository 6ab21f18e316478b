using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using TorchSharp;
using static TorchSharp.torch;

namespace ExternalSubmission;

/// <summary>The example's hyperparameters, bound by name (<c>learning_rate</c>, <c>weight_decay</c>).</summary>
/// <param name="LearningRate">The constant step size.</param>
/// <param name="WeightDecay">Coupled L2 decay added to the gradient (0 when absent).</param>
public sealed record PlainSgdHyperparameters(double LearningRate, double WeightDecay = 0);

/// <summary>
/// An external submission written against the submission API and TorchSharp only, as one would write it in PyTorch:
/// <c>torch.optim.SGD</c> (<c>p ← p − lr·(g + wd·p)</c>) with a constant learning rate and a fixed batch size of 64.
/// Plain SGD keeps no tensors, so the checkpointed state is the step counter.
/// </summary>
public sealed class PlainSgdSubmission : ISubmission
{
    /// <inheritdoc/>
    public int GetBatchSize(string workloadName) => 64;

    /// <inheritdoc/>
    public IOptimizerState InitOptimizerState(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, ulong rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hyperparameters, "hyperparameters (PlainSgd is an external-tuning submission)");
        var hp = hyperparameters.Bind<PlainSgdHyperparameters>();
        return new SgdState(optim.SGD(model.parameters(), hp.LearningRate, weight_decay: hp.WeightDecay));
    }

    /// <inheritdoc/>
    public UpdateOutput UpdateParams(
        Workload workload,
        WorkloadModel model,
        Hyperparameters? hyperparameters,
        Batch batch,
        LossType lossType,
        IOptimizerState optimizerState,
        IReadOnlyList<EvalRecord> evalResults,
        long globalStep,
        ulong rng,
        TrainState trainState)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(batch);
        var state = (SgdState)optimizerState;
        using var scope = NewDisposeScope();
        state.Optimizer.zero_grad();
        var output = workload.ModelFn(model, batch, ModelMode.Train);
        var loss = workload.LossFn(batch.Targets, output, batch.Mask).Mean();
        model.Backward(loss); // loss.backward(), averaged over the ranks of a data-parallel gang
        state.Optimizer.step();
        state.Steps++;
        return new UpdateOutput(state, loss.ToDouble());
    }

    /// <inheritdoc/>
    public Batch DataSelection(
        Workload workload,
        TrainingInput inputQueue,
        IOptimizerState optimizerState,
        WorkloadModel model,
        Hyperparameters? hyperparameters,
        long globalStep,
        ulong rng)
    {
        ArgumentNullException.ThrowIfNull(inputQueue);
        return inputQueue.Next();
    }

    private sealed class SgdState(optim.Optimizer optimizer) : IOptimizerState
    {
        public optim.Optimizer Optimizer { get; } = optimizer;

        public long Steps { get; set; }

        public StateDict Save() => new([], [new("steps", Steps)]);

        public void Load(StateDict state)
        {
            ArgumentNullException.ThrowIfNull(state);
            Steps = (long)state.GetScalar("steps");
        }

        public void Dispose() => Optimizer.Dispose();
    }
}
