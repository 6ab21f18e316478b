// Element-wise arithmetic (out-of-place and in-place) and matrix products. Ops are grouped into families selected by
// an op code; the codes are mirrored by the managed enums in src/Torch/Tensor/TensorOps.cs.
#include "common.h"

extern "C" {

ATS_API int ats_tensor_add(ats_tensor a, ats_tensor b, double alpha, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::add(*a, *b, alpha))
}

ATS_API int ats_tensor_add_(ats_tensor a, ats_tensor b, double alpha) {
  ATS_TRY a->add_(*b, alpha); ATS_CATCH
}

ATS_API int ats_tensor_matmul(ats_tensor a, ats_tensor b, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::matmul(*a, *b))
}

// Unary ops, out of place.
ATS_API int ats_tensor_unary(int32_t op, ats_tensor t, ats_tensor* out) {
  ATS_TRY
  const at::Tensor& x = *t;
  at::Tensor r;
  switch (op) {
    case 0: r = at::neg(x); break;
    case 1: r = at::abs(x); break;
    case 2: r = at::sign(x); break;
    case 3: r = at::sqrt(x); break;
    case 4: r = at::rsqrt(x); break;
    case 5: r = at::exp(x); break;
    case 6: r = at::log(x); break;
    case 7: r = at::relu(x); break;
    case 8: r = at::sigmoid(x); break;
    case 9: r = at::tanh(x); break;
    case 10: r = at::silu(x); break;
    case 11: r = at::gelu(x); break;
    case 12: r = at::gelu(x, "tanh"); break;
    case 13: r = at::square(x); break;
    case 14: r = at::reciprocal(x); break;
    case 15: r = at::sin(x); break;
    case 16: r = at::cos(x); break;
    case 17: r = at::floor(x); break;
    case 18: r = at::ceil(x); break;
    case 19: r = at::round(x); break;
    case 20: r = at::log1p(x); break;
    case 21: r = at::expm1(x); break;
    case 22: r = at::erf(x); break;
    case 23: r = at::logical_not(x); break;
    case 24: r = at::isnan(x); break;
    case 25: r = at::isfinite(x); break;
    case 26: r = at::log2(x); break;
    case 27: r = at::trunc(x); break;
    case 28: r = at::softplus(x); break;
    default: TORCH_CHECK(false, "unknown unary op ", op);
  }
  *out = ats::wrap(std::move(r));
  ATS_CATCH
}

// Unary ops, in place (same codes; 24-25 have no in-place form; 99 zero_).
ATS_API int ats_tensor_unary_(int32_t op, ats_tensor t) {
  ATS_TRY
  at::Tensor& x = *t;
  switch (op) {
    case 0: x.neg_(); break;
    case 1: x.abs_(); break;
    case 2: x.sign_(); break;
    case 3: x.sqrt_(); break;
    case 4: x.rsqrt_(); break;
    case 5: x.exp_(); break;
    case 6: x.log_(); break;
    case 7: x.relu_(); break;
    case 8: x.sigmoid_(); break;
    case 9: x.tanh_(); break;
    case 10: at::silu_(x); break;
    case 11: at::gelu_(x); break;
    case 12: at::gelu_(x, "tanh"); break;
    case 13: x.square_(); break;
    case 14: x.reciprocal_(); break;
    case 15: x.sin_(); break;
    case 16: x.cos_(); break;
    case 17: x.floor_(); break;
    case 18: x.ceil_(); break;
    case 19: x.round_(); break;
    case 20: x.log1p_(); break;
    case 21: x.expm1_(); break;
    case 22: x.erf_(); break;
    case 23: x.logical_not_(); break;
    case 26: x.log2_(); break;
    case 27: x.trunc_(); break;
    case 99: x.zero_(); break;
    default: TORCH_CHECK(false, "unary op ", op, " has no in-place form");
  }
  ATS_CATCH
}

// Binary tensor-tensor ops, out of place. alpha scales b for add/sub.
ATS_API int ats_tensor_binary(int32_t op, ats_tensor a, ats_tensor b, double alpha, ats_tensor* out) {
  ATS_TRY
  const at::Tensor& x = *a;
  const at::Tensor& y = *b;
  at::Tensor r;
  switch (op) {
    case 0: r = at::add(x, y, alpha); break;
    case 1: r = at::sub(x, y, alpha); break;
    case 2: r = at::mul(x, y); break;
    case 3: r = at::div(x, y); break;
    case 4: r = at::pow(x, y); break;
    case 5: r = at::maximum(x, y); break;
    case 6: r = at::minimum(x, y); break;
    case 7: r = at::eq(x, y); break;
    case 8: r = at::ne(x, y); break;
    case 9: r = at::lt(x, y); break;
    case 10: r = at::le(x, y); break;
    case 11: r = at::gt(x, y); break;
    case 12: r = at::ge(x, y); break;
    case 13: r = at::remainder(x, y); break;
    case 14: r = at::logical_and(x, y); break;
    case 15: r = at::logical_or(x, y); break;
    case 16: r = at::atan2(x, y); break;
    case 17: r = at::floor_divide(x, y); break;
    case 20: r = at::matmul(x, y); break;
    case 21: r = at::mm(x, y); break;
    case 22: r = at::bmm(x, y); break;
    case 23: r = at::outer(x, y); break;
    case 24: r = at::dot(x, y); break;
    case 25: r = at::mv(x, y); break;
    default: TORCH_CHECK(false, "unknown binary op ", op);
  }
  *out = ats::wrap(std::move(r));
  ATS_CATCH
}

