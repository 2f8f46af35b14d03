// net_io.h — small socket helpers every network probe shares: open a non-blocking socket
// honouring bindto / bind_port / bind_if / fwmark, connect, send and receive, all bounded by
// a Deadline.
//
//   std::string err;
//   check::Fd fd = check::open_socket(target.addr.family, SOCK_STREAM, 0, bind, err);
//   if (fd && check::connect_within(fd.get(), target, deadline, err)) { ... }
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

#include "check/deadline.h"
#include "net/addr.h"

namespace ulvs::check {

// An owned file descriptor (closed on destruction).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  int release() { int f = fd_; fd_ = -1; return f; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// The local side of a probe's socket (checker options bindto, bind_port, bind_if, fwmark).
struct BindOptions {
  std::optional<net::Addr> bindto;
  uint16_t bind_port = 0;
  std::string bind_if;
  uint32_t fwmark = 0;
};

socklen_t to_sockaddr(const net::Endpoint& ep, sockaddr_storage& ss);
std::string errno_text(const char* what);

// socket(family, type|NONBLOCK|CLOEXEC, proto), then SO_MARK / SO_BINDTODEVICE / bind().
Fd open_socket(net::Family family, int type, int proto, const BindOptions& bind, std::string& err);

// Block (in slices) until fd has `events`; returns revents, 0 on timeout or stop.
short wait_fd(int fd, short events, const Deadline& d);

// Non-blocking connect completed (or refused) before the deadline.  On failure `errnum`
// (if given) is the errno of a connect() that failed at once, 0 when it failed later
// (refused, reset, unreachable, the deadline or a stop: the server's answer).
bool connect_within(int fd, const net::Endpoint& to, const Deadline& d, std::string& err,
                    int* errnum = nullptr);
bool send_all(int fd, const void* data, size_t len, const Deadline& d, std::string& err);
// Append what arrives to `out` until the peer closes, `max` bytes are held, or
// `done(out)` returns true.  False on error or timeout (err says which).
template <class Done>
bool recv_until(int fd, std::string& out, size_t max, const Deadline& d, std::string& err, Done done);
bool recv_to_eof(int fd, std::string& out, size_t max, const Deadline& d, std::string& err);

}  // namespace ulvs::check

#include "check/net_io_inl.h"
