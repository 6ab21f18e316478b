/*
 * algoperf_gloo: a C API over Gloo (Debian's libgloo-dev) for AlgoPerf.Actors' GlooReducer
 * (src/Trainer/Distributed/GlooReducer.cs, docs/data-parallel.md "Gloo").
 *
 * One context is one rank's end of a gang: a full mesh of TCP connections to the other ranks, made through a
 * rendezvous store (GlooStoreServer.cs speaks the store's protocol, described in algoperf_gloo.cpp). Every collective
 * blocks the calling thread until it completes on this rank, and fails after the context's timeout.
 *
 * Every function returns ALGOPERF_GLOO_OK or an error code, and on error writes a NUL-terminated message into
 * error[0 .. error_length). No C++ exception crosses this boundary. A context whose collective failed is left in an
 * unknown state (gloo's rule for IoException): the caller frees it and makes a new gang.
 */
#ifndef ALGOPERF_GLOO_H
#define ALGOPERF_GLOO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ALGOPERF_GLOO_API __attribute__((visibility("default")))

enum {
  ALGOPERF_GLOO_OK = 0,
  /* gloo::IoException: a peer closed its connection (died), a timeout, or the store could not be reached. */
  ALGOPERF_GLOO_IO_ERROR = 1,
  /* any other gloo::Exception or a failed GLOO_ENFORCE. */
  ALGOPERF_GLOO_ERROR = 2,
  /* an argument this library refused before calling gloo. */
  ALGOPERF_GLOO_INVALID_ARGUMENT = 3,
  /* any other exception. */
  ALGOPERF_GLOO_UNEXPECTED = 4,
};

typedef struct algoperf_gloo_context algoperf_gloo_context;

/*
 * Connects rank `rank` of `size` ranks: binds the TCP transport to `bind_host` (an IP or host name of this machine
 * that the other ranks can reach), publishes its addresses in the store at store_host:store_port under keys that
 * start with `key_prefix` + "/", and connects to every other rank. `timeout_ms` bounds each wait (for the store, for
 * each peer) and becomes the timeout of every later collective. On success *context is the new context.
 */
ALGOPERF_GLOO_API int algoperf_gloo_connect(
    int rank, int size, const char* store_host, int store_port, const char* key_prefix, const char* bind_host,
    int64_t timeout_ms, algoperf_gloo_context** context, char* error, size_t error_length);

/* Replaces data[0 .. count) on every rank with the sum over the ranks, then multiplies it by `scale` (1/size gives
   the average). Every rank ends with bit-identical values. */
ALGOPERF_GLOO_API int algoperf_gloo_allreduce_f32(
    algoperf_gloo_context* context, float* data, size_t count, float scale, char* error, size_t error_length);

/* Every rank's `bytes` bytes of `input`, in rank order, into output[0 .. size * bytes). */
ALGOPERF_GLOO_API int algoperf_gloo_allgather(
    algoperf_gloo_context* context, const void* input, void* output, size_t bytes, char* error, size_t error_length);

/* Overwrites data[0 .. bytes) on every rank with root's. */
ALGOPERF_GLOO_API int algoperf_gloo_broadcast(
    algoperf_gloo_context* context, void* data, size_t bytes, int root, char* error, size_t error_length);

/* Closes the context's connections and frees it; null is ignored. */
ALGOPERF_GLOO_API void algoperf_gloo_free(algoperf_gloo_context* context);

#ifdef __cplusplus
}
#endif

#endif
