namespace AlgoPerf.Torch.NN;

/// <summary>A module with a typed forward function (TorchSharp's <c>Module&lt;T, TResult&gt;</c>).</summary>
/// <typeparam name="TInput">The forward input.</typeparam>
/// <typeparam name="TOutput">The forward output.</typeparam>
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>Computes the module's output.</summary>
    public abstract TOutput Forward(TInput input);

    /// <summary>Same as <see cref="Forward"/> (<c>module(x)</c>).</summary>
    public TOutput Call(TInput input) => Forward(input);
}
