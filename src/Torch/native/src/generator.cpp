// Random number generators: explicit CPU generators whose state can be saved and restored (checkpoints).
#include "common.h"

#include <ATen/CPUGeneratorImpl.h>
#include <mutex>

extern "C" {

ATS_API int ats_generator_new(uint64_t seed, at::Generator** out) {
  ATS_TRY *out = new at::Generator(at::make_generator<at::CPUGeneratorImpl>(seed)); ATS_CATCH
}

// A new handle on libtorch's default CPU generator (the one torch.manual_seed seeds).
ATS_API int ats_generator_default(at::Generator** out) {
  ATS_TRY *out = new at::Generator(at::detail::getDefaultCPUGenerator()); ATS_CATCH
}

ATS_API void ats_generator_free(at::Generator* g) { delete g; }

ATS_API int ats_generator_manual_seed(at::Generator* g, uint64_t seed) {
  ATS_TRY
  std::lock_guard<std::mutex> lock(g->mutex());
  g->set_current_seed(seed);
  ATS_CATCH
}

ATS_API int ats_generator_initial_seed(at::Generator* g, uint64_t* seed) {
  ATS_TRY *seed = g->current_seed(); ATS_CATCH
}

// The generator's full state as a uint8 tensor (torch.Generator.get_state()).
ATS_API int ats_generator_get_state(at::Generator* g, ats_tensor* out) {
  ATS_TRY
  std::lock_guard<std::mutex> lock(g->mutex());
  *out = ats::wrap(g->get_state());
  ATS_CATCH
}

ATS_API int ats_generator_set_state(at::Generator* g, ats_tensor state) {
  ATS_TRY
  std::lock_guard<std::mutex> lock(g->mutex());
  g->set_state(*state);
  ATS_CATCH
}

}  // extern "C"
