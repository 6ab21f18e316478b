namespace AlgoPerf.Torch.NN;

/// <summary>
/// A layer or model (<c>nn.Module</c>): owns named parameters, buffers and child modules, registered in order, and a
/// train/eval mode. Names are dotted paths as in PyTorch (<c>layers.0.weight</c>), so parameter lists and state
/// compare one to one with the PyTorch reference models. Disposing a module releases all its tensors.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Parameter Parameter)> _parameters = [];
    private readonly List<(string Name, Tensor Buffer)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private bool _disposed;

    /// <summary>True in training mode (dropout active, batch norm uses and updates batch statistics).</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Every parameter of this module and its descendants with its dotted name, in registration order.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var (name, p) in _parameters)
        {
            yield return (name, p);
        }

        foreach (var (prefix, child) in _children)
        {
            foreach (var (name, p) in child.NamedParameters())
            {
                yield return (prefix + "." + name, p);
            }
        }
    }

    /// <summary>Every parameter, in <see cref="NamedParameters"/> order.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer (non-trained state such as batch norm's running statistics) with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (name, b) in _buffers)
        {
            yield return (name, b);
        }

        foreach (var (prefix, child) in _children)
        {
            foreach (var (name, b) in child.NamedBuffers())
            {
                yield return (prefix + "." + name, b);
            }
        }
    }

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Tensor.Numel);

    /// <summary>Sets training mode on this module and every descendant. Returns this.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children)
        {
            child.Train(training);
        }

        return this;
    }

    /// <summary>Sets evaluation mode (<c>Train(false)</c>). Returns this.</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Moves every parameter, gradient and buffer of this module and its descendants to <paramref name="device"/> in
    /// place (<c>module.to(device)</c>): references held to them stay valid. Returns this.
    /// </summary>
    public Module To(Device device) => Apply(t => t.To(device));

    /// <summary>
    /// Converts every floating-point parameter, gradient and buffer to <paramref name="dtype"/> in place
    /// (<c>module.to(dtype)</c>); integer buffers such as batch counters keep their type. Returns this.
    /// </summary>
    public Module To(ScalarType dtype) => Apply(t => Tensor.IsIntegral(t.Dtype) ? t.Alias() : t.To(dtype));

    /// <summary>Drops every parameter's gradient (<c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.Grad = null;
        }
    }

    /// <summary>Releases every parameter and buffer of this module and its descendants.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases owned tensors; override to release more, calling the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        foreach (var (_, p) in _parameters)
        {
            p.Tensor.Dispose();
        }

        foreach (var (_, b) in _buffers)
        {
            b.Dispose();
        }

        foreach (var (_, c) in _children)
        {
            c.Dispose();
        }
    }

    private Module Apply(Func<Tensor, Tensor> convert)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        foreach (var p in Parameters())
        {
            p.Tensor.SetData_(convert(p.Tensor));
            if (p.Grad is { } grad)
            {
                grad.SetData_(convert(grad));
            }
        }

        foreach (var (_, b) in NamedBuffers())
        {
            b.SetData_(convert(b));
        }

        return this;
    }

    /// <summary>Registers a parameter created from <paramref name="value"/> (ownership moves to the module).</summary>
    protected Parameter RegisterParameter(string name, Tensor value, ParameterType type)
    {
        CheckName(name);
        var p = new Parameter(value, type);
        _parameters.Add((name, p));
        return p;
    }

    /// <summary>Registers a buffer (ownership moves to the module; it never requires grad).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        _buffers.Add((name, value.DetachFromScope()));
        return value;
    }

    /// <summary>Registers a child module. Returns it.</summary>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"member name '{name}' must not contain '.'", nameof(name));
        }

        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
        {
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'", nameof(name));
        }
    }
}
