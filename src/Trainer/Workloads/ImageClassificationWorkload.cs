using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Models;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// <c>fmnist_mlp</c>, <c>fmnist_resnet</c>, <c>fmnist_vit</c> and their variants: Fashion-MNIST in the fixed split,
/// images normalised by the train split's pixel mean and standard deviation (<c>train_mean</c>,
/// <c>train_stddev</c>), shape (B, 1, 28, 28); softmax cross-entropy with label smoothing; metrics
/// <c>accuracy</c> and <c>loss</c> (mean cross-entropy without smoothing).
/// </summary>
public sealed class ImageClassificationWorkload : Workload
{
    private readonly FashionMnistData _data;
    private readonly Func<Generator, WorkloadModel> _createModel;

    /// <summary>Creates the workload over <paramref name="data"/> with the model family <paramref name="createModel"/>.</summary>
    public ImageClassificationWorkload(WorkloadSpec spec, FashionMnistData data, Func<Generator, WorkloadModel> createModel, int evalBatchSize = 1000)
        : base(spec, LossType.SoftmaxCrossEntropy, evalBatchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(createModel);
        _data = data;
        _createModel = createModel;
        var (mean, std) = data.Train.PixelMeanStd();
        TrainMean = mean;
        TrainStddev = std;
    }

    /// <summary>Mean pixel of the train split, in [0, 1].</summary>
    public double TrainMean { get; }

    /// <summary>Pixel standard deviation of the train split.</summary>
    public double TrainStddev { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> MetricNames { get; } = ["accuracy", "loss"];

    /// <inheritdoc />
    public override WorkloadModel CreateModel(Generator generator) => _createModel(generator);

    /// <inheritdoc />
    protected override Tensor PerExampleLoss(Tensor targets, Tensor output, double labelSmoothing) =>
        functional.cross_entropy(output, targets, reduction: Reduction.None, label_smoothing: labelSmoothing);

    /// <inheritdoc />
    protected internal override int SplitSize(DataSplit split) => Split(split).Count;

    /// <inheritdoc />
    protected internal override Batch MakeBatch(DataSplit split, ReadOnlySpan<int> indices, long epoch, ulong seed)
    {
        var source = Split(split);
        var pixels = new float[indices.Length * source.ImageSize];
        var labels = new long[indices.Length];
        source.CopyNormalized(indices, pixels, (float)TrainMean, (float)TrainStddev);
        source.CopyLabels(indices, labels);
        return new Batch([torch.tensor(pixels, [indices.Length, 1, source.Rows, source.Cols])], torch.tensor(labels, [indices.Length]));
    }

    /// <inheritdoc />
    protected override void AccumulateMetrics(Tensor output, Batch batch, double[] sums)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sums);
        sums[0] += EvalMetrics.Correct(output, batch.Targets).sum().ToDouble();
        sums[1] += LossFn(batch.Targets, output).Summed.ToDouble();
    }

    private ImageSplit Split(DataSplit split) => split switch
    {
        DataSplit.Train => _data.Train,
        DataSplit.Validation => _data.Validation,
        _ => _data.Test,
    };
}
