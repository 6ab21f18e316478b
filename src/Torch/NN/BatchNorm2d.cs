namespace AlgoPerf.Torch.NN;

/// <summary>
/// Batch normalisation over the channels of NCHW input (<c>nn.BatchNorm2d</c>): scale 1, shift 0, running mean 0,
/// running variance 1, and a <c>num_batches_tracked</c> counter, as PyTorch.
/// </summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1)
    {
        Eps = eps;
        Momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.Ones([features]), ParameterType.BatchNormScale);
        Bias = RegisterParameter("bias", Tensor.Zeros([features]), ParameterType.BatchNormBias);
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([features]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([features]));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], ScalarType.Int64));
    }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>Weight of the batch statistics in the running ones; settable (AlgoPerf's <c>update_batch_norm=False</c> sets 0).</summary>
    public double Momentum { get; set; }

    /// <summary>When false, training-mode forward passes leave the running statistics untouched (AlgoPerf's <c>update_batch_norm</c>).</summary>
    public bool UpdateRunningStats { get; set; } = true;

    /// <summary>The per-channel scale.</summary>
    public Parameter Weight { get; }

    /// <summary>The per-channel shift.</summary>
    public Parameter Bias { get; }

    /// <summary>Running mean of the channels.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance of the channels.</summary>
    public Tensor RunningVar { get; }

    /// <summary>Number of training batches seen.</summary>
    public Tensor NumBatchesTracked { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (IsTraining && UpdateRunningStats)
        {
            using (TorchRuntime.NoGrad())
            {
                NumBatchesTracked.Add_(1L);
            }
        }

        // Training without updating: batch statistics, but no running tensors for libtorch to write into.
        var track = !IsTraining || UpdateRunningStats;
        return Functional.BatchNorm(input, track ? RunningMean : null, track ? RunningVar : null, Weight.Tensor, Bias.Tensor,
            IsTraining, Momentum, Eps);
    }
}
