using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// A dev-suite model: a <see cref="Module"/> whose forward takes the batch's input tensors (one for images and text,
/// dense + categorical for DLRM) and applies dropout at the rate of the current call (AlgoPerf v0.6 passes
/// <c>dropout_rate</c> to every <c>model_fn</c> call). Parameter names follow the PyTorch peer's, so parameter lists
/// compare one to one.
/// </summary>
public abstract class WorkloadModel : Module
{
    /// <summary>The dropout rate of the next forward passes (0: no dropout op is run at all).</summary>
    public double DropoutRate { get; set; }

    /// <summary>The generator dropout masks are drawn from; null: libtorch's default generator.</summary>
    public Generator? DropoutGenerator { get; set; }

    /// <summary>Computes the model's output (logits, or the image for the U-Net) from the batch inputs.</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>Sets whether training-mode passes update batch-norm running statistics, on every batch-norm layer.</summary>
    public void SetUpdateBatchNorm(bool update) => SetUpdateBatchNorm(this, update);

    /// <summary>Dropout at <see cref="DropoutRate"/> in training mode; the input itself when the rate is 0 or in eval mode.</summary>
    protected Tensor Dropout(Tensor input) =>
        DropoutRate > 0 && IsTraining ? Functional.Dropout(input, DropoutRate, true, DropoutGenerator) : input;

    private static void SetUpdateBatchNorm(Module module, bool update)
    {
        if (module is BatchNorm2d bn)
        {
            bn.UpdateRunningStats = update;
        }

        foreach (var (_, child) in module.NamedChildren())
        {
            SetUpdateBatchNorm(child, update);
        }
    }
}
