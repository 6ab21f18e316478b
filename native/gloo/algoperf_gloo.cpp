// algoperf_gloo: the C API of algoperf_gloo.h over Gloo, and the client of the rendezvous store.
//
// The store (GlooStoreServer.cs, hosted by rank 0's process) is a key-value map on TCP. One connection carries any
// number of requests, each answered before the next is read. Integers are little-endian.
//   request:  u8 op (1 set, 2 get, 3 wait) | u32 timeout_ms | u32 key_count | key_count x (u32 length, bytes)
//             | for set only: u32 value_length, bytes
//   response: u8 status (0 ok, 1 timed out, 2 refused) | u32 length | bytes (get: the value; refused: the reason)
// set stores one key (a key is set once); get waits up to timeout_ms for one key and returns its value; wait waits up
// to timeout_ms until every key is set. The server answers a wait or get that timed out with status 1.

#include "algoperf_gloo.h"

#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/common/error.h>
#include <gloo/common/logging.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/store.h>
#include <gloo/transport/tcp/device.h>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the store protocol is little-endian, as this code's hosts");

struct algoperf_gloo_context {
  std::shared_ptr<gloo::rendezvous::Context> context;
  // Every collective gets the next tag, the same on every rank (they call the same collectives in the same order),
  // so a rank that runs ahead into the next collective never feeds the one a slower rank is still in.
  uint32_t tag = 0;
};

