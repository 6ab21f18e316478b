using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>This tensor converted to <paramref name="dtype"/> (this very data when already of that dtype, as torch).</summary>
    public Tensor To(ScalarType dtype)
    {
        var status = NativeMethods.ats_tensor_to_dtype(Handle, (int)dtype, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_to_dtype));
    }

    /// <summary>This tensor on <paramref name="device"/>.</summary>
    public Tensor To(Device device)
    {
        var status = NativeMethods.ats_tensor_to_device(Handle, (int)device.Type, device.Index, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_to_device));
    }

    /// <summary>A copy with its own storage (<c>clone</c>), part of the autograd graph.</summary>
    public Tensor Clone()
    {
        var status = NativeMethods.ats_tensor_clone(Handle, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_clone));
    }

    /// <summary>A second handle on the same tensor (same storage, same autograd identity); disposed independently.</summary>
    public Tensor Alias()
    {
        var status = NativeMethods.ats_tensor_alias(Handle, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_alias));
    }

    /// <summary>The single element of a one-element tensor, converted to double (<c>item()</c>).</summary>
    public double ToDouble()
    {
        NativeError.Check(NativeMethods.ats_tensor_item(Handle, out var value));
        return value;
    }

    /// <summary>The single element as float.</summary>
    public float ToSingle() => (float)ToDouble();

    /// <summary>The single element of an integral tensor as long.</summary>
    public long ToInt64()
    {
        NativeError.Check(NativeMethods.ats_tensor_item_long(Handle, out var value));
        return value;
    }

    /// <summary>The single element as bool (non-zero is true).</summary>
    public bool ToBoolean() => ToDouble() != 0;

    /// <summary>The single element, exactly, as <typeparamref name="TElement"/> (which must match the dtype).</summary>
    public unsafe TElement Item<TElement>()
        where TElement : unmanaged
    {
        if (Numel != 1)
        {
            throw new InvalidOperationException($"Item() needs a one-element tensor, this one has {Numel}");
        }

        TElement value = default;
        CopyTo(new Span<TElement>(&value, 1));
        return value;
    }
}
