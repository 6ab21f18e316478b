using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// TorchSharp's layers, initialised as PyTorch initialises them but from an explicit generator, so that a trial's
/// initial parameters depend only on its seed and never on other trials running in the same process (TorchSharp's
/// own constructors draw from the process-wide default generator). Every parameter is taken out of the current dispose
/// scope: it belongs to its module, which disposes it.
/// </summary>
public static class Layers
{
    private static long s_parameterObjects;

    /// <summary>
    /// <see cref="TorchSharp.Modules.Parameter"/> objects made through this class since the process started. TorchSharp's
    /// <c>Tensor.TotalCount</c> keeps counting the tensor each parameter was made from (its handle moves into the
    /// parameter and is never released twice, but the count is not decremented), so live tensors are
    /// <c>Tensor.TotalCount</c> minus this (<see cref="Running.TorchEnvironment.LiveTensors"/>).
    /// </summary>
    public static long ParameterObjectsCreated => Interlocked.Read(ref s_parameterObjects);

    /// <summary>A parameter over <paramref name="data"/> (taken out of the current dispose scope, owned by its module).</summary>
    public static Parameter NewParameter(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Interlocked.Increment(ref s_parameterObjects);
        return new Parameter(data.DetachFromDisposeScope());
    }

    /// <summary><c>nn.Linear</c>: weight kaiming-uniform with a = √5, bias uniform in ±1/√fan_in.</summary>
    public static Linear Linear(long inFeatures, long outFeatures, Generator generator, bool bias = true)
    {
        var layer = nn.Linear(inFeatures, outFeatures, hasBias: bias);
        Reset(layer.weight!, layer.bias, generator);
        return Owned(layer);
    }

    /// <summary><c>nn.Conv2d</c> with a square kernel, initialised as <see cref="Linear(long, long, Generator, bool)"/>.</summary>
    public static Conv2d Conv2d(long inChannels, long outChannels, long kernelSize, Generator generator, long stride = 1, long padding = 0, bool bias = true)
    {
        var layer = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: bias);
        Reset(layer.weight!, layer.bias, generator);
        return Owned(layer);
    }

    /// <summary><c>nn.ConvTranspose2d</c> with a square kernel (fan in from the weight's second dimension, as PyTorch).</summary>
    public static ConvTranspose2d ConvTranspose2d(long inChannels, long outChannels, long kernelSize, Generator generator, long stride = 1, bool bias = true)
    {
        var layer = nn.ConvTranspose2d(inChannels, outChannels, kernelSize, stride: stride, bias: bias);
        Reset(layer.weight!, layer.bias, generator);
        return Owned(layer);
    }

    /// <summary><c>nn.Embedding</c>: weight standard normal.</summary>
    public static Embedding Embedding(long count, long dim, Generator generator)
    {
        var layer = nn.Embedding(count, dim);
        using (no_grad())
        {
            layer.weight!.normal_(0, 1, generator);
        }

        return Owned(layer, madeInManagedCode: false);
    }

    /// <summary>Counts the parameters <c>Module.to(device)</c> made anew for <paramref name="module"/> (see <see cref="ParameterObjectsCreated"/>).</summary>
    public static void CountMovedParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        Interlocked.Add(ref s_parameterObjects, module.parameters().Count());
    }

    /// <summary><c>nn.LayerNorm</c> over the last dimension: weight 1, bias 0.</summary>
    public static LayerNorm LayerNorm(long dim) => Owned(nn.LayerNorm(dim));

    /// <summary>
    /// Takes <paramref name="module"/>'s parameters and buffers out of the current dispose scope. Returns it.
    /// <paramref name="madeInManagedCode"/>: TorchSharp built its parameters in C# from tensors (Linear, Conv2d,
    /// LayerNorm, ...), which <see cref="ParameterObjectsCreated"/> counts; false for modules LibTorch builds natively
    /// (Embedding).
    /// </summary>
    public static T Owned<T>(T module, bool madeInManagedCode = true)
        where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var p in module.parameters())
        {
            p.DetachFromDisposeScope();
            if (madeInManagedCode)
            {
                Interlocked.Increment(ref s_parameterObjects);
            }
        }

        foreach (var b in module.buffers())
        {
            b.DetachFromDisposeScope();
        }

        return module;
    }

    /// <summary>(fan in, fan out) of a weight of at least two dimensions, as <c>torch.nn.init._calculate_fan_in_and_fan_out</c>.</summary>
    public static (long FanIn, long FanOut) Fans(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var shape = weight.shape;
        if (shape.Length < 2)
        {
            throw new ArgumentException($"fan in and fan out need at least 2 dims, got [{string.Join(", ", shape)}]", nameof(weight));
        }

        long receptive = 1;
        for (var i = 2; i < shape.Length; i++)
        {
            receptive *= shape[i];
        }

        return (shape[1] * receptive, shape[0] * receptive);
    }

    private static void Reset(Tensor weight, Tensor? bias, Generator generator)
    {
        using var noGrad = no_grad();
        var bound = 1 / Math.Sqrt(Fans(weight).FanIn);

        // kaiming_uniform_(a=√5): gain √(2/(1+5)), bound gain·√(3/fan_in) = 1/√fan_in.
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }
}
