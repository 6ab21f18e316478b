using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>Element-wise clamp into [<paramref name="min"/>, <paramref name="max"/>]; a null bound is open.</summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        var status = NativeMethods.ats_tensor_clamp(Handle, min ?? 0, min is null ? 0 : 1, max ?? 0, max is null ? 0 : 1, 0, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_clamp));
    }

    /// <summary>In place <see cref="Clamp"/>. Returns this.</summary>
    public Tensor Clamp_(double? min = null, double? max = null)
    {
        NativeError.Check(NativeMethods.ats_tensor_clamp(Handle, min ?? 0, min is null ? 0 : 1, max ?? 0, max is null ? 0 : 1, 1, out _));
        return this;
    }

    /// <summary><c>this + weight * (end - this)</c> (<c>lerp</c>).</summary>
    public Tensor Lerp(Tensor end, double weight) => Ternary(TernaryOp.LerpScalar, end, null, weight, false)!;

    /// <summary><c>this + weight * (end - this)</c> with an element-wise weight.</summary>
    public Tensor Lerp(Tensor end, Tensor weight) => Ternary(TernaryOp.LerpTensor, end, weight, 0, false)!;

    /// <summary>In place <see cref="Lerp(Tensor, double)"/>. Returns this.</summary>
    public Tensor Lerp_(Tensor end, double weight) => Ternary(TernaryOp.LerpScalar, end, null, weight, true) ?? this;

    /// <summary>In place <see cref="Lerp(Tensor, Tensor)"/>. Returns this.</summary>
    public Tensor Lerp_(Tensor end, Tensor weight) => Ternary(TernaryOp.LerpTensor, end, weight, 0, true) ?? this;

    /// <summary><c>this + value * t1 * t2</c> (<c>addcmul</c>).</summary>
    public Tensor Addcmul(Tensor tensor1, Tensor tensor2, double value = 1) => Ternary(TernaryOp.Addcmul, tensor1, tensor2, value, false)!;

    /// <summary>In place <see cref="Addcmul"/>. Returns this.</summary>
    public Tensor Addcmul_(Tensor tensor1, Tensor tensor2, double value = 1) => Ternary(TernaryOp.Addcmul, tensor1, tensor2, value, true) ?? this;

    /// <summary><c>this + value * t1 / t2</c> (<c>addcdiv</c>).</summary>
    public Tensor Addcdiv(Tensor tensor1, Tensor tensor2, double value = 1) => Ternary(TernaryOp.Addcdiv, tensor1, tensor2, value, false)!;

    /// <summary>In place <see cref="Addcdiv"/>. Returns this.</summary>
    public Tensor Addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1) => Ternary(TernaryOp.Addcdiv, tensor1, tensor2, value, true) ?? this;

    private Tensor? Ternary(TernaryOp op, Tensor b, Tensor? c, double value, bool inplace)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (op != TernaryOp.LerpScalar)
        {
            ArgumentNullException.ThrowIfNull(c);
        }

        var status = NativeMethods.ats_tensor_ternary((int)op, Handle, b.Handle, HandleOf(c), value, inplace ? 1 : 0, out var h);
        NativeError.CheckOp(status, nameof(NativeMethods.ats_tensor_ternary), op);
        return inplace ? null : new Tensor(h);
    }
}
