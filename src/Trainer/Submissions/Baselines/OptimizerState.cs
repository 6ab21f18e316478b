using AlgoPerf.Trainer.Optimizers;

namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>
/// A baseline's optimizer state: the <see cref="Optimizers.Optimizer"/> (its tensors and step count, under
/// <c>optimizer.</c>) and the submission's own scalars (under <c>submission.</c>), e.g. Schedule-Free's current base
/// learning rate and its reset bookkeeping.
/// </summary>
public sealed class OptimizerState : IOptimizerState
{
    private readonly Dictionary<string, double> _scalars = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="optimizer"/> (the state owns and disposes it).</summary>
    public OptimizerState(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
    }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The submission's scalars by name (checkpointed with the optimizer).</summary>
    public IDictionary<string, double> Scalars => _scalars;

    /// <inheritdoc/>
    public StateDict Save() =>
        Optimizer.SaveState().WithPrefix("optimizer").Merge(new StateDict([], _scalars).WithPrefix("submission"));

    /// <inheritdoc/>
    public void Load(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = state.Select("submission");
        foreach (var name in _scalars.Keys.ToList())
        {
            _scalars[name] = own.GetScalar(name);
        }

        Optimizer.LoadState(state.Select("optimizer"));
    }

    /// <inheritdoc/>
    public void Dispose() => Optimizer.Dispose();
}
