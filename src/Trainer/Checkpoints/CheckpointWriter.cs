using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// Collects the named tensors and scalars of one checkpoint. Names are dotted paths; <see cref="Prefixed"/> gives a
/// view that prepends a section (e.g. <c>optimizer.</c>), so a component names its state without knowing where it goes.
/// Tensors are referenced, not copied: they must stay alive and unchanged until the checkpoint is written, which
/// happens on the same thread right after the writer is filled.
/// </summary>
public sealed class CheckpointWriter
{
    private readonly Shared _shared;
    private readonly string _prefix;

    /// <summary>An empty writer.</summary>
    public CheckpointWriter()
        : this(new Shared(), string.Empty)
    {
    }

    private CheckpointWriter(Shared shared, string prefix)
    {
        _shared = shared;
        _prefix = prefix;
    }

    /// <summary>The tensors, in the order written, with their full names.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors => _shared.Tensors;

    /// <summary>The scalars, in the order written, with their full names (double, long or string values).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Scalars => _shared.Scalars;

    /// <summary>A view whose names are prefixed with <paramref name="section"/> and a dot.</summary>
    public CheckpointWriter Prefixed(string section)
    {
        ArgumentException.ThrowIfNullOrEmpty(section);
        return new CheckpointWriter(_shared, _prefix + section + ".");
    }

    /// <summary>Adds a tensor (any device; it is copied to the file as its element bytes).</summary>
    public void Tensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _shared.Add(_prefix + name);
        _shared.Tensors.Add(new(_prefix + name, tensor));
    }

    /// <summary>Adds bytes (e.g. a generator's state), stored as a uint8 tensor.</summary>
    public void Bytes(string name, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var t = torch.tensor(bytes).DetachFromDisposeScope();
        _shared.Owned.Add(t);
        Tensor(name, t);
    }

    /// <summary>Adds a floating-point scalar (exact: NaN and infinities included).</summary>
    public void Double(string name, double value) => AddScalar(name, value);

    /// <summary>Adds an integer scalar.</summary>
    public void Int64(string name, long value) => AddScalar(name, value);

    /// <summary>Adds an unsigned integer scalar (seeds, generator words).</summary>
    public void UInt64(string name, ulong value) => AddScalar(name, value);

    /// <summary>Adds a string scalar.</summary>
    public void String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddScalar(name, value);
    }

    /// <summary>Saves a component's state under <paramref name="section"/>.</summary>
    public void Component(string section, ICheckpointable component)
    {
        ArgumentNullException.ThrowIfNull(component);
        component.Save(Prefixed(section));
    }

    /// <summary>Releases the tensors this writer created (for <see cref="Bytes"/>).</summary>
    internal void ReleaseOwned()
    {
        foreach (var t in _shared.Owned)
        {
            t.Dispose();
        }

        _shared.Owned.Clear();
    }

    private void AddScalar(string name, object value)
    {
        _shared.Add(_prefix + name);
        _shared.Scalars.Add(new(_prefix + name, value));
    }

    private sealed class Shared
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public List<KeyValuePair<string, Tensor>> Tensors { get; } = [];

        public List<KeyValuePair<string, object>> Scalars { get; } = [];

        public List<Tensor> Owned { get; } = [];

        public void Add(string name)
        {
            if (name.Length == 0 || name.EndsWith('.'))
            {
                throw new ArgumentException($"checkpoint field name '{name}' is empty", nameof(name));
            }

            if (!_names.Add(name))
            {
                throw new ArgumentException($"checkpoint field '{name}' is written twice", nameof(name));
            }
        }
    }
}
