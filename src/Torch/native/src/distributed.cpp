// Collectives: a c10d TCPStore for rendezvous and a ProcessGroupGloo on top of it (CPU tensors).
// Stores and process groups cross the ABI as owning pointers to c10::intrusive_ptr, released by their free export;
// the managed side holds each in a SafeHandle. Every collective blocks until it completes or its timeout passes.
#include "common.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <functional>
#include <sstream>

// Debian ships Gloo's headers in libgloo-dev (libtorch-dev does not depend on it). Without them the shim still
// builds, and the process-group exports fail with a message saying what to install.
#if __has_include(<gloo/config.h>)
#define USE_C10D_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#define ATS_HAVE_GLOO 1
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#define ATS_HAVE_GLOO 0
#endif

typedef c10::intrusive_ptr<c10d::Store>* ats_store;
typedef c10::intrusive_ptr<c10d::ProcessGroup>* ats_pg;

namespace {

std::chrono::milliseconds millis(int64_t ms) { return std::chrono::milliseconds(ms); }

// Runs one collective and waits for it. On failure, rethrows with the collective, the rank and the timeout in the
// message, because Gloo's own messages ("Timed out waiting 2000ms for recv operation to complete") say neither.
void run(ats_pg pg, const char* what, int64_t timeout_ms,
         const std::function<c10::intrusive_ptr<c10d::Work>(c10d::ProcessGroup&)>& start) {
  auto& group = **pg;
  try {
    auto work = start(group);
    work->wait(millis(timeout_ms));
  } catch (const std::exception& e) {
    std::ostringstream m;
    m << what << " on rank " << group.getRank() << " of " << group.getSize() << " failed (timeout " << timeout_ms
      << " ms): ";
    if (auto* c = dynamic_cast<const c10::Error*>(&e)) {
      m << c->what_without_backtrace();
    } else {
      m << e.what();
    }
    throw std::runtime_error(m.str());
  }
}

// The tensors of a collective call: at least one, all of one dtype and device.
std::vector<at::Tensor> gather(const ats_tensor* ts, int64_t n) {
  TORCH_CHECK(n >= 1, "a collective needs at least one tensor");
  std::vector<at::Tensor> tensors;
  tensors.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const auto& t = *ts[i];
    TORCH_CHECK(t.scalar_type() == ts[0]->scalar_type() && t.device() == ts[0]->device(), "tensor ", i, " is ",
                t.scalar_type(), " on ", t.device(), " but tensor 0 is ", ts[0]->scalar_type(), " on ",
                ts[0]->device(), "; one collective takes one dtype and device");
    tensors.push_back(t);
  }
  return tensors;
}

// Runs `body` on one contiguous buffer holding every tensor, then writes the buffer back into the tensors. A single
// contiguous tensor is its own buffer.
void on_one_buffer(std::vector<at::Tensor>& tensors, const std::function<void(at::Tensor&)>& body) {
  if (tensors.size() == 1 && tensors[0].is_contiguous()) {
    body(tensors[0]);
    return;
  }
  std::vector<at::Tensor> flat;
  flat.reserve(tensors.size());
  for (const auto& t : tensors) flat.push_back(t.reshape(-1));
  auto buffer = at::cat(flat);
  body(buffer);
  int64_t offset = 0;
  for (auto& t : tensors) {
    t.copy_(buffer.narrow(0, offset, t.numel()).view(t.sizes()));
    offset += t.numel();
  }
}

}  // namespace

