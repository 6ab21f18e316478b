using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Submissions;

/// <summary>
/// A checkpointable state as named tensors plus named scalars (PyTorch's <c>state_dict()</c> in two flat lists). The
/// runner saves <see cref="Tensors"/> with <c>TensorFile.Save</c> and the scalars as the file's metadata; a restore
/// hands the same names back to <see cref="IOptimizerState.Load"/>. Names are ordinal-sorted so the same state always
/// lists (and saves) the same way.
/// </summary>
/// <remarks>
/// The tensors of a state returned by <see cref="IOptimizerState.Save"/> are the live state tensors, not copies: save
/// them before the next update and do not dispose them. <see cref="IOptimizerState.Load"/> copies what it is given,
/// so the caller keeps ownership of the tensors it passes in.
/// </remarks>
public sealed class StateDict
{
    /// <summary>Creates a state from tensors and scalars (each list sorted by name; names must be unique per list).</summary>
    /// <exception cref="ArgumentException">A name is empty or appears twice in one list.</exception>
    public StateDict(IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, double>> scalars)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(scalars);
        Tensors = Sorted(tensors, "tensor");
        Scalars = Sorted(scalars, "scalar");
    }

    /// <summary>The empty state (a stateless optimizer).</summary>
    public static StateDict Empty { get; } = new([], []);

    /// <summary>Named tensors, ordinal-sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors { get; }

    /// <summary>Named scalars (counters, learning rates, running sums), ordinal-sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Scalars { get; }

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public Tensor? FindTensor(string name) => Tensors.FirstOrDefault(t => t.Key == name).Value;

    /// <summary>The scalar called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">There is none (a checkpoint from another submission or version).</exception>
    public double GetScalar(string name)
    {
        foreach (var s in Scalars)
        {
            if (s.Key == name)
            {
                return s.Value;
            }
        }

        throw new InvalidDataException($"optimizer state has no scalar '{name}' (have: {string.Join(", ", Scalars.Select(s => s.Key))})");
    }

    /// <summary>The scalar called <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public double GetScalarOrDefault(string name, double fallback)
    {
        foreach (var s in Scalars)
        {
            if (s.Key == name)
            {
                return s.Value;
            }
        }

        return fallback;
    }

    /// <summary>This state with every name prefixed by <c>prefix + "."</c> (to nest one state in another).</summary>
    public StateDict WithPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new StateDict(
            Tensors.Select(t => KeyValuePair.Create(prefix + "." + t.Key, t.Value)),
            Scalars.Select(s => KeyValuePair.Create(prefix + "." + s.Key, s.Value)));
    }

    /// <summary>The entries whose names start with <c>prefix + "."</c>, with that prefix removed.</summary>
    public StateDict Select(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var p = prefix + ".";
        return new StateDict(
            Tensors.Where(t => t.Key.StartsWith(p, StringComparison.Ordinal)).Select(t => KeyValuePair.Create(t.Key[p.Length..], t.Value)),
            Scalars.Where(s => s.Key.StartsWith(p, StringComparison.Ordinal)).Select(s => KeyValuePair.Create(s.Key[p.Length..], s.Value)));
    }

    /// <summary>This state and <paramref name="other"/> together (names must not collide).</summary>
    public StateDict Merge(StateDict other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new StateDict(Tensors.Concat(other.Tensors), Scalars.Concat(other.Scalars));
    }

    private static List<KeyValuePair<string, T>> Sorted<T>(IEnumerable<KeyValuePair<string, T>> entries, string what)
    {
        var list = entries.ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 0; i < list.Count; i++)
        {
            if (string.IsNullOrEmpty(list[i].Key))
            {
                throw new ArgumentException($"a state {what} has an empty name", nameof(entries));
            }

            if (i > 0 && list[i].Key == list[i - 1].Key)
            {
                throw new ArgumentException($"state {what} '{list[i].Key}' appears twice", nameof(entries));
            }
        }

        return list;
    }
}
