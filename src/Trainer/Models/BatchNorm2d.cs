using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>nn.BatchNorm2d</c> (parameters <c>weight</c>, <c>bias</c>; buffers <c>running_mean</c>, <c>running_var</c>,
/// <c>num_batches_tracked</c>, as PyTorch names them) with AlgoPerf's <c>update_batch_norm</c> switch: a training-mode
/// pass with <see cref="UpdateRunningStats"/> false normalises with the batch's statistics and leaves the running
/// statistics and the batch counter untouched (the reference does this by setting momentum to 0).
/// </summary>
public sealed class BatchNorm2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningVar;
    private readonly Tensor _numBatchesTracked;

    /// <summary>Creates the layer over <paramref name="features"/> channels: weight 1, bias 0, running mean 0 and variance 1.</summary>
    public BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1)
        : base(nameof(BatchNorm2d))
    {
        Eps = eps;
        Momentum = momentum;
        _weight = Layers.NewParameter(ones(features));
        _bias = Layers.NewParameter(zeros(features));
        _runningMean = zeros(features).DetachFromDisposeScope();
        _runningVar = ones(features).DetachFromDisposeScope();
        _numBatchesTracked = zeros([], ScalarType.Int64).DetachFromDisposeScope();
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        register_buffer("running_mean", _runningMean);
        register_buffer("running_var", _runningVar);
        register_buffer("num_batches_tracked", _numBatchesTracked);
    }

    /// <summary>The epsilon added to the variance.</summary>
    public double Eps { get; }

    /// <summary>The running statistics' update factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether training-mode passes update the running statistics (AlgoPerf's <c>update_batch_norm</c>).</summary>
    public bool UpdateRunningStats { get; set; } = true;

    /// <summary>
    /// Registers nothing by reflection: every child, parameter and buffer is registered explicitly under the peer's
    /// name (TorchSharp would otherwise register each field under its field name, the owner reference included).
    /// </summary>
    protected override void RegisterComponents()
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (training && UpdateRunningStats)
        {
            using (no_grad())
            {
                _numBatchesTracked.add_(Scalars.Of(1L), Scalars.One);
            }
        }

        // Training without updating: batch statistics, and no running tensors for LibTorch to write into.
        var track = !training || UpdateRunningStats;
        return nn.functional.batch_norm(input, track ? _runningMean : null, track ? _runningVar : null, _weight, _bias, training, Momentum, Eps);
    }
}
