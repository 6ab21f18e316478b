// Reductions over all dims or a list of dims, with keepdim.
#include "common.h"

#include <algorithm>
#include <vector>

extern "C" {

// op: 0 sum, 1 mean, 2 amax, 3 amin, 4 vector norm (arg = p), 5 var (arg = correction), 6 std (arg = correction),
// 7 logsumexp, 8 all, 9 any, 10 prod, 11 argmax, 12 argmin. ndims < 0 reduces over every dim. dtype < 0: default
// (sum/mean/prod/norm accumulate and return in that dtype when given).
ATS_API int ats_tensor_reduce(int32_t op, ats_tensor t, const int64_t* dims, int64_t ndims, int32_t keepdim, double arg,
                              int32_t dtype, ats_tensor* out) {
  ATS_TRY
  const at::Tensor& x = *t;
  const bool all = ndims < 0;
  at::IntArrayRef d = all ? at::IntArrayRef() : ats::dims(dims, ndims);
  at::OptionalIntArrayRef od = all ? at::OptionalIntArrayRef() : at::OptionalIntArrayRef(d);
  const bool keep = keepdim != 0;
  auto dt = ats::opt_dtype(dtype);
  at::Tensor r;
  switch (op) {
    case 0: r = all && !keep ? at::sum(x, dt) : at::sum(x, od, keep, dt); break;
    case 1: r = all && !keep ? at::mean(x, dt) : at::mean(x, od, keep, dt); break;
    case 2: r = at::amax(x, d, keep); break;
    case 3: r = at::amin(x, d, keep); break;
    case 4: r = at::linalg_vector_norm(x, arg, od, keep, dt); break;
    case 5: r = at::var(x, od, static_cast<int64_t>(arg), keep); break;
    case 6: r = at::std(x, od, static_cast<int64_t>(arg), keep); break;
    case 7: {
      std::vector<int64_t> every;
      if (all) for (int64_t i = 0; i < x.dim(); ++i) every.push_back(i);
      r = at::logsumexp(x, all ? at::IntArrayRef(every) : d, keep);
      break;
    }
    case 8:
    case 9: {
      if (all) {
        r = op == 8 ? at::all(x) : at::any(x);
        if (keep) r = r.reshape(std::vector<int64_t>(static_cast<size_t>(x.dim()), 1));
        break;
      }
      // libtorch 1.13 reduces one dim at a time: go from the last dim so earlier indices stay valid.
      std::vector<int64_t> order;
      for (auto v : d) order.push_back(v < 0 ? v + x.dim() : v);
      std::sort(order.rbegin(), order.rend());
      r = x;
      for (auto v : order) r = op == 8 ? at::all(r, v, keep) : at::any(r, v, keep);
      break;
    }
    case 10: {
      if (all) {
        r = at::prod(x, dt);
        break;
      }
      TORCH_CHECK(ndims == 1, "prod reduces over one dim, got ", ndims);
      r = at::prod(x, d[0], keep, dt);
      break;
    }
    case 11:
    case 12: {
      TORCH_CHECK(ndims <= 1, "argmax/argmin reduce over one dim or all, got ", ndims);
      c10::optional<int64_t> dim = all ? c10::nullopt : c10::optional<int64_t>(d[0]);
      r = op == 11 ? at::argmax(x, dim, keep) : at::argmin(x, dim, keep);
      break;
    }
    default: TORCH_CHECK(false, "unknown reduction ", op);
  }
  *out = ats::wrap(std::move(r));
  ATS_CATCH
}

// max/min along one dim with their indices (torch.max(t, dim)). op: 0 max, 1 min, 2 sort (descending = arg),
// 3 topk(k = arg, largest) .
ATS_API int ats_tensor_reduce_indices(int32_t op, ats_tensor t, int64_t dim, int32_t keepdim, int64_t arg,
                                      ats_tensor* values, ats_tensor* indices) {
  ATS_TRY
  std::tuple<at::Tensor, at::Tensor> r;
  switch (op) {
    case 0: r = at::max(*t, dim, keepdim != 0); break;
    case 1: r = at::min(*t, dim, keepdim != 0); break;
    case 2: r = at::sort(*t, dim, arg != 0); break;
    case 3: r = at::topk(*t, arg, dim); break;
    default: TORCH_CHECK(false, "unknown indexed reduction ", op);
  }
  *values = ats::wrap(std::move(std::get<0>(r)));
  *indices = ats::wrap(std::move(std::get<1>(r)));
  ATS_CATCH
}

// Scans along one dim. op: 0 cumsum, 1 cumprod.
ATS_API int ats_tensor_scan(int32_t op, ats_tensor t, int64_t dim, ats_tensor* out) {
  ATS_RETURN_TENSOR(op == 0 ? at::cumsum(*t, dim) : at::cumprod(*t, dim))
}

}  // extern "C"
