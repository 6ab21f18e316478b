namespace AlgoPerf.Torch;

// C# operators for the arithmetic methods. Comparisons stay methods (Lt, Eq, ...): overloading == would break
// reference equality of tensors.
public sealed partial class Tensor
{
    /// <summary><c>a + b</c>.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => NotNull(a).Add(b);

    /// <summary><c>a - b</c>.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => NotNull(a).Sub(b);

    /// <summary>Element-wise <c>a * b</c>.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => NotNull(a).Mul(b);

    /// <summary>Element-wise <c>a / b</c>.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => NotNull(a).Div(b);

    /// <summary><c>-a</c>.</summary>
    public static Tensor operator -(Tensor a) => NotNull(a).Neg();

    /// <summary><c>a + s</c>.</summary>
    public static Tensor operator +(Tensor a, double s) => NotNull(a).Add(s);

    /// <summary><c>s + a</c>.</summary>
    public static Tensor operator +(double s, Tensor a) => NotNull(a).Add(s);

    /// <summary><c>a - s</c>.</summary>
    public static Tensor operator -(Tensor a, double s) => NotNull(a).Sub(s);

    /// <summary><c>s - a</c>.</summary>
    public static Tensor operator -(double s, Tensor a) => NotNull(a).ScalarCall(ScalarOp.RSub, s, 0);

    /// <summary><c>a * s</c>.</summary>
    public static Tensor operator *(Tensor a, double s) => NotNull(a).Mul(s);

    /// <summary><c>s * a</c>.</summary>
    public static Tensor operator *(double s, Tensor a) => NotNull(a).Mul(s);

    /// <summary><c>a / s</c>.</summary>
    public static Tensor operator /(Tensor a, double s) => NotNull(a).Div(s);

    /// <summary><c>s / a</c>.</summary>
    public static Tensor operator /(double s, Tensor a) => NotNull(a).ScalarCall(ScalarOp.RDiv, s, 0);

    /// <summary><c>a + s</c> with an integral scalar (integer tensors stay integral).</summary>
    public static Tensor operator +(Tensor a, long s) => NotNull(a).Add(s);

    /// <summary><c>a - s</c> with an integral scalar.</summary>
    public static Tensor operator -(Tensor a, long s) => NotNull(a).Sub(s);

    /// <summary><c>a * s</c> with an integral scalar.</summary>
    public static Tensor operator *(Tensor a, long s) => NotNull(a).Mul(s);

    /// <summary><c>s ^ a</c> element-wise (<c>torch.pow(scalar, tensor)</c>).</summary>
    public static Tensor Pow(double value, Tensor exponent) => NotNull(exponent).ScalarCall(ScalarOp.RPow, value, 0);

    private static Tensor NotNull(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a;
    }
}
