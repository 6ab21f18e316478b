using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Running;

/// <summary>
/// A small real submission for runner tests: heavy-ball momentum with lazily created buffers (so a restore must
/// create them), dropout drawn from the step's update seed, the loss reported, a metrics row every other step.
/// Hooks let a test block a step on a barrier or make it throw.
/// </summary>
internal sealed class MomentumSubmission : ISubmission
{
    public int BatchSize { get; init; } = 64;

    /// <summary>Dropout of the training forward pass (0 for data-parallel parity: a shard draws other masks).</summary>
    public double DropoutRate { get; init; } = 0.1;

    /// <summary>False: gradients by <c>loss.backward()</c>, which a data-parallel gang must refuse.</summary>
    public bool UseModelBackward { get; init; } = true;

    /// <summary>Called at the start of every update with the completed step count (on the trial thread).</summary>
    public Action<long>? BeforeUpdate { get; init; }

    /// <summary>Throws in the update of this step (completed steps before it).</summary>
    public long? FailAtStep { get; init; }

    public int GetBatchSize(string workloadName) => BatchSize;

    public IOptimizerState InitOptimizerState(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, ulong rng) =>
        new MomentumState([.. model.parameters().Select(p => p)]);

    public Batch DataSelection(Workload workload, TrainingInput inputQueue, IOptimizerState optimizerState, WorkloadModel model, Hyperparameters? hyperparameters, long globalStep, ulong rng) =>
        inputQueue.Next();

    public UpdateOutput UpdateParams(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, Batch batch, LossType lossType, IOptimizerState optimizerState, IReadOnlyList<EvalRecord> evalResults, long globalStep, ulong rng, TrainState trainState)
    {
        BeforeUpdate?.Invoke(globalStep);
        if (FailAtStep == globalStep)
        {
            Fail(globalStep);
        }

        var lr = hyperparameters?.GetOrDefault("learning_rate", 0.05) ?? 0.05;
        var momentum = hyperparameters?.GetOrDefault("momentum", 0.9) ?? 0.9;
        var state = (MomentumState)optimizerState;
        using var scope = torch.NewDisposeScope();
        model.zero_grad();
        using var dropout = new Generator(rng);
        var output = workload.ModelFn(model, batch, ModelMode.Train, dropoutRate: DropoutRate, rng: dropout);
        var loss = workload.LossFn(batch.Targets, output, batch.Mask).Mean();
        if (UseModelBackward)
        {
            model.Backward(loss);
        }
        else
        {
            loss.backward();
        }

        state.Step(lr, momentum);
        var value = loss.ToDouble();
        return new UpdateOutput(state, value, globalStep % 2 == 0 ? [new("loss", value)] : null);
    }

    private static void Fail(long step) => throw new InvalidOperationException($"test submission fails at step {step}");

    private sealed class MomentumState(List<Tensor> parameters) : IOptimizerState
    {
        private readonly Tensor?[] _buffers = new Tensor?[parameters.Count];
        private long _steps;

        public void Step(double lr, double momentum)
        {
            using var noGrad = torch.no_grad();
            _steps++;
            for (var i = 0; i < parameters.Count; i++)
            {
                var grad = parameters[i].grad;
                if (grad is null)
                {
                    continue;
                }

                var buffer = _buffers[i] ??= grad.zeros_like().DetachFromDisposeScope();
                buffer.mul_(momentum).add_(grad);
                parameters[i].add_(buffer, -lr);
            }
        }

        public StateDict Save() => new(
            _buffers.Select((b, i) => (b, i)).Where(x => x.b is not null).Select(x => KeyValuePair.Create($"momentum.{x.i}", x.b!)),
            [new("steps", _steps)]);

        public void Load(StateDict state)
        {
            _steps = (long)state.GetScalar("steps");
            for (var i = 0; i < _buffers.Length; i++)
            {
                _buffers[i]?.Dispose();
                var saved = state.FindTensor($"momentum.{i}");
                using var scope = torch.NewDisposeScope();
                _buffers[i] = saved?.clone().DetachFromDisposeScope();
            }
        }

        public void Dispose()
        {
            foreach (var b in _buffers)
            {
                b?.Dispose();
            }
        }
    }
}
