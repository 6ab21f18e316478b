using AlgoPerf.Torch;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace ExternalSubmission;

/// <summary>The example's hyperparameters, bound by name (<c>learning_rate</c>, <c>weight_decay</c>).</summary>
/// <param name="LearningRate">The constant step size.</param>
/// <param name="WeightDecay">Coupled L2 decay added to the gradient (0 when absent).</param>
public sealed record PlainSgdHyperparameters(double LearningRate, double WeightDecay = 0);

/// <summary>
/// An external submission written against the submission API only: plain SGD, <c>p ← p − lr·(g + wd·p)</c>, with a
/// constant learning rate and a fixed batch size of 64. Its state is a step counter (no tensors).
/// </summary>
public sealed class PlainSgdSubmission : ISubmission
{
    /// <inheritdoc/>
    public int GetBatchSize(string workloadName) => 64;

    /// <inheritdoc/>
    public IOptimizerState InitOptimizerState(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, ulong rng)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters, "hyperparameters (PlainSgd is an external-tuning submission)");
        return new StepCounter(hyperparameters.Bind<PlainSgdHyperparameters>());
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
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var state = (StepCounter)optimizerState;
        model.ZeroGrad();
        double loss;
        using (TorchRuntime.NewDisposeScope())
        {
            var output = workload.ModelFn(model, batch, ModelMode.Train);
            var mean = workload.LossFn(batch.Targets, output, batch.Mask).Mean();
            mean.Backward();
            loss = mean.ToDouble();
        }

        using (TorchRuntime.NoGrad())
        using (TorchRuntime.NewDisposeScope())
        {
            foreach (var p in model.Parameters())
            {
                if (p.Grad is { } g)
                {
                    var direction = state.Hp.WeightDecay != 0 ? g.Add(p.Tensor, state.Hp.WeightDecay) : g;
                    p.Tensor.Add_(direction, -state.Hp.LearningRate);
                }
            }
        }

        state.Steps++;
        return new UpdateOutput(state, loss);
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

    private sealed class StepCounter(PlainSgdHyperparameters hp) : IOptimizerState
    {
        public PlainSgdHyperparameters Hp { get; } = hp;

        public long Steps { get; set; }

        public StateDict Save() => new([], [new("steps", Steps)]);

        public void Load(StateDict state)
        {
            ArgumentNullException.ThrowIfNull(state);
            Steps = (long)state.GetScalar("steps");
        }

        public void Dispose()
        {
        }
    }
}
