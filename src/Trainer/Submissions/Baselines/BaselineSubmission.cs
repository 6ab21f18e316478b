using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Optimizers;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>What every baseline's hyperparameters carry besides the optimizer's own.</summary>
public interface IBaselineHyperparameters
{
    /// <summary><c>label_smoothing</c> passed to <c>loss_fn</c> (0 when absent).</summary>
    double LabelSmoothing { get; }

    /// <summary><c>dropout_rate</c> passed to <c>model_fn</c>; null: the workload's default.</summary>
    double? DropoutRate { get; }

    /// <summary><c>grad_clip</c>: the global gradient-norm clip, applied only when set.</summary>
    double? GradClip { get; }
}

/// <summary>
/// The shared <c>update_params</c> of the PyTorch baselines (<c>algoperf-rules.md</c> §8): train mode,
/// <c>zero_grad</c>, <c>model_fn</c> with the trial's dropout rate, <c>loss_fn</c> with its label smoothing, the mean
/// loss <c>summed / n_valid_examples</c>, <c>backward</c>, the optional <c>clip_grad_norm_(grad_clip)</c>, one optimizer
/// step at the schedule's learning rate for the number of updates taken so far. Loss and gradient norm are reported
/// for <c>measurements.csv</c> on the reference's logging steps (global step ≤ 100 or a multiple of 500); the loss
/// goes back every step for the divergence check. <c>data_selection</c> is <c>next(input_queue)</c>.
/// </summary>
/// <typeparam name="THyperparameters">The baseline's hyperparameter record, bound with <see cref="Hyperparameters.Bind{T}"/>.</typeparam>
public abstract class BaselineSubmission<THyperparameters> : ISubmission
    where THyperparameters : class, IBaselineHyperparameters
{
    private readonly ConditionalWeakTable<Hyperparameters, THyperparameters> _bound = [];

    /// <summary>The built-in name (<c>nadamw</c>, ...), used in error messages.</summary>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public virtual int GetBatchSize(string workloadName) => BaselineBatchSizes.Get(workloadName);

    /// <inheritdoc/>
    public IOptimizerState InitOptimizerState(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, ulong rng)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(model);
        var hp = Bind(hyperparameters);
        var parameters = model.parameters().Select(p => (Tensor)p).ToList();
        var state = new OptimizerState(CreateOptimizer(parameters, hp, workload));
        InitScalars(state, hp, workload);
        return state;
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
        ArgumentNullException.ThrowIfNull(evalResults);
        var state = optimizerState as OptimizerState
            ?? throw new ArgumentException($"{Name}: the optimizer state is not one this submission created ({optimizerState?.GetType().Name ?? "null"})", nameof(optimizerState));
        var hp = Bind(hyperparameters);
        BeforeStep(state, hp, workload, evalResults, globalStep);
        var optimizer = state.Optimizer;
        optimizer.ZeroGrad();
        BeforeForward(state);
        double loss;
        using (var scope = torch.NewDisposeScope())
        {
            var dropout = hp.DropoutRate ?? workload.DefaultDropoutRate;
            using var generator = dropout > 0 ? new Generator(rng) : null;
            var output = workload.ModelFn(model, batch, ModelMode.Train, updateBatchNorm: true, dropoutRate: dropout, rng: generator);
            var mean = workload.LossFn(batch.Targets, output, batch.Mask, hp.LabelSmoothing).Mean();
            model.Backward(mean);
            loss = mean.ToDouble();
        }

        if (hp.GradClip is { } clip)
        {
            GradientClipping.ClipGradNorm(optimizer.Parameters, clip);
        }

        IReadOnlyList<KeyValuePair<string, double>>? metrics = null;
        if (globalStep <= 100 || globalStep % 500 == 0)
        {
            metrics = [new("loss", loss), new("grad_norm", GradNorm(optimizer.Parameters))];
        }

        optimizer.Step(LearningRate(state, hp, workload));
        return new UpdateOutput(state, loss, metrics);
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

    /// <summary>The typed hyperparameters (bound once per set); null (self-tuning) is refused unless overridden.</summary>
    /// <exception cref="HyperparameterException">None were given, or a key is missing or does not fit.</exception>
    protected virtual THyperparameters Bind(Hyperparameters? hyperparameters)
    {
        if (hyperparameters is null)
        {
            throw new HyperparameterException("self-tuning", [], $"{Name} is an external-tuning baseline: it needs hyperparameters from its search space, and got none");
        }

        return _bound.GetValue(hyperparameters, h =>
        {
            try
            {
                return h.Bind<THyperparameters>();
            }
            catch (HyperparameterException e)
            {
                throw new HyperparameterException(h.Source, e.Names, $"{Name}: {e.Message}");
            }
        });
    }

    /// <summary>The optimizer over the model's parameters.</summary>
    protected abstract Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, THyperparameters hp, Workload workload);

    /// <summary>The learning rate of the next update (the optimizer's <see cref="Optimizer.StepCount"/> updates taken so far).</summary>
    protected abstract double LearningRate(OptimizerState state, THyperparameters hp, Workload workload);

    /// <summary>Adds the submission's own checkpointed scalars to a new state.</summary>
    protected virtual void InitScalars(OptimizerState state, THyperparameters hp, Workload workload)
    {
    }

    /// <summary>Runs before the gradient of a step (Schedule-Free's reset heuristic).</summary>
    protected virtual void BeforeStep(OptimizerState state, THyperparameters hp, Workload workload, IReadOnlyList<EvalRecord> evalResults, long globalStep)
    {
    }

    /// <summary>Runs after <c>zero_grad</c>, before the forward pass (Schedule-Free moves to its gradient point).</summary>
    protected virtual void BeforeForward(OptimizerState state)
    {
    }

    /// <summary>The warmup length <c>int(warmup_factor·step_hint)</c>, refused when 0 (torch's schedule would stay at 1e-10).</summary>
    /// <exception cref="HyperparameterException">The warmup is shorter than one step.</exception>
    protected int CosineWarmupSteps(double warmupFactor, int stepHint)
    {
        var steps = LearningRateSchedules.WarmupSteps(warmupFactor, stepHint);
        return steps > 0
            ? steps
            : throw new HyperparameterException("hyperparameters", ["warmup_factor"], $"{Name}: warmup_factor {warmupFactor} × step_hint {stepHint} is under one step; the warmup + cosine schedule needs at least one");
    }

    private static double GradNorm(IReadOnlyList<Tensor> parameters)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var norms = parameters.Select(p => p.grad).OfType<Tensor>().Select(g => g.norm()).ToList();
        return norms.Count == 0 ? 0 : torch.stack(norms).norm().ToDouble();
    }
}
