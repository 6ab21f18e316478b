// Element-wise arithmetic and linear algebra.
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

}  // extern "C"
