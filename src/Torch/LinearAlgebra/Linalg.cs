using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.LinearAlgebra;

/// <summary>Linear algebra beyond products (<c>torch.linalg</c>): what second-order optimizers such as Shampoo need.</summary>
public static class Linalg
{
    /// <summary>
    /// Eigenvalues (ascending) and eigenvectors (as columns) of a symmetric matrix or batch of them
    /// (<c>torch.linalg.eigh</c>), read from the lower triangle unless <paramref name="upper"/>.
    /// </summary>
    public static (Tensor Eigenvalues, Tensor Eigenvectors) Eigh(Tensor matrix, bool upper = false)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        NativeError.Check(NativeMethods.ats_linalg_eigh(matrix.Handle, upper ? 1 : 0, out var values, out var vectors));
        return (new Tensor(values), new Tensor(vectors));
    }

    /// <summary>The inverse of a square matrix (<c>torch.linalg.inv</c>); a singular matrix raises a <see cref="TorchException"/>.</summary>
    public static Tensor Inv(Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var status = NativeMethods.ats_linalg_inv(matrix.Handle, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_linalg_inv));
    }

    /// <summary>The lower Cholesky factor of a symmetric positive-definite matrix.</summary>
    public static Tensor Cholesky(Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var status = NativeMethods.ats_linalg_cholesky(matrix.Handle, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_linalg_cholesky));
    }

    /// <summary>
    /// The inverse p-th root <c>(A + epsilon I)^(-1/p)</c> of a symmetric positive semi-definite matrix, via its
    /// eigendecomposition: <c>Q diag(max(L, floor)^(-1/p)) Q^T</c> (Shampoo's preconditioner root). Eigenvalues are
    /// floored at <paramref name="eigenvalueFloor"/> so that round-off negatives never reach the power.
    /// </summary>
    public static Tensor InverseRoot(Tensor matrix, double p, double epsilon = 0, double eigenvalueFloor = 1e-30)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var status = NativeMethods.ats_linalg_inv_root(matrix.Handle, p, epsilon, eigenvalueFloor, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_linalg_inv_root));
    }
}
