namespace AlgoPerf.Torch.Tests.LinearAlgebra;

using AlgoPerf.Torch.LinearAlgebra;
using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class LinalgTests
{
    private static Tensor SymmetricPositiveDefinite(int n, ulong seed)
    {
        using var g = new Generator(seed);
        var a = Tensor.Randn([n, n], g, ScalarType.Float64);
        return a.MatMul(a.T()).Add(Tensor.Eye(n, dtype: ScalarType.Float64));
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"element {i}: expected {e[i]}, got {a[i]}");
        }
    }

    [Fact]
    public void Eigh_KnownMatrix_ReturnsAscendingEigenvalues()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var m = Tensor.FromArray([2.0, 1, 1, 2], 2, 2);

        var (values, vectors) = Linalg.Eigh(m);

        AssertClose(Tensor.FromArray([1.0, 3.0], 2), values, 1e-12);
        // Q diag(L) Q^T reconstructs the matrix.
        AssertClose(m, vectors.Mul(values.Unsqueeze(0)).MatMul(vectors.T()), 1e-12);
    }

    [Fact]
    public void Inv_TimesMatrix_IsIdentity()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = SymmetricPositiveDefinite(5, 1);

        AssertClose(Tensor.Eye(5, dtype: ScalarType.Float64), Linalg.Inv(a).MatMul(a), 1e-10);
        AssertClose(a, Linalg.Cholesky(a).MatMul(Linalg.Cholesky(a).T()), 1e-10);
    }

    [Fact]
    public void Inv_SingularMatrix_ThrowsTorchException()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        var e = Assert.Throws<TorchException>(() => Linalg.Inv(Tensor.Zeros([2, 2], ScalarType.Float64)));

        Assert.Equal("ats_linalg_inv", e.Export);
        Assert.Contains("singular", e.NativeMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void InverseRoot_RaisedToP_InvertsTheMatrix(int p)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = SymmetricPositiveDefinite(6, 2);

        var root = Linalg.InverseRoot(a, p);
        var power = root;
        for (var i = 1; i < p; i++)
        {
            power = power.MatMul(root);
        }

        AssertClose(Tensor.Eye(6, dtype: ScalarType.Float64), power.MatMul(a), 1e-9);
    }

    [Fact]
    public void InverseRoot_WithEpsilon_RootsTheShiftedMatrix()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Tensor.FromArray([3.0, 0, 0, 15], 2, 2);

        var root = Linalg.InverseRoot(a, 2, epsilon: 1);

        AssertClose(Tensor.FromArray([0.5, 0, 0, 0.25], 2, 2), root, 1e-12);
    }
}
