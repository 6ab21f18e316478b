// Linear algebra beyond products: symmetric eigendecomposition, inverses and inverse matrix roots (Shampoo).
#include "common.h"

extern "C" {

// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, from its lower (upper != 0: upper) half.
ATS_API int ats_linalg_eigh(ats_tensor t, int32_t upper, ats_tensor* eigenvalues, ats_tensor* eigenvectors) {
  ATS_TRY
  auto r = at::linalg_eigh(*t, upper ? "U" : "L");
  *eigenvalues = ats::wrap(std::move(std::get<0>(r)));
  *eigenvectors = ats::wrap(std::move(std::get<1>(r)));
  ATS_CATCH
}

ATS_API int ats_linalg_inv(ats_tensor t, ats_tensor* out) { ATS_RETURN_TENSOR(at::linalg_inv(*t)) }

ATS_API int ats_linalg_cholesky(ats_tensor t, ats_tensor* out) { ATS_RETURN_TENSOR(at::linalg_cholesky(*t)) }

// (A + eps I)^(-1/p) of a symmetric positive semi-definite A via eigh: Q diag(max(L, eps_floor)^(-1/p)) Q^T.
// Eigenvalues are floored at `floor` so round-off negatives of a PSD matrix never reach the power.
ATS_API int ats_linalg_inv_root(ats_tensor t, double p, double eps, double floor, ats_tensor* out) {
  ATS_TRY
  const at::Tensor& a = *t;
  TORCH_CHECK(a.dim() == 2 && a.size(0) == a.size(1), "inverse root needs a square matrix, got ", a.sizes());
  TORCH_CHECK(p > 0, "root must be positive, got ", p);
  auto shifted = eps != 0 ? a + at::eye(a.size(0), a.options()) * eps : a;
  auto r = at::linalg_eigh(shifted, "L");
  auto values = std::get<0>(r).clamp_min(floor).pow(-1.0 / p);
  const auto& q = std::get<1>(r);
  *out = ats::wrap(at::matmul(q * values.unsqueeze(0), q.transpose(-2, -1)));
  ATS_CATCH
}

}  // extern "C"
