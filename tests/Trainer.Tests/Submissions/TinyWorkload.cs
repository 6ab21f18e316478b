using AlgoPerf.Contracts.Rules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Submissions;

/// <summary>A 4-input, 2-output regression workload (16 fixed examples, step hint 8 unless given) for submission API tests.</summary>
internal sealed class TinyWorkload(int stepHint = 8) : Workload(
    new WorkloadSpec("tiny", null, "loss", MetricDirection.Minimize, 0.01, 0.01, 60, stepHint, 1), LossType.MeanSquaredError, 8)
{
    public const int Examples = 16;

    public override IReadOnlyList<string> MetricNames { get; } = ["loss"];

    public override WorkloadModel CreateModel(Generator generator) => new TinyModel(generator);

    /// <summary>All 16 training examples as one batch.</summary>
    public Batch FullBatch() => MakeBatch(DataSplit.Train, Enumerable.Range(0, Examples).ToArray(), 0, 0);

    protected override Tensor PerExampleLoss(Tensor targets, Tensor output, double labelSmoothing) =>
        output.sub(targets).pow(2).mean([1]);

    protected internal override int SplitSize(DataSplit split) => Examples;

    protected internal override Batch MakeBatch(DataSplit split, ReadOnlySpan<int> indices, long epoch, ulong seed)
    {
        var x = new float[indices.Length * 4];
        var y = new float[indices.Length * 2];
        for (var n = 0; n < indices.Length; n++)
        {
            var i = indices[n];
            for (var j = 0; j < 4; j++)
            {
                x[(n * 4) + j] = (float)Math.Sin((0.7 * (i + 1)) + (1.3 * (j + 1)));
            }

            for (var k = 0; k < 2; k++)
            {
                y[(n * 2) + k] = (float)Math.Cos((0.5 * (i + 1)) - (0.9 * (k + 1)));
            }
        }

        return new Batch([torch.tensor(x, [indices.Length, 4])], torch.tensor(y, [indices.Length, 2]));
    }

    protected override void AccumulateMetrics(Tensor output, Batch batch, double[] sums) =>
        sums[0] += LossFn(batch.Targets, output).Summed.ToDouble();
}

/// <summary>Linear(4, 3), tanh, dropout, Linear(3, 2).</summary>
internal sealed class TinyModel : WorkloadModel
{
    private readonly Linear _l1;
    private readonly Linear _l2;

    public TinyModel(Generator generator)
        : base(nameof(TinyModel))
    {
        _l1 = Layers.Linear(4, 3, generator);
        _l2 = Layers.Linear(3, 2, generator);
        register_module("l1", _l1);
        register_module("l2", _l2);
    }

    public override Tensor forward(IReadOnlyList<Tensor> inputs) => _l2.forward(Dropout(_l1.forward(inputs[0]).tanh()));

    /// <summary>Every parameter's values, in order.</summary>
    public float[][] Values()
    {
        using var scope = torch.NewDisposeScope();
        return [.. parameters().Select(p => p.detach().data<float>().ToArray())];
    }
}