// Binary ops in place on a (same codes where a form exists; 30 copy_).
ATS_API int ats_tensor_binary_(int32_t op, ats_tensor a, ats_tensor b, double alpha) {
  ATS_TRY
  at::Tensor& x = *a;
  const at::Tensor& y = *b;
  switch (op) {
    case 0: x.add_(y, alpha); break;
    case 1: x.sub_(y, alpha); break;
    case 2: x.mul_(y); break;
    case 3: x.div_(y); break;
    case 4: x.pow_(y); break;
    case 5: at::maximum_out(x, x, y); break;
    case 6: at::minimum_out(x, x, y); break;
    case 13: x.remainder_(y); break;
    case 30: x.copy_(y); break;
    default: TORCH_CHECK(false, "binary op ", op, " has no in-place form");
  }
  ATS_CATCH
}

// Tensor-scalar ops. op: 0 add, 1 sub, 2 mul, 3 div, 4 pow, 5 clamp_min (maximum), 6 clamp_max (minimum),
// 7-12 eq ne lt le gt ge, 13 remainder, 40 rsub (s - t), 41 rdiv (s / t), 42 rpow (s ^ t), 43 fmod.
ATS_API int ats_tensor_scalar(int32_t op, ats_tensor a, double value, int32_t integral, ats_tensor* out) {
  ATS_TRY
  const at::Tensor& x = *a;
  auto s = ats::scalar(value, integral);
  at::Tensor r;
  switch (op) {
    case 0: r = at::add(x, s); break;
    case 1: r = at::sub(x, s); break;
    case 2: r = at::mul(x, s); break;
    case 3: r = at::div(x, s); break;
    case 4: r = at::pow(x, s); break;
    case 5: r = at::clamp_min(x, s); break;
    case 6: r = at::clamp_max(x, s); break;
    case 7: r = at::eq(x, s); break;
    case 8: r = at::ne(x, s); break;
    case 9: r = at::lt(x, s); break;
    case 10: r = at::le(x, s); break;
    case 11: r = at::gt(x, s); break;
    case 12: r = at::ge(x, s); break;
    case 13: r = at::remainder(x, s); break;
    case 40: r = at::rsub(x, s); break;
    case 41: r = at::mul(at::reciprocal(x), s); break;
    case 42: r = at::pow(s, x); break;
    case 43: r = at::fmod(x, s); break;
    default: TORCH_CHECK(false, "unknown scalar op ", op);
  }
  *out = ats::wrap(std::move(r));
  ATS_CATCH
}

// Tensor-scalar ops in place (codes 0-6, 13, 43 as above; 50 fill_).
ATS_API int ats_tensor_scalar_(int32_t op, ats_tensor a, double value, int32_t integral) {
  ATS_TRY
  at::Tensor& x = *a;
  auto s = ats::scalar(value, integral);
  switch (op) {
    case 0: x.add_(s); break;
    case 1: x.sub_(s); break;
    case 2: x.mul_(s); break;
    case 3: x.div_(s); break;
    case 4: x.pow_(s); break;
    case 5: x.clamp_min_(s); break;
    case 6: x.clamp_max_(s); break;
    case 13: x.remainder_(s); break;
    case 43: x.fmod_(s); break;
    case 50: x.fill_(s); break;
    default: TORCH_CHECK(false, "scalar op ", op, " has no in-place form");
  }
  ATS_CATCH
}

// clamp(min, max); a missing bound is passed with has_* = 0.
ATS_API int ats_tensor_clamp(ats_tensor t, double min, int32_t has_min, double max, int32_t has_max, int32_t inplace, ats_tensor* out) {
  ATS_TRY
  c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
  c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
  if (inplace) t->clamp_(lo, hi); else *out = ats::wrap(at::clamp(*t, lo, hi));
  ATS_CATCH
}

// Three-operand ops. op: 0 lerp(a, b, weight tensor c), 1 lerp(a, b, scalar value), 2 addcmul(a, b, c, value),
// 3 addcdiv(a, b, c, value). inplace != 0 modifies a and sets no out.
ATS_API int ats_tensor_ternary(int32_t op, ats_tensor a, ats_tensor b, ats_tensor c, double value, int32_t inplace, ats_tensor* out) {
  ATS_TRY
  at::Tensor& x = *a;
  switch (op) {
    case 0: if (inplace) x.lerp_(*b, *c); else *out = ats::wrap(at::lerp(x, *b, *c)); break;
    case 1: if (inplace) x.lerp_(*b, value); else *out = ats::wrap(at::lerp(x, *b, value)); break;
    case 2: if (inplace) x.addcmul_(*b, *c, value); else *out = ats::wrap(at::addcmul(x, *b, *c, value)); break;
    case 3: if (inplace) x.addcdiv_(*b, *c, value); else *out = ats::wrap(at::addcdiv(x, *b, *c, value)); break;
    default: TORCH_CHECK(false, "unknown ternary op ", op);
  }
  ATS_CATCH
}

}  // extern "C"