extern "C" {

// A TCPStore at host:port. The server (rank 0) binds `port` (0 picks a free one) and does not wait for the
// others; a client keeps connecting until `timeout_ms` passes. `port_out` receives the server's actual port.
ATS_API int ats_dist_store_create(const char* host, int32_t port, int32_t is_server, int32_t world_size,
                                  int64_t timeout_ms, int32_t* port_out, ats_store* out) {
  ATS_TRY
  TORCH_CHECK(port >= 0 && port <= 65535, "port ", port, " is out of range");
  c10d::TCPStoreOptions opts;
  opts.port = static_cast<std::uint16_t>(port);
  opts.isServer = is_server != 0;
  opts.numWorkers = static_cast<std::size_t>(world_size);
  opts.waitWorkers = false;
  opts.timeout = millis(timeout_ms);
  auto store = c10::make_intrusive<c10d::TCPStore>(std::string(host), opts);
  *port_out = store->getPort();
  *out = new c10::intrusive_ptr<c10d::Store>(std::move(store));
  ATS_CATCH
}

ATS_API void ats_dist_store_free(ats_store store) { delete store; }

// A Gloo process group of `size` ranks rendezvousing through `store`; blocks until every rank has joined or
// `timeout_ms` passes. `timeout_ms` is also the default for its collectives. `device_host` is the address this
// rank's Gloo transport binds (e.g. 127.0.0.1).
ATS_API int ats_dist_gloo_create(ats_store store, int32_t rank, int32_t size, const char* device_host,
                                 int64_t timeout_ms, ats_pg* out) {
  ATS_TRY
#if ATS_HAVE_GLOO
  TORCH_CHECK(size >= 1 && rank >= 0 && rank < size, "rank ", rank, " is not in a group of ", size);
  auto opts = c10d::ProcessGroupGloo::Options::create(millis(timeout_ms));
  opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(device_host));
  c10::intrusive_ptr<c10d::ProcessGroup> pg;
  try {
    pg = c10::make_intrusive<c10d::ProcessGroupGloo>(*store, rank, size, opts);
  } catch (const std::exception& e) {
    std::ostringstream m;
    m << "rank " << rank << " of " << size << " could not join the Gloo group within " << timeout_ms << " ms: ";
    auto* c = dynamic_cast<const c10::Error*>(&e);
    m << (c ? c->what_without_backtrace() : e.what());
    throw std::runtime_error(m.str());
  }
  *out = new c10::intrusive_ptr<c10d::ProcessGroup>(std::move(pg));
#else
  TORCH_CHECK(false, "this libtorch shim was built without Gloo headers; install libgloo-dev and rebuild it");
#endif
  ATS_CATCH
}

ATS_API void ats_dist_pg_free(ats_pg pg) { delete pg; }

ATS_API int32_t ats_dist_pg_rank(ats_pg pg) { return (*pg)->getRank(); }
ATS_API int32_t ats_dist_pg_size(ats_pg pg) { return (*pg)->getSize(); }

// In place on every rank: each tensor = sum over ranks (op 0), or that sum divided by the group size (op 1; floating
// point). Several tensors (one dtype) travel as one flat buffer, so a model's gradients cost one collective.
ATS_API int ats_dist_allreduce(ats_pg pg, const ats_tensor* ts, int64_t n, int32_t op, int64_t timeout_ms) {
  ATS_TRY
  TORCH_CHECK(op == 0 || op == 1, "unknown reduce op ", op);
  auto tensors = gather(ts, n);
  TORCH_CHECK(op == 0 || at::isFloatingType(tensors[0].scalar_type()), "average needs a floating-point tensor, got ",
              tensors[0].scalar_type());
  on_one_buffer(tensors, [&](at::Tensor& buffer) {
    run(pg, "allreduce", timeout_ms, [&](c10d::ProcessGroup& g) {
      std::vector<at::Tensor> one{buffer};
      c10d::AllreduceOptions o;
      o.reduceOp = c10d::ReduceOp::SUM;
      o.timeout = millis(timeout_ms);
      return g.allreduce(one, o);
    });
    // Gloo in 1.13 has no AVG: divide the sum by the group size.
    if (op == 1) buffer.div_((*pg)->getSize());
  });
  ATS_CATCH
}

// In place: every rank's tensors become root's (several tensors of one dtype travel as one buffer).
ATS_API int ats_dist_broadcast(ats_pg pg, const ats_tensor* ts, int64_t n, int32_t root, int64_t timeout_ms) {
  ATS_TRY
  TORCH_CHECK(root >= 0 && root < (*pg)->getSize(), "root ", root, " is not in a group of ", (*pg)->getSize());
  auto tensors = gather(ts, n);
  on_one_buffer(tensors, [&](at::Tensor& buffer) {
    run(pg, "broadcast", timeout_ms, [&](c10d::ProcessGroup& g) {
      std::vector<at::Tensor> one{buffer};
      c10d::BroadcastOptions o;
      o.rootRank = root;
      o.timeout = millis(timeout_ms);
      return g.broadcast(one, o);
    });
  });
  ATS_CATCH
}

ATS_API int ats_dist_barrier(ats_pg pg, int64_t timeout_ms) {
  ATS_TRY
  run(pg, "barrier", timeout_ms, [&](c10d::ProcessGroup& g) {
    c10d::BarrierOptions o;
    o.timeout = millis(timeout_ms);
    return g.barrier(o);
  });
  ATS_CATCH
}

}  // extern "C"
