// Error buffer, handle lifetime, global settings (threads, seeds), version.
#include "common.h"

#include <ATen/Parallel.h>
#include <torch/version.h>
#include <cstring>
#include <dlfcn.h>

namespace {
thread_local std::string t_last_error;
thread_local bool t_has_error = false;

// OpenBLAS's own thread pool (Debian's libtorch does its GEMMs in the pthread build of OpenBLAS), looked up at run
// time because libtorch may be linked against another BLAS: null when the process has no OpenBLAS.
using blas_set_threads_fn = void (*)(int);
using blas_get_threads_fn = int (*)();
blas_set_threads_fn blas_set_threads() {
  static const auto fn = reinterpret_cast<blas_set_threads_fn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  return fn;
}
blas_get_threads_fn blas_get_threads() {
  static const auto fn = reinterpret_cast<blas_get_threads_fn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return fn;
}
}  // namespace

namespace ats {
void set_last_error(const char* message) {
  t_last_error = message ? message : "";
  t_has_error = true;
}
void clear_last_error() {
  t_last_error.clear();
  t_has_error = false;
}
at::IntArrayRef dims(const int64_t* data, int64_t n) { return at::IntArrayRef(data, static_cast<size_t>(n)); }
c10::optional<at::ScalarType> opt_dtype(int32_t code) {
  if (code < 0) return c10::nullopt;
  return static_cast<at::ScalarType>(code);
}
}  // namespace ats

extern "C" {

// The message of the last failed call on this thread, or NULL. The pointer stays valid until the next failing
// call on this thread; the managed side copies it immediately and then calls ats_clear_error.
ATS_API const char* ats_last_error() { return t_has_error ? t_last_error.c_str() : nullptr; }
ATS_API void ats_clear_error() { ats::clear_last_error(); }

ATS_API void ats_tensor_free(ats_tensor t) { delete t; }

ATS_API int ats_version(int32_t* major, int32_t* minor, int32_t* patch) {
  ATS_TRY
  *major = TORCH_VERSION_MAJOR;
  *minor = TORCH_VERSION_MINOR;
  *patch = TORCH_VERSION_PATCH;
  ATS_CATCH
}

// libtorch's intra-op threads and, when the BLAS is OpenBLAS, its GEMM threads: the pthread build keeps its own pool
// sized to the cores, which at::set_num_threads does not reach, so "1 thread" would still run GEMMs on every core.
ATS_API int ats_set_num_threads(int32_t n) {
  ATS_TRY
  at::set_num_threads(n);
  if (auto set = blas_set_threads()) set(n);
  ATS_CATCH
}
// OpenBLAS's thread count, or -1 when the process has no OpenBLAS.
ATS_API int32_t ats_get_blas_threads() {
  auto get = blas_get_threads();
  return get ? get() : -1;
}
ATS_API int32_t ats_get_num_threads() { return at::get_num_threads(); }

ATS_API int ats_manual_seed(uint64_t seed) {
  ATS_TRY at::manual_seed(seed); ATS_CATCH
}

}  // extern "C"