namespace {

using Clock = std::chrono::steady_clock;

enum : uint8_t { kSet = 1, kGet = 2, kWait = 3 };
enum : uint8_t { kOk = 0, kTimedOut = 1, kRefused = 2 };

// How long past a wait's own timeout the client waits for the server's answer.
constexpr std::chrono::milliseconds kAnswerGrace{5000};
constexpr uint32_t kMaxValueBytes = 1u << 20;

std::string Errno(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// The client end of one connection to the store; keys are prefixed with "<prefix>/".
class TcpStore : public gloo::rendezvous::Store {
 public:
  TcpStore(std::string host, int port, std::string prefix, std::chrono::milliseconds timeout)
      : host_(std::move(host)), port_(port), prefix_(std::move(prefix)), timeout_(timeout) {
    Connect();
  }

  ~TcpStore() override {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  TcpStore(const TcpStore&) = delete;
  TcpStore& operator=(const TcpStore&) = delete;

  void set(const std::string& key, const std::vector<char>& data) override {
    Request(kSet, {key}, &data, std::chrono::milliseconds::zero());
  }

  std::vector<char> get(const std::string& key) override {
    return Request(kGet, {key}, nullptr, timeout_);
  }

  void wait(const std::vector<std::string>& keys) override {
    wait(keys, timeout_);
  }

  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override {
    // gloo passes its context's timeout, or kNoTimeout (zero); ours bounds every wait.
    Request(kWait, keys, nullptr, timeout > std::chrono::milliseconds::zero() ? std::min(timeout, timeout_) : timeout_);
  }

 private:
  std::string Where() const {
    return "the rendezvous store at " + host_ + ":" + std::to_string(port_);
  }

  [[noreturn]] void Fail(const std::string& why) const {
    throw gloo::IoException(Where() + ": " + why);
  }

  void Connect() {
    const auto deadline = Clock::now() + timeout_;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const auto port = std::to_string(port_);
    const int rc = ::getaddrinfo(host_.c_str(), port.c_str(), &hints, &found);
    if (rc != 0) {
      Fail(std::string("cannot resolve the host: ") + ::gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    std::string last = "no address";
    for (auto* a = found; a != nullptr; a = a->ai_next) {
      const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) {
        last = Errno("socket");
        continue;
      }
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || (errno == EINPROGRESS && AwaitConnect(fd, deadline, last))) {
        fd_ = fd;
        return;
      }
      if (errno != EINPROGRESS) {
        last = Errno("connect");
      }
      ::close(fd);
    }
    Fail("cannot connect (" + last + ")");
  }

  bool AwaitConnect(int fd, Clock::time_point deadline, std::string& why) const {
    pollfd p{fd, POLLOUT, 0};
    const int ready = Poll(p, deadline);
    if (ready <= 0) {
      why = ready == 0 ? "timed out connecting" : Errno("poll");
      return false;
    }
    int error = 0;
    socklen_t length = sizeof(error);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
      why = std::string("connect: ") + std::strerror(error != 0 ? error : errno);
      return false;
    }
    return true;
  }

  static int Poll(pollfd& p, Clock::time_point deadline) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        return 0;
      }
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 60'000)));
      if (ready != 0 && !(ready < 0 && errno == EINTR)) {
        return ready;
      }
    }
  }

  void Send(const std::vector<char>& bytes, Clock::time_point deadline) const {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        pollfd p{fd_, POLLOUT, 0};
        if (Poll(p, deadline) <= 0) {
          Fail("timed out sending a request");
        }
      } else {
        Fail(Errno("send"));
      }
    }
  }

  void Receive(char* into, size_t bytes, Clock::time_point deadline, const std::string& request) const {
    size_t done = 0;
    while (done < bytes) {
      const ssize_t n = ::recv(fd_, into + done, bytes - done, 0);
      if (n > 0) {
        done += static_cast<size_t>(n);
      } else if (n == 0) {
        Fail("the store closed the connection during " + request);
      } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        pollfd p{fd_, POLLIN, 0};
        if (Poll(p, deadline) <= 0) {
          Fail("no answer to " + request);
        }
      } else {
        Fail(Errno("recv"));
      }
    }
  }

  static void Put32(std::vector<char>& out, uint32_t value) {
    char bytes[4];
    std::memcpy(bytes, &value, 4);
    out.insert(out.end(), bytes, bytes + 4);
  }

  std::vector<char> Request(
      uint8_t op, const std::vector<std::string>& keys, const std::vector<char>* value,
      std::chrono::milliseconds timeout) {
    if (value != nullptr && value->size() > kMaxValueBytes) {
      Fail("a value of " + std::to_string(value->size()) + " bytes is over the store's limit");
    }
    std::vector<char> out;
    out.push_back(static_cast<char>(op));
    Put32(out, static_cast<uint32_t>(timeout.count()));
    Put32(out, static_cast<uint32_t>(keys.size()));
    std::ostringstream names;
    for (const auto& key : keys) {
      const auto full = prefix_ + "/" + key;
      names << (names.tellp() > 0 ? ", " : "") << full;
      Put32(out, static_cast<uint32_t>(full.size()));
      out.insert(out.end(), full.begin(), full.end());
    }
    if (value != nullptr) {
      Put32(out, static_cast<uint32_t>(value->size()));
      out.insert(out.end(), value->begin(), value->end());
    }
    const auto request = std::string(op == kSet ? "set " : op == kGet ? "get " : "wait for ") + names.str();
    const auto deadline = Clock::now() + timeout + kAnswerGrace;
    Send(out, deadline);
    char header[5];
    Receive(header, sizeof(header), deadline, request);
    uint32_t length = 0;
    std::memcpy(&length, header + 1, 4);
    if (length > kMaxValueBytes) {
      Fail("an answer of " + std::to_string(length) + " bytes to " + request);
    }
    std::vector<char> body(length);
    Receive(body.data(), length, deadline, request);
    switch (static_cast<uint8_t>(header[0])) {
      case kOk:
        return body;
      case kTimedOut:
        Fail(
            "timed out after " + std::to_string(timeout.count()) + " ms waiting for " + names.str() +
            ": a rank of the gang did not connect");
      default:
        Fail("refused " + request + ": " + std::string(body.begin(), body.end()));
    }
  }

  const std::string host_;
  const int port_;
  const std::string prefix_;
  const std::chrono::milliseconds timeout_;
  int fd_ = -1;
};

void Write(char* error, size_t error_length, const std::string& message) {
  if (error == nullptr || error_length == 0) {
    return;
  }
  const size_t n = std::min(message.size(), error_length - 1);
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

// Runs body, turning every exception into an error code and message: no C++ exception crosses the C API.
template <typename Body>
int Guard(char* error, size_t error_length, Body&& body) noexcept {
  try {
    body();
    return ALGOPERF_GLOO_OK;
  } catch (const gloo::IoException& e) {
    Write(error, error_length, e.what());
    return ALGOPERF_GLOO_IO_ERROR;
  } catch (const gloo::Exception& e) {
    Write(error, error_length, e.what());
    return ALGOPERF_GLOO_ERROR;
  } catch (const gloo::EnforceNotMet& e) {
    Write(error, error_length, e.what());
    return ALGOPERF_GLOO_ERROR;
  } catch (const std::invalid_argument& e) {
    Write(error, error_length, e.what());
    return ALGOPERF_GLOO_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    Write(error, error_length, e.what());
    return ALGOPERF_GLOO_UNEXPECTED;
  } catch (...) {
    Write(error, error_length, "an exception that is not a std::exception");
    return ALGOPERF_GLOO_UNEXPECTED;
  }
}

void Require(bool condition, const char* message) {
  if (!condition) {
    throw std::invalid_argument(message);
  }
}

}  // namespace

