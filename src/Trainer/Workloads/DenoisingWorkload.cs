using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Models;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// <c>unet_denoise</c> and its variant (the fastMRI analog): Fashion-MNIST images scaled to [0, 1] are the clean
/// targets; the input is the image plus Gaussian noise of standard deviation <see cref="NoiseStd"/> (not clipped).
/// Noise is a function of (split, epoch, example): for training, of the input seed and the epoch (fresh noise every
/// epoch, restored with the input position); for evals, fixed. Loss: mean absolute error per image
/// (<see cref="LossType.MeanAbsoluteError"/>, no label smoothing); metrics <c>ssim</c> (the target metric,
/// <see cref="EvalMetrics.Ssim"/>) and <c>loss</c> (L1), as the reference's fastMRI eval.
/// </summary>
public sealed class DenoisingWorkload : Workload
{
    /// <summary>Standard deviation of the added noise, in units of the [0, 1] pixel range.</summary>
    public const double NoiseStd = 0.3;

    private const ulong EvalNoiseSeed = 0x4E4F495345; // "NOISE"
    private readonly FashionMnistData _data;
    private readonly Activation _activation;

    /// <summary>Creates the workload over <paramref name="data"/>.</summary>
    public DenoisingWorkload(WorkloadSpec spec, FashionMnistData data, Activation activation = Activation.LeakyRelu, int evalBatchSize = 500)
        : base(spec, LossType.MeanAbsoluteError, evalBatchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _activation = activation;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> MetricNames { get; } = ["ssim", "loss"];

    /// <inheritdoc />
    public override WorkloadModel CreateModel(Generator generator) => new UNetModel(generator, _activation);

    /// <summary>Per-image mean absolute error of (B, 1, H, W) images.</summary>
    public static Tensor MeanAbsoluteError(Tensor targets, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.sub(targets).abs().mean([1, 2, 3]);
    }

    /// <inheritdoc />
    protected override Tensor PerExampleLoss(Tensor targets, Tensor output, double labelSmoothing) => MeanAbsoluteError(targets, output);

    /// <inheritdoc />
    protected internal override int SplitSize(DataSplit split) => Split(split).Count;

    /// <inheritdoc />
    protected internal override Batch MakeBatch(DataSplit split, ReadOnlySpan<int> indices, long epoch, ulong seed)
    {
        var source = Split(split);
        var size = source.ImageSize;
        var clean = new float[indices.Length * size];
        var noisy = new float[clean.Length];
        source.CopyNormalized(indices, clean, 0f, 1f);
        var stream = split == DataSplit.Train
            ? Xoshiro256StarStar.DeriveSeed(seed, (ulong)epoch)
            : Xoshiro256StarStar.DeriveSeed(EvalNoiseSeed, (ulong)split);
        for (var k = 0; k < indices.Length; k++)
        {
            var rng = new Xoshiro256StarStar(Xoshiro256StarStar.DeriveSeed(stream, (ulong)indices[k]));
            for (var p = k * size; p < (k + 1) * size; p++)
            {
                noisy[p] = clean[p] + (float)(NoiseStd * rng.NextGaussian());
            }
        }

        long n = indices.Length;
        return new Batch([torch.tensor(noisy, [n, 1, source.Rows, source.Cols])], torch.tensor(clean, [n, 1, source.Rows, source.Cols]));
    }

    /// <inheritdoc />
    protected override void AccumulateMetrics(Tensor output, Batch batch, double[] sums)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sums);
        sums[0] += EvalMetrics.Ssim(output, batch.Targets).sum().ToDouble();
        sums[1] += LossFn(batch.Targets, output).Summed.ToDouble();
    }

    private ImageSplit Split(DataSplit split) => split switch
    {
        DataSplit.Train => _data.Train,
        DataSplit.Validation => _data.Validation,
        _ => _data.Test,
    };
}
