using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Submissions;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// Base of the baseline optimizers: a fixed list of parameter tensors updated in place from their gradients
/// (<c>.grad</c>), one <see cref="Step"/> per training step, under no-grad and a dispose scope so that every
/// intermediate is released at once. The update rules are stated in <c>docs/trainer.md</c> §5 and checked against
/// PyTorch trajectories.
/// </summary>
/// <remarks>
/// State tensors are named (<c>exp_avg.3</c>: slot and parameter index) and live until <see cref="Dispose"/>;
/// <see cref="SaveState"/> lists them with the step count and the subclass's scalars, and <see cref="LoadState"/>
/// puts a saved state back (copied into tensors shaped, typed and placed like the parameters when first used), so a
/// restored optimizer continues bit for bit.
/// </remarks>
public abstract class Optimizer : IDisposable
{
    private const string StepScalar = "step";
    private readonly Dictionary<string, Tensor> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _loaded = new(StringComparer.Ordinal);
    private readonly List<Tensor?[]> _slotCaches = [];
    private bool _disposed;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> (leaf tensors that require grad).</summary>
    protected Optimizer(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
    }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Updates taken so far (t of the bias corrections after a step).</summary>
    public long StepCount { get; protected set; }

    /// <summary>One update with learning rate <paramref name="lr"/>; parameters without a gradient are skipped.</summary>
    public void Step(double lr)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        StepCount++;
        BeginStep(lr);
        for (var i = 0; i < Parameters.Count; i++)
        {
            var grad = Parameters[i].grad;
            if (grad is not null)
            {
                Update(i, Parameters[i], grad, lr);
            }
        }
    }

    /// <summary>Drops every parameter's gradient (<c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.grad = null;
        }
    }

    /// <summary>
    /// The optimizer's state: its state tensors (live, not copies: save them before the next step) and scalars
    /// (<c>step</c> and the subclass's own).
    /// </summary>
    public StateDict SaveState()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var scalars = new List<KeyValuePair<string, double>> { new(StepScalar, StepCount) };
        SaveScalars(scalars);
        return new StateDict(_state.Concat(_loaded), scalars);
    }

    /// <summary>
    /// Replaces the state with a copy of <paramref name="state"/> (as <see cref="SaveState"/> gave it). Each tensor is
    /// copied into a fresh state tensor the first time the update needs it, so shapes are checked then and dtype and
    /// device follow the parameters.
    /// </summary>
    /// <exception cref="InvalidDataException">A scalar is missing.</exception>
    public void LoadState(StateDict state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        var step = state.GetScalar(StepScalar);
        LoadScalars(state);
        ClearState();
        foreach (var (name, tensor) in state.Tensors)
        {
            using var scope = torch.NewDisposeScope();
            _loaded[name] = tensor.detach().clone().DetachFromDisposeScope();
        }

        StepCount = checked((long)step);
        OnStateLoaded();
    }

    /// <summary>Releases the state tensors.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ClearState();
        GC.SuppressFinalize(this);
    }

    /// <summary>Hook before the per-parameter updates of a step (StepCount already incremented).</summary>
    protected virtual void BeginStep(double lr)
    {
    }

    /// <summary>Updates one parameter in place from its gradient.</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor grad, double lr);

    /// <summary>Adds the subclass's scalar state (besides the step count) to <paramref name="scalars"/>.</summary>
    protected virtual void SaveScalars(List<KeyValuePair<string, double>> scalars)
    {
    }

    /// <summary>Reads the subclass's scalar state back (called before the tensors are replaced).</summary>
    protected virtual void LoadScalars(StateDict state)
    {
    }

    /// <summary>Called after <see cref="LoadState"/>: drop cached references to state tensors (they were disposed).</summary>
    protected virtual void OnStateLoaded()
    {
    }

    /// <summary>A per-parameter cache of one state slot for <see cref="Slot"/>; cleared when the state is loaded.</summary>
    protected Tensor?[] NewSlotCache()
    {
        var cache = new Tensor?[Parameters.Count];
        _slotCaches.Add(cache);
        return cache;
    }

    /// <summary>
    /// Parameter <paramref name="index"/>'s state tensor of slot <paramref name="slot"/> (named <c>slot.index</c>),
    /// cached in <paramref name="cache"/> (from <see cref="NewSlotCache"/>); see <see cref="GetOrCreateState"/>.
    /// </summary>
    protected Tensor Slot(Tensor?[] cache, int index, string slot, Func<Tensor> create)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache[index] ??= GetOrCreateState(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{slot}.{index}"), create);
    }

    /// <summary>
    /// The state tensor <paramref name="name"/>: a loaded one copied into a tensor made by <paramref name="create"/>,
    /// the existing one, or a new one from <paramref name="create"/>. The optimizer owns and disposes it.
    /// </summary>
    /// <exception cref="InvalidDataException">A loaded tensor of that name has a different shape.</exception>
    protected Tensor GetOrCreateState(string name, Func<Tensor> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (_state.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var tensor = create().DetachFromDisposeScope();
        if (_loaded.Remove(name, out var loaded))
        {
            using (loaded)
            {
                if (!loaded.shape.SequenceEqual(tensor.shape))
                {
                    tensor.Dispose();
                    throw new InvalidDataException(
                        $"optimizer state '{name}' has shape [{string.Join(", ", loaded.shape)}], expected [{string.Join(", ", tensor.shape)}]");
                }

                using var noGrad = torch.no_grad();
                tensor.copy_(loaded);
            }
        }

        _state[name] = tensor;
        return tensor;
    }

    /// <summary>The state tensor <paramref name="name"/> (a loaded one moved to <paramref name="like"/>'s dtype and device), or null.</summary>
    protected Tensor? FindState(string name, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        if (_state.TryGetValue(name, out var existing))
        {
            return existing;
        }

        if (!_loaded.Remove(name, out var loaded))
        {
            return null;
        }

        using (loaded)
        {
            using var scope = torch.NewDisposeScope();
            var moved = loaded.to(like.dtype).to(like.device).clone().DetachFromDisposeScope();
            _state[name] = moved;
            return moved;
        }
    }

    /// <summary>Sets state tensor <paramref name="name"/> to <paramref name="value"/> (taken out of its scope), disposing the old one.</summary>
    protected Tensor ReplaceState(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.DetachFromDisposeScope();
        if (_state.Remove(name, out var old) && !ReferenceEquals(old, value))
        {
            old.Dispose();
        }

        if (_loaded.Remove(name, out var loaded))
        {
            loaded.Dispose();
        }

        _state[name] = value;
        return value;
    }

    private void ClearState()
    {
        foreach (var t in _state.Values.Concat(_loaded.Values))
        {
            t.Dispose();
        }

        _state.Clear();
        _loaded.Clear();
        foreach (var cache in _slotCaches)
        {
            Array.Clear(cache);
        }
    }
}