extern "C" {

int algoperf_gloo_connect(
    int rank, int size, const char* store_host, int store_port, const char* key_prefix, const char* bind_host,
    int64_t timeout_ms, algoperf_gloo_context** context, char* error, size_t error_length) {
  return Guard(error, error_length, [&] {
    Require(context != nullptr, "context is null");
    *context = nullptr;
    Require(size >= 1 && rank >= 0 && rank < size, "rank must be in [0, size)");
    Require(store_host != nullptr && key_prefix != nullptr && bind_host != nullptr, "a string argument is null");
    Require(store_port > 0 && store_port < 65536, "store_port must be in [1, 65535]");
    Require(timeout_ms > 0 && timeout_ms <= INT32_MAX, "timeout_ms must be in [1, 2^31)");
    const std::chrono::milliseconds timeout(timeout_ms);
    gloo::transport::tcp::attr attr;
    attr.hostname = bind_host;
    auto device = gloo::transport::tcp::CreateDevice(attr);
    auto connected = std::make_unique<algoperf_gloo_context>();
    connected->context = std::make_shared<gloo::rendezvous::Context>(rank, size);
    connected->context->setTimeout(timeout);
    TcpStore store(store_host, store_port, key_prefix, timeout);
    connected->context->connectFullMesh(store, device);
    if (size > 1) {
      // No rank returns before every rank's pairs are up: a rank that connected first and then closed its context
      // at once (a short-lived gang, a failed setup elsewhere) would otherwise reset a peer's handshake in progress.
      gloo::BarrierOptions barrier(connected->context);
      barrier.setTag(connected->tag++);
      gloo::barrier(barrier);
    }
    *context = connected.release();
  });
}

int algoperf_gloo_allreduce_f32(
    algoperf_gloo_context* context, float* data, size_t count, float scale, char* error, size_t error_length) {
  return Guard(error, error_length, [&] {
    Require(context != nullptr && (data != nullptr || count == 0), "context or data is null");
    if (count == 0) {
      return;
    }
    gloo::AllreduceOptions options(context->context);
    options.setOutput(data, count);
    options.setReduceFunction(
        static_cast<void (*)(void*, const void*, const void*, size_t)>(&gloo::sum<float>));
    options.setTag(context->tag++);
    gloo::allreduce(options);
    if (scale != 1.0f) {
      for (size_t i = 0; i < count; i++) {
        data[i] *= scale;
      }
    }
  });
}

int algoperf_gloo_allgather(
    algoperf_gloo_context* context, const void* input, void* output, size_t bytes, char* error, size_t error_length) {
  return Guard(error, error_length, [&] {
    Require(context != nullptr && input != nullptr && output != nullptr && bytes > 0, "a null argument or 0 bytes");
    gloo::AllgatherOptions options(context->context);
    // gloo sends from input and never writes it.
    options.setInput(static_cast<char*>(const_cast<void*>(input)), bytes);
    options.setOutput(static_cast<char*>(output), bytes * static_cast<size_t>(context->context->size));
    options.setTag(context->tag++);
    gloo::allgather(options);
  });
}

int algoperf_gloo_broadcast(
    algoperf_gloo_context* context, void* data, size_t bytes, int root, char* error, size_t error_length) {
  return Guard(error, error_length, [&] {
    Require(context != nullptr && (data != nullptr || bytes == 0), "context or data is null");
    Require(root >= 0 && root < context->context->size, "root must be in [0, size)");
    if (bytes == 0) {
      return;
    }
    gloo::BroadcastOptions options(context->context);
    options.setOutput(static_cast<char*>(data), bytes);
    options.setRoot(root);
    options.setTag(context->tag++);
    gloo::broadcast(options);
  });
}

void algoperf_gloo_free(algoperf_gloo_context* context) {
  delete context;
}

}  // extern "C"
