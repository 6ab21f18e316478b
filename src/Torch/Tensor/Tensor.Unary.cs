using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>Element-wise: Negation.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg);

    /// <summary>Element-wise: Absolute value.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs);

    /// <summary>Element-wise: Sign (-1, 0, 1).</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign);

    /// <summary>Element-wise: Square root.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);

    /// <summary>Element-wise: Reciprocal square root.</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);

    /// <summary>Element-wise: Exponential.</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp);

    /// <summary>Element-wise: Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryOp.Log);

    /// <summary>Element-wise: max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu);

    /// <summary>Element-wise: Logistic sigmoid.</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);

    /// <summary>Element-wise: Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);

    /// <summary>Element-wise: x * sigmoid(x).</summary>
    public Tensor Silu() => Unary(UnaryOp.Silu);

    /// <summary>Element-wise: x * x.</summary>
    public Tensor Square() => Unary(UnaryOp.Square);

    /// <summary>Element-wise: 1 / x.</summary>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);

    /// <summary>Element-wise: Sine.</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin);

    /// <summary>Element-wise: Cosine.</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos);

    /// <summary>Element-wise: Floor.</summary>
    public Tensor Floor() => Unary(UnaryOp.Floor);

    /// <summary>Element-wise: Ceiling.</summary>
    public Tensor Ceil() => Unary(UnaryOp.Ceil);

    /// <summary>Element-wise: Round half to even.</summary>
    public Tensor Round() => Unary(UnaryOp.Round);

    /// <summary>Element-wise: log(1 + x).</summary>
    public Tensor Log1p() => Unary(UnaryOp.Log1p);

    /// <summary>Element-wise: exp(x) - 1.</summary>
    public Tensor Expm1() => Unary(UnaryOp.Expm1);

    /// <summary>Element-wise: Error function.</summary>
    public Tensor Erf() => Unary(UnaryOp.Erf);

    /// <summary>Element-wise: Logical not (bool result).</summary>
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);

    /// <summary>Element-wise: Base-2 logarithm.</summary>
    public Tensor Log2() => Unary(UnaryOp.Log2);

    /// <summary>Element-wise: Truncation toward zero.</summary>
    public Tensor Trunc() => Unary(UnaryOp.Trunc);

    /// <summary>Element-wise: True where NaN.</summary>
    public Tensor IsNan() => Unary(UnaryOp.IsNan);

    /// <summary>Element-wise: True where finite.</summary>
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    /// <summary>Element-wise: log(1 + exp(x)).</summary>
    public Tensor Softplus() => Unary(UnaryOp.Softplus);

    /// <summary>Element-wise GELU; <paramref name="tanhApproximation"/> selects the tanh form (<c>approximate="tanh"</c>).</summary>
    public Tensor Gelu(bool tanhApproximation = false) => Unary(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu);

    /// <summary>In place <see cref="Neg"/>. Returns this.</summary>
    public Tensor Neg_() => UnaryInPlace(UnaryOp.Neg);

    /// <summary>In place <see cref="Abs"/>. Returns this.</summary>
    public Tensor Abs_() => UnaryInPlace(UnaryOp.Abs);

    /// <summary>In place <see cref="Sign"/>. Returns this.</summary>
    public Tensor Sign_() => UnaryInPlace(UnaryOp.Sign);

    /// <summary>In place <see cref="Sqrt"/>. Returns this.</summary>
    public Tensor Sqrt_() => UnaryInPlace(UnaryOp.Sqrt);

    /// <summary>In place <see cref="Rsqrt"/>. Returns this.</summary>
    public Tensor Rsqrt_() => UnaryInPlace(UnaryOp.Rsqrt);

    /// <summary>In place <see cref="Exp"/>. Returns this.</summary>
    public Tensor Exp_() => UnaryInPlace(UnaryOp.Exp);

    /// <summary>In place <see cref="Log"/>. Returns this.</summary>
    public Tensor Log_() => UnaryInPlace(UnaryOp.Log);

    /// <summary>In place <see cref="Relu"/>. Returns this.</summary>
    public Tensor Relu_() => UnaryInPlace(UnaryOp.Relu);

    /// <summary>In place <see cref="Sigmoid"/>. Returns this.</summary>
    public Tensor Sigmoid_() => UnaryInPlace(UnaryOp.Sigmoid);

    /// <summary>In place <see cref="Tanh"/>. Returns this.</summary>
    public Tensor Tanh_() => UnaryInPlace(UnaryOp.Tanh);

    /// <summary>In place <see cref="Silu"/>. Returns this.</summary>
    public Tensor Silu_() => UnaryInPlace(UnaryOp.Silu);

    /// <summary>In place <see cref="Square"/>. Returns this.</summary>
    public Tensor Square_() => UnaryInPlace(UnaryOp.Square);

    /// <summary>In place <see cref="Reciprocal"/>. Returns this.</summary>
    public Tensor Reciprocal_() => UnaryInPlace(UnaryOp.Reciprocal);

    /// <summary>In place <see cref="Sin"/>. Returns this.</summary>
    public Tensor Sin_() => UnaryInPlace(UnaryOp.Sin);

    /// <summary>In place <see cref="Cos"/>. Returns this.</summary>
    public Tensor Cos_() => UnaryInPlace(UnaryOp.Cos);

    /// <summary>In place <see cref="Floor"/>. Returns this.</summary>
    public Tensor Floor_() => UnaryInPlace(UnaryOp.Floor);

    /// <summary>In place <see cref="Ceil"/>. Returns this.</summary>
    public Tensor Ceil_() => UnaryInPlace(UnaryOp.Ceil);

    /// <summary>In place <see cref="Round"/>. Returns this.</summary>
    public Tensor Round_() => UnaryInPlace(UnaryOp.Round);

    /// <summary>In place <see cref="Log1p"/>. Returns this.</summary>
    public Tensor Log1p_() => UnaryInPlace(UnaryOp.Log1p);

    /// <summary>In place <see cref="Expm1"/>. Returns this.</summary>
    public Tensor Expm1_() => UnaryInPlace(UnaryOp.Expm1);

    /// <summary>In place <see cref="Erf"/>. Returns this.</summary>
    public Tensor Erf_() => UnaryInPlace(UnaryOp.Erf);

    /// <summary>In place <see cref="LogicalNot"/>. Returns this.</summary>
    public Tensor LogicalNot_() => UnaryInPlace(UnaryOp.LogicalNot);

    /// <summary>In place <see cref="Log2"/>. Returns this.</summary>
    public Tensor Log2_() => UnaryInPlace(UnaryOp.Log2);

    /// <summary>In place <see cref="Trunc"/>. Returns this.</summary>
    public Tensor Trunc_() => UnaryInPlace(UnaryOp.Trunc);

    /// <summary>In place <see cref="Gelu"/>. Returns this.</summary>
    public Tensor Gelu_(bool tanhApproximation = false) => UnaryInPlace(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu);

    /// <summary>In place: every element set to zero (<c>zero_</c>). Returns this.</summary>
    public Tensor Zero_() => UnaryInPlace(UnaryOp.Zero);

    /// <summary>Softmax along <paramref name="dim"/> (<c>t.softmax(dim)</c>).</summary>
    public Tensor Softmax(long dim) => NN.Functional.Softmax(this, dim);

    /// <summary>Log-softmax along <paramref name="dim"/> (<c>t.log_softmax(dim)</c>).</summary>
    public Tensor LogSoftmax(long dim) => NN.Functional.LogSoftmax(this, dim);

    private Tensor Unary(UnaryOp op)
    {
        var status = NativeMethods.ats_tensor_unary((int)op, Handle, out var h);
        return FromOp(status, h, nameof(NativeMethods.ats_tensor_unary), op);
    }

    private Tensor UnaryInPlace(UnaryOp op)
    {
        NativeError.CheckOp(NativeMethods.ats_tensor_unary_((int)op, Handle), nameof(NativeMethods.ats_tensor_unary_), op);
        return this;
    }
}
