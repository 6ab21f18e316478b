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

    /// <summary><c>this - alpha * other</c>.</summary>
    public Tensor Sub(Tensor other, double alpha = 1.0) => Binary(BinaryOp.Sub, other, alpha);

    /// <summary>Element-wise product.</summary>
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);

    /// <summary>Element-wise true division.</summary>
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);

    /// <summary>Element-wise power.</summary>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);

    /// <summary>Element-wise maximum.</summary>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);

    /// <summary>Element-wise minimum.</summary>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);

    /// <summary>Element-wise Python-style remainder.</summary>
    public Tensor Remainder(Tensor other) => Binary(BinaryOp.Remainder, other);

    /// <summary>Element-wise floor division.</summary>
    public Tensor FloorDivide(Tensor other) => Binary(BinaryOp.FloorDivide, other);

    /// <summary>Element-wise atan2(this, other).</summary>
    public Tensor Atan2(Tensor other) => Binary(BinaryOp.Atan2, other);

    /// <summary>Element-wise logical and (bool result).</summary>
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, other);

    /// <summary>Element-wise logical or (bool result).</summary>
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, other);

    /// <summary>Element-wise <c>==</c> (bool result).</summary>
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);

    /// <summary>Element-wise <c>!=</c>.</summary>
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);

    /// <summary>Element-wise <c>&lt;</c>.</summary>
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);

    /// <summary>Element-wise <c>&lt;=</c>.</summary>
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, other);

    /// <summary>Element-wise <c>&gt;</c>.</summary>
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);

    /// <summary>Element-wise <c>&gt;=</c>.</summary>
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, other);

    /// <summary>Matrix product of two matrices (<c>mm</c>).</summary>
    public Tensor Mm(Tensor other) => Binary(BinaryOp.Mm, other);

    /// <summary>Batched matrix product of two 3-d tensors (<c>bmm</c>).</summary>
    public Tensor Bmm(Tensor other) => Binary(BinaryOp.Bmm, other);

    /// <summary>Outer product of two vectors.</summary>
    public Tensor Outer(Tensor other) => Binary(BinaryOp.Outer, other);

    /// <summary>Dot product of two vectors.</summary>
    public Tensor Dot(Tensor other) => Binary(BinaryOp.Dot, other);

    /// <summary>Matrix-vector product.</summary>
    public Tensor Mv(Tensor vector) => Binary(BinaryOp.Mv, vector);

    /// <summary>In place: <c>this -= alpha * other</c>. Returns this.</summary>
    public Tensor Sub_(Tensor other, double alpha = 1.0) => BinaryInPlace(BinaryOp.Sub, other, alpha);

    /// <summary>In place element-wise product. Returns this.</summary>
    public Tensor Mul_(Tensor other) => BinaryInPlace(BinaryOp.Mul, other);

    /// <summary>In place element-wise division. Returns this.</summary>
    public Tensor Div_(Tensor other) => BinaryInPlace(BinaryOp.Div, other);

    /// <summary>In place element-wise power. Returns this.</summary>
    public Tensor Pow_(Tensor exponent) => BinaryInPlace(BinaryOp.Pow, exponent);

    /// <summary>In place element-wise maximum. Returns this.</summary>
    public Tensor Maximum_(Tensor other) => BinaryInPlace(BinaryOp.Maximum, other);

    /// <summary>In place element-wise minimum. Returns this.</summary>
    public Tensor Minimum_(Tensor other) => BinaryInPlace(BinaryOp.Minimum, other);

    /// <summary>In place: copies <paramref name="source"/> (broadcast, converted) into this (<c>copy_</c>). Returns this.</summary>
    public Tensor Copy_(Tensor source) => BinaryInPlace(BinaryOp.Copy, source);

    /// <summary><c>this + value</c>.</summary>
    public Tensor Add(double value) => ScalarCall(ScalarOp.Add, value, 0);

    /// <summary><c>this + value</c>; an integral scalar keeps integer tensors integral.</summary>
    public Tensor Add(long value) => ScalarCall(ScalarOp.Add, value, 1);

    /// <summary><c>this - value</c>.</summary>
    public Tensor Sub(double value) => ScalarCall(ScalarOp.Sub, value, 0);

    /// <summary><c>this - value</c> (integral scalar).</summary>
    public Tensor Sub(long value) => ScalarCall(ScalarOp.Sub, value, 1);

    /// <summary><c>this * value</c>.</summary>
    public Tensor Mul(double value) => ScalarCall(ScalarOp.Mul, value, 0);

    /// <summary><c>this * value</c> (integral scalar).</summary>
    public Tensor Mul(long value) => ScalarCall(ScalarOp.Mul, value, 1);

    /// <summary><c>this / value</c> (true division).</summary>
    public Tensor Div(double value) => ScalarCall(ScalarOp.Div, value, 0);

    /// <summary><c>this ^ exponent</c>.</summary>
    public Tensor Pow(double exponent) => ScalarCall(ScalarOp.Pow, exponent, 0);

    /// <summary>Element-wise <c>max(this, value)</c> (<c>clamp_min</c>).</summary>
    public Tensor ClampMin(double value) => ScalarCall(ScalarOp.ClampMin, value, 0);

    /// <summary>Element-wise <c>min(this, value)</c> (<c>clamp_max</c>).</summary>
    public Tensor ClampMax(double value) => ScalarCall(ScalarOp.ClampMax, value, 0);

    /// <summary>Python-style remainder by a scalar.</summary>
    public Tensor Remainder(double value) => ScalarCall(ScalarOp.Remainder, value, 0);

    /// <summary>C-style remainder by a scalar (<c>fmod</c>).</summary>
    public Tensor Fmod(double value) => ScalarCall(ScalarOp.Fmod, value, 0);

    /// <summary>Element-wise <c>== value</c>.</summary>
    public Tensor Eq(double value) => ScalarCall(ScalarOp.Eq, value, 0);

    /// <summary>Element-wise <c>!= value</c>.</summary>
    public Tensor Ne(double value) => ScalarCall(ScalarOp.Ne, value, 0);

    /// <summary>Element-wise <c>&lt; value</c>.</summary>
    public Tensor Lt(double value) => ScalarCall(ScalarOp.Lt, value, 0);

    /// <summary>Element-wise <c>&lt;= value</c>.</summary>
    public Tensor Le(double value) => ScalarCall(ScalarOp.Le, value, 0);

    /// <summary>Element-wise <c>&gt; value</c>.</summary>
    public Tensor Gt(double value) => ScalarCall(ScalarOp.Gt, value, 0);

    /// <summary>Element-wise <c>&gt;= value</c>.</summary>
    public Tensor Ge(double value) => ScalarCall(ScalarOp.Ge, value, 0);

    /// <summary>In place <c>this += value</c>. Returns this.</summary>
    public Tensor Add_(double value) => ScalarCallInPlace(ScalarOp.Add, value, 0);

    /// <summary>In place <c>this += value</c> with an integral scalar (works on integer tensors). Returns this.</summary>
    public Tensor Add_(long value) => ScalarCallInPlace(ScalarOp.Add, value, 1);

    /// <summary>In place <c>this *= value</c> with an integral scalar. Returns this.</summary>
    public Tensor Mul_(long value) => ScalarCallInPlace(ScalarOp.Mul, value, 1);

    /// <summary>In place <c>this -= value</c>. Returns this.</summary>
    public Tensor Sub_(double value) => ScalarCallInPlace(ScalarOp.Sub, value, 0);

    /// <summary>In place <c>this *= value</c>. Returns this.</summary>
    public Tensor Mul_(double value) => ScalarCallInPlace(ScalarOp.Mul, value, 0);

    /// <summary>In place <c>this /= value</c>. Returns this.</summary>
    public Tensor Div_(double value) => ScalarCallInPlace(ScalarOp.Div, value, 0);

    /// <summary>In place <c>this ^= exponent</c>. Returns this.</summary>
    public Tensor Pow_(double exponent) => ScalarCallInPlace(ScalarOp.Pow, exponent, 0);

    /// <summary>In place <see cref="ClampMin"/>. Returns this.</summary>
    public Tensor ClampMin_(double value) => ScalarCallInPlace(ScalarOp.ClampMin, value, 0);

    /// <summary>In place <see cref="ClampMax"/>. Returns this.</summary>
    public Tensor ClampMax_(double value) => ScalarCallInPlace(ScalarOp.ClampMax, value, 0);

    /// <summary>In place: every element set to <paramref name="value"/> (<c>fill_</c>). Returns this.</summary>
    public Tensor Fill_(double value) => ScalarCallInPlace(ScalarOp.Fill, value, IsIntegral(Dtype) ? 1 : 0);

    private Tensor Binary(BinaryOp op, Tensor other, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(other);
        var status = NativeMethods.ats_tensor_binary((int)op, Handle, other.Handle, alpha, out var h);
        return FromOp(status, h, nameof(NativeMethods.ats_tensor_binary), op);
    }

    private Tensor BinaryInPlace(BinaryOp op, Tensor other, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(other);
        NativeError.CheckOp(NativeMethods.ats_tensor_binary_((int)op, Handle, other.Handle, alpha), nameof(NativeMethods.ats_tensor_binary_), op);
        return this;
    }

    private Tensor ScalarCall(ScalarOp op, double value, int integral)
    {
        var status = NativeMethods.ats_tensor_scalar((int)op, Handle, value, integral, out var h);
        return FromOp(status, h, nameof(NativeMethods.ats_tensor_scalar), op);
    }

    private Tensor ScalarCallInPlace(ScalarOp op, double value, int integral)
    {
        NativeError.CheckOp(NativeMethods.ats_tensor_scalar_((int)op, Handle, value, integral), nameof(NativeMethods.ats_tensor_scalar_), op);
        return this;
    }
}
