#include "check/net_io.h"

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ulvs::check {

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

socklen_t to_sockaddr(const net::Endpoint& ep, sockaddr_storage& ss) {
  std::memset(&ss, 0, sizeof ss);
  if (ep.addr.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(ep.port);
    std::memcpy(&sin->sin_addr, ep.addr.bytes.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(ep.port);
  std::memcpy(&sin6->sin6_addr, ep.addr.bytes.data(), 16);
  return sizeof(sockaddr_in6);
}

static bool apply_bind(int fd, net::Family family, const BindOptions& b, std::string& err) {
  if (b.fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &b.fwmark, sizeof b.fwmark) < 0) {
    err = errno_text("SO_MARK");
    return false;
  }
  if (!b.bind_if.empty() &&
      setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, b.bind_if.c_str(), b.bind_if.size()) < 0) {
    err = errno_text("SO_BINDTODEVICE");
    return false;
  }
  if (!b.bindto && !b.bind_port) return true;
  net::Endpoint local;
  local.addr.family = family;
  if (b.bindto) local.addr = *b.bindto;
  local.port = b.bind_port;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage ss;
  socklen_t len = to_sockaddr(local, ss);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) {
    err = errno_text("bind");
    return false;
  }
  return true;
}

Fd open_socket(net::Family family, int type, int proto, const BindOptions& bind, std::string& err) {
  int domain = family == net::Family::V4 ? AF_INET : AF_INET6;
  Fd fd(::socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto));
  if (!fd) {
    err = errno_text("socket");
    return fd;
  }
  if (!apply_bind(fd.get(), family, bind, err)) return Fd();
  return fd;
}

short wait_fd(int fd, short events, const Deadline& d) {
  pollfd p{fd, events, 0};
  int n = ::poll(&p, 1, d.slice_ms());
  return n > 0 ? p.revents : 0;
}

bool connect_within(int fd, const net::Endpoint& to, const Deadline& d, std::string& err, int* errnum) {
  int ignored;
  if (!errnum) errnum = &ignored;
  sockaddr_storage ss;
  socklen_t len = to_sockaddr(to, ss);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0) return true;
  if (errno != EINPROGRESS) {
    *errnum = errno;
    err = errno_text("connect");
    return false;
  }
  while (!d.expired()) {
    if (!(wait_fd(fd, POLLOUT, d) & (POLLOUT | POLLERR | POLLHUP))) continue;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    if (soerr == 0) return true;
    *errnum = 0;
    err = std::string("connect: ") + std::strerror(soerr);
    return false;
  }
  *errnum = 0;
  err = d.cancelled() ? "stopped" : "timeout connecting";
  return false;
}

bool send_all(int fd, const void* data, size_t len, const Deadline& d, std::string& err) {
  auto* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = ::send(fd, p, len, MSG_NOSIGNAL);
    if (n >= 0) { p += n; len -= static_cast<size_t>(n); continue; }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) { err = errno_text("send"); return false; }
    if (d.expired()) { err = d.cancelled() ? "stopped" : "timeout writing"; return false; }
    wait_fd(fd, POLLOUT, d);
  }
  return true;
}

bool recv_to_eof(int fd, std::string& out, size_t max, const Deadline& d, std::string& err) {
  return recv_until(fd, out, max, d, err, [](const std::string&) { return false; });
}

}  // namespace ulvs::check
