// Tensor creation (constant, range and random factories), copying to and from managed memory, conversions,
// devices and metadata.
#include "common.h"

#include <cstring>

extern "C" {

// Copies `numel` elements of `dtype` from `data` into a new contiguous CPU tensor of the given shape.
ATS_API int ats_tensor_from_data(const void* data, const int64_t* shape, int64_t ndim, int32_t dtype, ats_tensor* out) {
  ATS_TRY
  auto t = at::empty(ats::dims(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
  std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
  *out = ats::wrap(std::move(t));
  ATS_CATCH
}

// Copies the tensor's elements (as its own dtype, row-major) into `dest`, which holds `capacity_bytes` bytes.
ATS_API int ats_tensor_copy_to(ats_tensor t, void* dest, int64_t capacity_bytes) {
  ATS_TRY
  auto c = t->to(at::kCPU).contiguous();
  auto bytes = static_cast<int64_t>(c.numel() * c.element_size());
  TORCH_CHECK(bytes <= capacity_bytes, "destination holds ", capacity_bytes, " bytes, tensor needs ", bytes);
  std::memcpy(dest, c.data_ptr(), bytes);
  ATS_CATCH
}

// kind: 0 empty, 1 zeros, 2 ones, 3 full(value).
ATS_API int ats_tensor_new(int32_t kind, const int64_t* shape, int64_t ndim, double value, int32_t integral,
                           int32_t dtype, int32_t device_type, int32_t device_index, ats_tensor* out) {
  ATS_TRY
  auto size = ats::dims(shape, ndim);
  auto opts = ats::options(dtype, device_type, device_index);
  switch (kind) {
    case 0: *out = ats::wrap(at::empty(size, opts)); break;
    case 1: *out = ats::wrap(at::zeros(size, opts)); break;
    case 2: *out = ats::wrap(at::ones(size, opts)); break;
    case 3: *out = ats::wrap(at::full(size, ats::scalar(value, integral), opts)); break;
    default: TORCH_CHECK(false, "unknown factory kind ", kind);
  }
  ATS_CATCH
}

// kind as ats_tensor_new, shaped, typed and placed like `t` (dtype < 0: t's dtype).
ATS_API int ats_tensor_new_like(int32_t kind, ats_tensor t, double value, int32_t integral, int32_t dtype, ats_tensor* out) {
  ATS_TRY
  auto opts = at::TensorOptions().dtype(dtype < 0 ? t->scalar_type() : static_cast<at::ScalarType>(dtype)).device(t->device());
  switch (kind) {
    case 0: *out = ats::wrap(at::empty_like(*t, opts)); break;
    case 1: *out = ats::wrap(at::zeros_like(*t, opts)); break;
    case 2: *out = ats::wrap(at::ones_like(*t, opts)); break;
    case 3: *out = ats::wrap(at::full_like(*t, ats::scalar(value, integral), opts)); break;
    default: TORCH_CHECK(false, "unknown factory kind ", kind);
  }
  ATS_CATCH
}

ATS_API int ats_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                              int32_t device_index, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::arange(start, end, step, ats::options(dtype, device_type, device_index)))
}

ATS_API int ats_tensor_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t device_type,
                                int32_t device_index, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::linspace(start, end, steps, ats::options(dtype, device_type, device_index)))
}

ATS_API int ats_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type, int32_t device_index, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::eye(n, m, ats::options(dtype, device_type, device_index)))
}

ATS_API int ats_tensor_triu_indices(int64_t rows, int64_t cols, int64_t offset, int32_t lower, ats_tensor* out) {
  ATS_RETURN_TENSOR(lower ? at::tril_indices(rows, cols, offset) : at::triu_indices(rows, cols, offset))
}

// kind: 0 rand (uniform [0, 1)), 1 randn (standard normal).
ATS_API int ats_tensor_random(int32_t kind, const int64_t* shape, int64_t ndim, at::Generator* g, int32_t dtype,
                              int32_t device_type, int32_t device_index, ats_tensor* out) {
  ATS_TRY
  auto size = ats::dims(shape, ndim);
  auto opts = ats::options(dtype, device_type, device_index);
  *out = ats::wrap(kind == 0 ? at::rand(size, ats::gen(g), opts) : at::randn(size, ats::gen(g), opts));
  ATS_CATCH
}

