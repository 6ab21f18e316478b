using AlgoPerf.Trainer.Tensors;
using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Models;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// <c>dlrm_synth</c> and its variant (the Criteo analog): the synthetic click data (<see cref="DlrmSynthetic"/>),
/// inputs dense (B, 13) and category ids (B, 26); sigmoid cross-entropy with label smoothing as the reference's
/// Criteo workload (targets <c>t·(1 − s) + s/2</c>); metric <c>loss</c> (mean BCE without smoothing).
/// </summary>
public sealed class DlrmWorkload : Workload
{
    private readonly DlrmData _data;
    private readonly bool _layerNorm;

    /// <summary>Creates the workload over <paramref name="data"/>.</summary>
    public DlrmWorkload(WorkloadSpec spec, DlrmData data, bool layerNorm = false, int evalBatchSize = 4096)
        : base(spec, LossType.SigmoidCrossEntropy, evalBatchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _layerNorm = layerNorm;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> MetricNames { get; } = ["loss"];

    /// <inheritdoc />
    public override WorkloadModel CreateModel(Generator generator) => new DlrmModel(generator, _layerNorm);

    /// <summary>Per-example binary cross-entropy of the logits against the (smoothed) click labels.</summary>
    public static Tensor BinaryCrossEntropy(Tensor targets, Tensor logits, double labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (labelSmoothing == 0)
        {
            return functional.binary_cross_entropy_with_logits(logits, targets, reduction: Reduction.None);
        }

        using var smoothed = targets.mul(Scalars.Of(1 - labelSmoothing)).add_(Scalars.Of(0.5 * labelSmoothing), Scalars.One);
        return functional.binary_cross_entropy_with_logits(logits, smoothed, reduction: Reduction.None);
    }

    /// <inheritdoc />
    protected override Tensor PerExampleLoss(Tensor targets, Tensor output, double labelSmoothing) =>
        BinaryCrossEntropy(targets, output, labelSmoothing);

    /// <inheritdoc />
    protected internal override int SplitSize(DataSplit split) => Split(split).Count;

    /// <inheritdoc />
    protected internal override Batch MakeBatch(DataSplit split, ReadOnlySpan<int> indices, long epoch, ulong seed)
    {
        var source = Split(split);
        var dense = new float[indices.Length * DlrmSynthetic.DenseFeatures];
        var categorical = new long[indices.Length * DlrmSynthetic.CategoricalFeatures];
        var labels = new float[indices.Length];
        source.CopyBatch(indices, dense, categorical, labels);
        return new Batch(
            [torch.tensor(dense, [indices.Length, DlrmSynthetic.DenseFeatures]), torch.tensor(categorical, [indices.Length, DlrmSynthetic.CategoricalFeatures])],
            torch.tensor(labels, [indices.Length]));
    }

    /// <inheritdoc />
    protected override void AccumulateMetrics(Tensor output, Batch batch, double[] sums)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sums);
        sums[0] += LossFn(batch.Targets, output).Summed.ToDouble();
    }

    private DlrmSplit Split(DataSplit split) => split switch
    {
        DataSplit.Train => _data.Train,
        DataSplit.Validation => _data.Validation,
        _ => _data.Test,
    };
}
