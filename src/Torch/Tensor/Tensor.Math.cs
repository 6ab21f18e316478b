using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary><c>this + alpha * other</c>, broadcasting.</summary>
    public Tensor Add(Tensor other, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(other);
        var status = NativeMethods.ats_tensor_add(Handle, other.Handle, alpha, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_add));
    }

    /// <summary>In place: <c>this += alpha * other</c>. Returns this.</summary>
    public Tensor Add_(Tensor other, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(other);
        NativeError.Check(NativeMethods.ats_tensor_add_(Handle, other.Handle, alpha));
        return this;
    }

    /// <summary>Matrix product with broadcasting (<c>torch.matmul</c>).</summary>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var status = NativeMethods.ats_tensor_matmul(Handle, other.Handle, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_matmul));
    }

    /// <summary><c>a + b</c>.</summary>
    public static Tensor operator +(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Add(b);
    }
}