ATS_API int ats_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, at::Generator* g,
                               int32_t dtype, int32_t device_type, int32_t device_index, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::randint(low, high, ats::dims(shape, ndim), ats::gen(g), ats::options(dtype, device_type, device_index)))
}

ATS_API int ats_tensor_randperm(int64_t n, at::Generator* g, int32_t dtype, int32_t device_type, int32_t device_index,
                                ats_tensor* out) {
  ATS_RETURN_TENSOR(at::randperm(n, ats::gen(g), ats::options(dtype, device_type, device_index)))
}

// p < 0: `t` holds the probabilities; otherwise every element is drawn with probability p (shaped like t).
ATS_API int ats_tensor_bernoulli(ats_tensor t, double p, at::Generator* g, ats_tensor* out) {
  ATS_RETURN_TENSOR(p < 0 ? at::bernoulli(*t, ats::gen(g)) : at::bernoulli(*t, p, ats::gen(g)))
}

// kind: 0 normal_(a = mean, b = std), 1 uniform_(a = from, b = to).
ATS_API int ats_tensor_fill_random_(int32_t kind, ats_tensor t, double a, double b, at::Generator* g) {
  ATS_TRY
  if (kind == 0) t->normal_(a, b, ats::gen(g)); else t->uniform_(a, b, ats::gen(g));
  ATS_CATCH
}

ATS_API int ats_tensor_to_dtype(ats_tensor t, int32_t dtype, ats_tensor* out) {
  ATS_RETURN_TENSOR(t->to(static_cast<at::ScalarType>(dtype)))
}

ATS_API int ats_tensor_to_device(ats_tensor t, int32_t device_type, int32_t device_index, ats_tensor* out) {
  ATS_RETURN_TENSOR(t->to(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index))))
}

ATS_API int ats_tensor_clone(ats_tensor t, ats_tensor* out) { ATS_RETURN_TENSOR(t->clone()) }

// A new handle sharing the same tensor (PyTorch's `b = a`; both must be released).
ATS_API int ats_tensor_alias(ats_tensor t, ats_tensor* out) { ATS_RETURN_TENSOR(*t) }

ATS_API int ats_tensor_item(ats_tensor t, double* value) {
  ATS_TRY *value = t->item().toDouble(); ATS_CATCH
}

ATS_API int ats_tensor_item_long(ats_tensor t, int64_t* value) {
  ATS_TRY *value = t->item().toLong(); ATS_CATCH
}

ATS_API int32_t ats_cuda_is_available() { return at::hasCUDA() ? 1 : 0; }

ATS_API int64_t ats_tensor_ndim(ats_tensor t) { return t->dim(); }
ATS_API int64_t ats_tensor_numel(ats_tensor t) { return t->numel(); }
ATS_API int32_t ats_tensor_dtype(ats_tensor t) { return static_cast<int32_t>(t->scalar_type()); }
ATS_API int32_t ats_tensor_device_type(ats_tensor t) { return static_cast<int32_t>(t->device().type()); }
ATS_API int32_t ats_tensor_device_index(ats_tensor t) { return t->device().index(); }
ATS_API int32_t ats_tensor_is_contiguous(ats_tensor t) { return t->is_contiguous() ? 1 : 0; }
// Writes up to `capacity` sizes; returns the tensor's ndim.
ATS_API int64_t ats_tensor_sizes(ats_tensor t, int64_t* sizes, int64_t capacity) {
  auto n = t->dim();
  for (int64_t i = 0; i < n && i < capacity; ++i) sizes[i] = t->size(i);
  return n;
}
ATS_API int64_t ats_tensor_strides(ats_tensor t, int64_t* strides, int64_t capacity) {
  auto n = t->dim();
  for (int64_t i = 0; i < n && i < capacity; ++i) strides[i] = t->stride(i);
  return n;
}

}  // extern "C"
