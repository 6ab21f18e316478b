// Tensor creation, copying to and from managed memory, and metadata.
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

ATS_API int ats_tensor_zeros(const int64_t* shape, int64_t ndim, int32_t dtype, ats_tensor* out) {
  ATS_RETURN_TENSOR(at::zeros(ats::dims(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype))))
}

ATS_API int64_t ats_tensor_ndim(ats_tensor t) { return t->dim(); }
ATS_API int64_t ats_tensor_numel(ats_tensor t) { return t->numel(); }
ATS_API int32_t ats_tensor_dtype(ats_tensor t) { return static_cast<int32_t>(t->scalar_type()); }
// Writes up to `capacity` sizes; returns the tensor's ndim.
ATS_API int64_t ats_tensor_sizes(ats_tensor t, int64_t* sizes, int64_t capacity) {
  auto n = t->dim();
  for (int64_t i = 0; i < n && i < capacity; ++i) sizes[i] = t->size(i);
  return n;
}

}  // extern "C"
