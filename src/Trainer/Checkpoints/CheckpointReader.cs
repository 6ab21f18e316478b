using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// Reads the named tensors and scalars of a loaded checkpoint (the counterpart of <see cref="CheckpointWriter"/>).
/// Every failure (a missing field, a wrong type, a shape that does not fit) is a
/// <see cref="TensorFileCorruptException"/> naming the file and the field, so the runner can fall back to the
/// previous checkpoint.
/// </summary>
public sealed class CheckpointReader
{
    private readonly TensorFileContents _contents;
    private readonly IReadOnlyDictionary<string, CheckpointScalar> _scalars;
    private readonly string _prefix;

    internal CheckpointReader(TensorFileContents contents, IReadOnlyDictionary<string, CheckpointScalar> scalars, string prefix = "")
    {
        _contents = contents;
        _scalars = scalars;
        _prefix = prefix;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath => _contents.FilePath;

    /// <summary>A view whose names are prefixed with <paramref name="section"/> and a dot.</summary>
    public CheckpointReader Prefixed(string section)
    {
        ArgumentException.ThrowIfNullOrEmpty(section);
        return new CheckpointReader(_contents, _scalars, _prefix + section + ".");
    }

    /// <summary>The names of the saved tensors under this view's prefix (prefix removed), in file order.</summary>
    public IEnumerable<string> TensorNames() =>
        _contents.Names.Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)).Select(n => n[_prefix.Length..]);

    /// <summary>The names of the saved scalars under this view's prefix (prefix removed), in ordinal order.</summary>
    public IEnumerable<string> ScalarNames() =>
        _scalars.Keys.Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)).Select(n => n[_prefix.Length..]).Order(StringComparer.Ordinal);

    /// <summary>The kind of a saved scalar, or null when there is none of that name.</summary>
    public CheckpointScalarKind? ScalarKind(string name) => _scalars.TryGetValue(_prefix + name, out var s) ? s.Kind : null;

    /// <summary>Whether a tensor or scalar of that name was saved.</summary>
    public bool Has(string name) => _contents.TryGet(_prefix + name, out _) || _scalars.ContainsKey(_prefix + name);

    /// <summary>The saved tensor (a CPU tensor owned by the checkpoint; copy it, do not keep it).</summary>
    public Tensor Tensor(string name) =>
        _contents.TryGet(_prefix + name, out var t) ? t : throw Corrupt(name, "missing tensor");

    /// <summary>
    /// Copies the saved tensor into <paramref name="target"/> in place (under no-grad), after checking that the
    /// shape and dtype are the same.
    /// </summary>
    public void CopyInto(string name, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var source = Tensor(name);
        var expected = target.shape;
        var actual = source.shape;
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            throw Corrupt(name, $"shape [{string.Join(", ", actual)}] does not fit [{string.Join(", ", expected)}]");
        }

        if (source.dtype != target.dtype)
        {
            throw Corrupt(name, $"dtype {source.dtype} does not fit {target.dtype}");
        }

        using var noGrad = torch.no_grad();
        target.copy_(source);
    }

    /// <summary>Saved bytes (<see cref="CheckpointWriter.Bytes"/>).</summary>
    public byte[] Bytes(string name)
    {
        var t = Tensor(name);
        return t.dtype == ScalarType.Byte && t.ndim == 1 ? TensorBytes.ToBytes(t) : throw Corrupt(name, $"expected bytes, found a {t.dtype} tensor of {t.ndim} dimensions");
    }

    /// <summary>A saved floating-point scalar.</summary>
    public double Double(string name) => Scalar(name, CheckpointScalarKind.Double).Double;

    /// <summary>A saved integer scalar.</summary>
    public long Int64(string name) => Scalar(name, CheckpointScalarKind.Int64).Int64;

    /// <summary>A saved unsigned integer scalar.</summary>
    public ulong UInt64(string name) => Scalar(name, CheckpointScalarKind.UInt64).UInt64;

    /// <summary>A saved string scalar.</summary>
    public string String(string name) => Scalar(name, CheckpointScalarKind.String).String;

    /// <summary>Restores a component saved under <paramref name="section"/>.</summary>
    public void Component(string section, ICheckpointable component)
    {
        ArgumentNullException.ThrowIfNull(component);
        component.Load(Prefixed(section));
    }

    /// <summary>An error naming the file and this field, for <see cref="ICheckpointable.Load"/> implementations.</summary>
    public TensorFileCorruptException Corrupt(string name, string detail) =>
        new(FilePath, "field '" + _prefix + name + "'", detail);

    private CheckpointScalar Scalar(string name, CheckpointScalarKind kind)
    {
        if (!_scalars.TryGetValue(_prefix + name, out var s))
        {
            throw Corrupt(name, "missing scalar");
        }

        return s.Kind == kind ? s : throw Corrupt(name, string.Create(CultureInfo.InvariantCulture, $"expected {kind}, found {s.Kind}"));
    }
}
