using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Input;
using AlgoPerf.Trainer.Models;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// A workload as AlgoPerf's <c>spec.Workload</c> (<c>algoperf-rules.md</c> §3): the model and its seeded init, the
/// model and loss functions, the data with its training input order and the three-split eval, and the constants
/// (targets, budget, eval period, step hint) from its <see cref="WorkloadSpec"/>. The file is split by concern: the
/// eval loop is in <c>Workload.Eval.cs</c>.
/// </summary>
public abstract partial class Workload
{
    /// <summary>Creates a workload with its constants.</summary>
    protected Workload(WorkloadSpec spec, LossType lossType, int evalBatchSize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evalBatchSize);
        Spec = spec;
        LossType = lossType;
        EvalBatchSize = evalBatchSize;
    }

    /// <summary>Targets, budget, step hint and eval period.</summary>
    public WorkloadSpec Spec { get; }

    /// <summary>The workload's name (<c>fmnist_mlp</c>, ...).</summary>
    public string Name => Spec.Name;

    /// <summary>The loss kind (<c>loss_type</c>).</summary>
    public LossType LossType { get; }

    /// <summary>Examples per eval batch (<c>eval_batch_size</c>); fixed by the workload.</summary>
    public int EvalBatchSize { get; }

    /// <summary>The target metric without split prefix (<c>target_metric_name</c>).</summary>
    public string TargetMetricName => Spec.TargetMetric;

    /// <summary>Target on <c>validation/&lt;metric&gt;</c>.</summary>
    public double ValidationTargetValue => Spec.ValidationTarget;

    /// <summary>Target on <c>test/&lt;metric&gt;</c>.</summary>
    public double TestTargetValue => Spec.TestTarget;

    /// <summary>The external-tuning budget in seconds (<c>max_allowed_runtime_sec</c>).</summary>
    public double MaxAllowedRuntimeSec => Spec.MaxRuntimeSec;

    /// <summary>Seconds between evals (<c>eval_period_time_sec</c>).</summary>
    public double EvalPeriodTimeSec => Spec.EvalPeriodSec;

    /// <summary>The step hint (<c>step_hint</c>).</summary>
    public int StepHint => Spec.StepHint;

    /// <summary>The default dropout rate of <see cref="ModelFn"/> (the model module's <c>DROPOUT_RATE</c>): 0 in the dev suite.</summary>
    public virtual double DefaultDropoutRate => 0;

    /// <summary>Examples in the train split (<c>num_train_examples</c>).</summary>
    public int NumTrainExamples => SplitSize(DataSplit.Train);

    /// <summary>Examples in the validation split.</summary>
    public int NumValidationExamples => SplitSize(DataSplit.Validation);

    /// <summary>Examples in the test split.</summary>
    public int NumTestExamples => SplitSize(DataSplit.Test);

    /// <summary>The eval_train subset size: validation size rounded up to a multiple of the eval batch size.</summary>
    public int NumEvalTrainExamples => EvalBatches.EvalTrainCount(NumValidationExamples, EvalBatchSize, NumTrainExamples);

    /// <summary>The metric names an eval reports per split (e.g. <c>accuracy</c>, <c>loss</c>).</summary>
    public abstract IReadOnlyList<string> MetricNames { get; }

    /// <summary>
    /// <c>init_model_fn</c>: a new model whose parameters are drawn from a generator seeded with <paramref name="seed"/>
    /// (the same seed gives bit-identical parameters), in training mode.
    /// </summary>
    public WorkloadModel InitModel(ulong seed)
    {
        using var generator = new Generator(seed);
        var model = CreateModel(generator);
        if (Device.type != DeviceType.CPU)
        {
            // Initialised on the CPU from the seed's generator (the same values on every device), then moved.
            model.to(Device);
            Layers.CountMovedParameters(model);
        }

        return model;
    }

    /// <summary>
    /// The device this workload's models and batches live on (CPU unless <see cref="On"/> chose another): the trainer's
    /// device. One workload object serves one trainer.
    /// </summary>
    public Device Device { get; private set; } = CPU;

    /// <summary>Places this workload's models and batches on <paramref name="device"/>. Returns this.</summary>
    public Workload On(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        return this;
    }

    /// <summary>Builds the model from <paramref name="generator"/>.</summary>
    public abstract WorkloadModel CreateModel(Generator generator);

    /// <summary>The parameter shapes by dotted name (<c>param_shapes</c>).</summary>
    public static IReadOnlyDictionary<string, long[]> ParamShapes(WorkloadModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape, StringComparer.Ordinal);
    }

    /// <summary>The AlgoPerf parameter types by dotted name (<c>model_params_types</c>).</summary>
    public static IReadOnlyDictionary<string, ParameterType> ParamTypes(WorkloadModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ParameterTypes();
    }

    /// <summary>
    /// <c>model_fn</c>: the model's output for <paramref name="batch"/> in <paramref name="mode"/>. In training mode
    /// batch-norm running statistics are updated only when <paramref name="updateBatchNorm"/> is set; dropout uses
    /// <paramref name="dropoutRate"/> (null: <see cref="DefaultDropoutRate"/>) drawn from <paramref name="rng"/>.
    /// The output belongs to the caller's dispose scope.
    /// </summary>
    public Tensor ModelFn(WorkloadModel model, Batch batch, ModelMode mode, bool updateBatchNorm = true, double? dropoutRate = null, Generator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var training = mode == ModelMode.Train;
        if (model.training != training)
        {
            model.train(training);
        }

        model.SetUpdateBatchNorm(updateBatchNorm);
        model.DropoutRate = dropoutRate ?? DefaultDropoutRate;
        model.DropoutGenerator = rng;
        if (training)
        {
            // A gang's ranks normalise with their own shard's batch statistics and keep rank 0's running ones (DDP).
            model.BroadcastBuffers();
            return model.forward(batch.Inputs);
        }

        using var noGrad = torch.no_grad();
        return model.forward(batch.Inputs);
    }

    /// <summary>
    /// <c>loss_fn</c>: per-example losses of <paramref name="output"/> against <paramref name="targets"/>, masked by
    /// <paramref name="mask"/> when given, with label smoothing where the loss type has it.
    /// </summary>
    public LossResult LossFn(Tensor targets, Tensor output, Tensor? mask = null, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(output);
        var perExample = PerExampleLoss(targets, output, labelSmoothing);
        if (mask is null)
        {
            return new LossResult(perExample.sum(), perExample.numel(), perExample);
        }

        var masked = perExample.mul(mask.ndim < perExample.ndim ? mask.view([.. mask.shape, .. Enumerable.Repeat(1L, (int)(perExample.ndim - mask.ndim))]) : mask);
        var expanded = mask.ndim < perExample.ndim ? masked.numel() / mask.numel() : 1;
        return new LossResult(masked.sum(), mask.sum().ToDouble() * expanded, masked);
    }

    /// <summary>The unmasked per-example (per-token) losses.</summary>
    protected abstract Tensor PerExampleLoss(Tensor targets, Tensor output, double labelSmoothing);

    /// <summary>
    /// The training input iterator (<c>_build_input_queue</c> for <c>train</c>): batches of
    /// <paramref name="globalBatchSize"/> in a seeded order whose position can be saved and restored. In a
    /// data-parallel gang of <paramref name="ranks"/>, rank <paramref name="rank"/> gets its disjoint shard of every
    /// global batch (the <paramref name="rank"/>-th of <paramref name="ranks"/> equal slices, as PyTorch's
    /// per-device batches); the global batch must divide by the ranks.
    /// </summary>
    /// <exception cref="ArgumentException">The global batch does not divide by the ranks.</exception>
    public TrainingInput BuildInputQueue(ulong seed, int globalBatchSize, int rank = 0, int ranks = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, ranks);
        if (globalBatchSize % ranks != 0)
        {
            throw new ArgumentException($"the global batch size {globalBatchSize} of workload '{Name}' does not divide by the gang's {ranks} ranks; data-parallel training splits every batch into equal shards", nameof(globalBatchSize));
        }

        return new(this, new ShuffledBatches(NumTrainExamples, globalBatchSize, seed), seed, rank, ranks);
    }

    /// <summary>Examples in <paramref name="split"/>.</summary>
    protected internal abstract int SplitSize(DataSplit split);

    /// <summary>
    /// Copies the examples at <paramref name="indices"/> of <paramref name="split"/> into a new batch. Training
    /// batches pass their <paramref name="epoch"/> and the input seed (for per-epoch randomness such as noise).
    /// </summary>
    protected internal abstract Batch MakeBatch(DataSplit split, ReadOnlySpan<int> indices, long epoch, ulong seed);

    /// <summary>
    /// Adds a batch's per-example metric values into <paramref name="sums"/> (one entry per <see cref="MetricNames"/>,
    /// in order); the eval divides by the number of examples.
    /// </summary>
    protected abstract void AccumulateMetrics(Tensor output, Batch batch, double[] sums);
}
