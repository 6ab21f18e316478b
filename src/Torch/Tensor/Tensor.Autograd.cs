using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor (<c>requires_grad</c>); settable on leaves.</summary>
    public bool RequiresGrad
    {
        get => NativeMethods.ats_tensor_requires_grad(Handle) != 0;
        set => NativeError.Check(NativeMethods.ats_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>True for tensors created by the user rather than by a recorded operation (<c>is_leaf</c>).</summary>
    public bool IsLeaf => NativeMethods.ats_tensor_is_leaf(Handle) != 0;

    /// <summary>
    /// The accumulated gradient (<c>.grad</c>) as a new handle on it (in-place updates reach the real gradient), or
    /// null when there is none. Setting null drops it (<c>zero_grad(set_to_none=True)</c>).
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            NativeError.Check(NativeMethods.ats_tensor_grad(Handle, out var h));
            return h == IntPtr.Zero ? null : new Tensor(h);
        }

        set => NativeError.Check(NativeMethods.ats_tensor_set_grad(Handle, HandleOf(value)));
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this (<c>requires_grad_()</c>).</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>
    /// Accumulates gradients of this tensor into the leaves' <see cref="Grad"/> (<c>backward</c>). A non-scalar tensor
    /// needs <paramref name="gradient"/>; <paramref name="retainGraph"/> keeps the graph for another backward.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false) =>
        NativeError.Check(NativeMethods.ats_tensor_backward(Handle, HandleOf(gradient), retainGraph ? 1 : 0, createGraph ? 1 : 0));

    /// <summary>A tensor sharing this data without autograd history (<c>detach</c>).</summary>
    public Tensor Detach()
    {
        var status = NativeMethods.ats_tensor_detach(Handle, 0, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_detach));
    }

    /// <summary>
    /// Replaces this tensor's data with <paramref name="value"/>'s (storage, dtype, device) while keeping its identity:
    /// every handle on it, its leaf status and requires_grad (<c>t.data = value</c>). Returns this.
    /// </summary>
    public Tensor SetData_(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        NativeError.Check(NativeMethods.ats_tensor_set_data(Handle, value.Handle));
        return this;
    }

    /// <summary>In place: drops this tensor's history, making it a leaf (<c>detach_</c>). Returns this.</summary>
    public Tensor Detach_()
    {
        NativeError.Check(NativeMethods.ats_tensor_detach(Handle, 1, out _));
        return this;
    }
}
