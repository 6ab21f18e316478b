using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// A dev-suite model: a TorchSharp <see cref="nn.Module{T, TResult}"/> whose forward takes the batch's input tensors
/// (one for images and text, dense + categorical for DLRM) and applies dropout at the rate of the current call
/// (AlgoPerf v0.6 passes <c>dropout_rate</c> to every <c>model_fn</c> call). Parameter names follow the PyTorch peer's,
/// so parameter lists compare one to one.
/// </summary>
public abstract class WorkloadModel : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    /// <summary>Creates the module named <paramref name="name"/>.</summary>
    protected WorkloadModel(string name)
        : base(name)
    {
    }

    /// <summary>The dropout rate of the next forward passes (0: no dropout op is run at all).</summary>
    public double DropoutRate { get; set; }

    /// <summary>The generator dropout masks are drawn from; null: LibTorch's default generator.</summary>
    public Generator? DropoutGenerator { get; set; }

    /// <summary>
    /// The data-parallel gang this model trains in (what wrapping it in PyTorch's <c>DistributedDataParallel</c>
    /// does), or null on one device. Set by the trial runner; submissions do not see ranks.
    /// </summary>
    public IGradientReducer? Gang { get; set; }

    /// <summary>Calls of <see cref="Backward"/> so far (the runner checks that a gang's update averaged its gradients).</summary>
    public long BackwardCount { get; private set; }

    /// <summary>
    /// <c>loss.backward()</c> as a DDP-wrapped model does it: the gradients of <paramref name="loss"/> are accumulated
    /// into the parameters' <c>grad</c>, then averaged over the <see cref="Gang"/>'s ranks (each computed them on its
    /// shard of the global batch), so the caller holds the gradient of the global batch. Submissions call this instead
    /// of <c>loss.backward()</c>; on one device it is exactly that.
    /// </summary>
    public void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.backward();
        BackwardCount++;
        if (Gang is { WorldSize: > 1 } gang)
        {
            using var scope = NewDisposeScope();
            var gradients = parameters().Where(p => p.requires_grad).Select(p => p.grad).OfType<Tensor>().ToList();
            gang.AverageInPlace(gradients);
        }
    }

    /// <summary>
    /// DDP's buffer broadcast (<c>broadcast_buffers=True</c>): every rank's buffers (batch-norm running statistics)
    /// become rank 0's. Called before every training forward pass and before an eval, so a gang evaluates, checkpoints
    /// and resumes one model. Nothing happens on one device or for a model without buffers.
    /// </summary>
    public void BroadcastBuffers()
    {
        if (Gang is { WorldSize: > 1 } gang)
        {
            var buffers = this.buffers().ToList();
            if (buffers.Count > 0)
            {
                gang.BroadcastInPlace(buffers, 0);
            }
        }
    }

    /// <summary>
    /// DDP's construction: every rank's parameters and buffers become rank 0's, so ranks built or restored apart start
    /// from one model. Nothing happens on one device.
    /// </summary>
    public void BroadcastState()
    {
        if (Gang is { WorldSize: > 1 } gang)
        {
            using var noGrad = torch.no_grad();
            gang.BroadcastInPlace([.. parameters(), .. buffers()], 0);
        }
    }

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>
    /// AlgoPerf's parameter type of every parameter, by dotted name: from the layer that owns it (dense, convolution,
    /// batch norm, layer norm, embedding), and <see cref="TypeOverride"/> for the rest (attention projections,
    /// position embeddings).
    /// </summary>
    public IReadOnlyDictionary<string, ParameterType> ParameterTypes()
    {
        var types = new Dictionary<string, ParameterType>(StringComparer.Ordinal);
        // TorchSharp's named_modules() leaves out the root, whose own parameters (e.g. pos) count too.
        foreach (var (prefix, module) in named_modules().Where(m => m.name.Length > 0).Prepend((string.Empty, this)))
        {
            foreach (var (name, _) in module.named_parameters(recurse: false))
            {
                var full = prefix.Length == 0 ? name : prefix + "." + name;
                types[full] = TypeOverride(full) ?? LayerType(module, name);
            }
        }

        return types;
    }

    /// <summary>Sets whether training-mode passes update batch-norm running statistics, on every batch-norm layer.</summary>
    public void SetUpdateBatchNorm(bool update)
    {
        foreach (var module in modules())
        {
            if (module is BatchNorm2d bn)
            {
                bn.UpdateRunningStats = update;
            }
        }
    }

    /// <summary>
    /// Registers nothing by reflection: every child, parameter and buffer is registered explicitly under the peer's
    /// name (TorchSharp would otherwise register each field under its field name, the owner reference included).
    /// </summary>
    protected override void RegisterComponents()
    {
    }

    /// <summary>The type of parameter <paramref name="name"/> where the layer alone does not tell it; null otherwise.</summary>
    protected virtual ParameterType? TypeOverride(string name) => null;

    /// <summary>Dropout at <see cref="DropoutRate"/> in training mode; the input itself when the rate is 0 or in eval mode.</summary>
    protected internal Tensor Dropout(Tensor input) =>
        DropoutRate > 0 && training ? Dropout(input, DropoutRate, DropoutGenerator) : input;

    /// <summary>
    /// Inverted dropout as LibTorch's CPU kernel computes it (<c>input · bernoulli(1−p) / (1−p)</c>), with the mask drawn
    /// from <paramref name="generator"/> (TorchSharp's <c>functional.dropout</c> takes no generator).
    /// </summary>
    public static Tensor Dropout(Tensor input, double p, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p >= 1)
        {
            return input.mul(Scalars.Of(0));
        }

        using var scope = NewDisposeScope();

        // The mask is drawn where the generator lives (a trial's generators are CPU ones), so that a seed gives the same
        // mask on every device.
        var noise = generator is null || generator.device.type == input.device.type
            ? empty_like(input).bernoulli_(1 - p, generator)
            : empty(input.shape, input.dtype).bernoulli_(1 - p, generator).to(input.device);
        noise.div_(Scalars.Of(1 - p));
        return input.mul(noise).MoveToOuterDisposeScope();
    }

    private static ParameterType LayerType(nn.Module module, string name) => (module, name) switch
    {
        (BatchNorm2d, "weight") => ParameterType.BatchNormScale,
        (BatchNorm2d, _) => ParameterType.BatchNormBias,
        (LayerNorm, "weight") => ParameterType.LayerNormScale,
        (LayerNorm, _) => ParameterType.LayerNormBias,
        (Embedding, _) => ParameterType.Embedding,
        (Conv2d or ConvTranspose2d, "weight") => ParameterType.ConvWeight,
        (_, "bias") => ParameterType.Bias,
        _ => ParameterType.Weight,
    };
}
