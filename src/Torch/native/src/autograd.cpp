// Autograd: requires_grad, backward, .grad, detach and the thread-local grad mode (torch.no_grad).
#include "common.h"

extern "C" {

ATS_API int ats_tensor_set_requires_grad(ats_tensor t, int32_t value) {
  ATS_TRY t->set_requires_grad(value != 0); ATS_CATCH
}

ATS_API int32_t ats_tensor_requires_grad(ats_tensor t) { return t->requires_grad() ? 1 : 0; }

ATS_API int32_t ats_tensor_is_leaf(ats_tensor t) { return t->is_leaf() ? 1 : 0; }

// *out = a new handle on t.grad, or null when t has no gradient.
ATS_API int ats_tensor_grad(ats_tensor t, ats_tensor* out) {
  ATS_TRY
  const auto& g = t->grad();
  *out = g.defined() ? ats::wrap(g) : nullptr;
  ATS_CATCH
}

// t.grad = g (null: None).
ATS_API int ats_tensor_set_grad(ats_tensor t, ats_tensor g) {
  ATS_TRY t->mutable_grad() = g ? *g : at::Tensor(); ATS_CATCH
}

// t.backward(gradient, retain_graph, create_graph); gradient may be null for a scalar t.
ATS_API int ats_tensor_backward(ats_tensor t, ats_tensor gradient, int32_t retain_graph, int32_t create_graph) {
  ATS_TRY
  t->backward(gradient ? *gradient : at::Tensor(), c10::optional<bool>(retain_graph != 0), create_graph != 0);
  ATS_CATCH
}

// inplace != 0: detach_() (t itself becomes a leaf without history).
ATS_API int ats_tensor_detach(ats_tensor t, int32_t inplace, ats_tensor* out) {
  ATS_TRY if (inplace) t->detach_(); else *out = ats::wrap(t->detach()); ATS_CATCH
}

// t.data = value: t keeps its identity (handles, autograd leaf status) but takes value's storage, dtype and device,
// as nn.Module._apply does when moving parameters.
ATS_API int ats_tensor_set_data(ats_tensor t, ats_tensor value) {
  ATS_TRY t->set_data(*value); ATS_CATCH
}

// Sets this thread's grad mode; returns the previous one.
ATS_API int32_t ats_grad_mode_set(int32_t enabled) {
  const bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}

ATS_API int32_t ats_grad_mode_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

}  // extern "C"
