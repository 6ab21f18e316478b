// Shared conventions of the shim. Every export:
//   * is `extern "C" ATS_API int ats_<area>_<op>(..., <out params>)`,
//   * returns 0 on success and 1 on failure, never throws: the body runs inside ATS_TRY / ATS_CATCH,
//   * on failure stores the exception's message in a thread-local buffer owned by the shim, which the managed
//     side reads with ats_last_error() right after the failed call (same thread) and turns into a
//     TorchException naming the export.
// Tensors cross the ABI as owning pointers `at::Tensor*` (opaque `ats_tensor`), released by ats_tensor_free.
#pragma once

#include <ATen/ATen.h>
#include <cstdint>
#include <string>

#define ATS_API __attribute__((visibility("default")))

typedef at::Tensor* ats_tensor;

namespace ats {
void set_last_error(const char* message);
void clear_last_error();

// Wraps a tensor produced by an ATen call into an owning handle for the managed side.
inline ats_tensor wrap(at::Tensor&& t) { return new at::Tensor(std::move(t)); }
inline ats_tensor wrap(const at::Tensor& t) { return new at::Tensor(t); }

at::IntArrayRef dims(const int64_t* data, int64_t n);
c10::optional<at::ScalarType> opt_dtype(int32_t code);  // code < 0: none

// A scalar crossing the ABI as (value, integral): integral scalars keep integer tensors integral, as in Python.
inline at::Scalar scalar(double value, int32_t integral) {
  return integral ? at::Scalar(static_cast<int64_t>(value)) : at::Scalar(value);
}
// An optional tensor argument: a null handle means "none".
inline c10::optional<at::Tensor> opt(ats_tensor t) { return t ? c10::optional<at::Tensor>(*t) : c10::nullopt; }
// Tensor options from (dtype code, device type, device index).
inline at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}
// A generator argument: null means libtorch's default generator for the device.
inline c10::optional<at::Generator> gen(at::Generator* g) { return g ? c10::optional<at::Generator>(*g) : c10::nullopt; }
}  // namespace ats

#define ATS_TRY try {
#define ATS_CATCH                                        \
  return 0;                                              \
  }                                                      \
  catch (const c10::Error& e) {                          \
    ats::set_last_error(e.what_without_backtrace());     \
    return 1;                                            \
  }                                                      \
  catch (const std::exception& e) {                      \
    ats::set_last_error(e.what());                       \
    return 1;                                            \
  }                                                      \
  catch (...) {                                          \
    ats::set_last_error("unknown C++ exception");        \
    return 1;                                            \
  }

// Shorthand for the common "one tensor result" export body.
#define ATS_RETURN_TENSOR(expr) ATS_TRY *out = ats::wrap(expr); ATS_CATCH
