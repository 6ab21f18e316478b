using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Models;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// <c>lm_transformer</c> and its variant: next-byte prediction on the fortunes corpus (<see cref="FortuneCorpus"/>),
/// windows of 128 bytes; inputs and targets (B, 128) int64; softmax cross-entropy per token with label smoothing
/// (per-example losses are per token, <c>n_valid_examples</c> counts tokens); metrics <c>loss</c> (mean per-token
/// cross-entropy without smoothing, the target metric) and <c>accuracy</c> (next-byte arg-max accuracy).
/// </summary>
public sealed class LanguageModelWorkload : Workload
{
    private readonly TextCorpus _corpus;
    private readonly bool _postLn;

    /// <summary>Creates the workload over <paramref name="corpus"/> (context <see cref="LmModel.Context"/>).</summary>
    public LanguageModelWorkload(WorkloadSpec spec, TextCorpus corpus, bool postLn = false, int evalBatchSize = 256)
        : base(spec, LossType.SoftmaxCrossEntropy, evalBatchSize)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (corpus.Train.ContextLength != LmModel.Context)
        {
            throw new ArgumentException($"the corpus is cut into windows of {corpus.Train.ContextLength} bytes; the model's context is {LmModel.Context}", nameof(corpus));
        }

        _corpus = corpus;
        _postLn = postLn;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> MetricNames { get; } = ["loss", "accuracy"];

    /// <inheritdoc />
    public override WorkloadModel CreateModel(Generator generator) => new LmModel(generator, _postLn);

    /// <summary>Per-token cross-entropy (B, T) of logits (B, T, V) against token ids (B, T).</summary>
    public static Tensor TokenCrossEntropy(Tensor targets, Tensor logits, double labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(logits);
        var shape = targets.shape;
        var flat = functional.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1), reduction: Reduction.None, label_smoothing: labelSmoothing);
        return flat.view(shape);
    }

    /// <inheritdoc />
    protected override Tensor PerExampleLoss(Tensor targets, Tensor output, double labelSmoothing) =>
        TokenCrossEntropy(targets, output, labelSmoothing);

    /// <inheritdoc />
    protected internal override int SplitSize(DataSplit split) => Split(split).Count;

    /// <inheritdoc />
    protected internal override Batch MakeBatch(DataSplit split, ReadOnlySpan<int> indices, long epoch, ulong seed)
    {
        var source = Split(split);
        var t = source.ContextLength;
        var inputs = new long[indices.Length * t];
        var targets = new long[indices.Length * t];
        source.CopyWindows(indices, inputs, targets);
        return new Batch([torch.tensor(inputs, [indices.Length, t])], torch.tensor(targets, [indices.Length, t]));
    }

    /// <inheritdoc />
    protected override void AccumulateMetrics(Tensor output, Batch batch, double[] sums)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sums);
        double t = LmModel.Context;
        sums[0] += LossFn(batch.Targets, output).Summed.ToDouble() / t;
        sums[1] += output.argmax(-1).eq(batch.Targets).sum().ToDouble() / t;
    }

    private TextSplit Split(DataSplit split) => split switch
    {
        DataSplit.Train => _corpus.Train,
        DataSplit.Validation => _corpus.Validation,
        _ => _corpus.Test,
    };
}
