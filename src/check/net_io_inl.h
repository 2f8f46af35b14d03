// net_io_inl.h — the template part of net_io.h (recv_until).
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace ulvs::check {

template <class Done>
bool recv_until(int fd, std::string& out, size_t max, const Deadline& d, std::string& err, Done done) {
  char buf[4096];
  while (!done(out)) {
    if (out.size() >= max) return true;
    ssize_t n = ::recv(fd, buf, std::min(sizeof buf, max - out.size()), 0);
    if (n > 0) { out.append(buf, static_cast<size_t>(n)); continue; }
    if (n == 0) return true;  // peer closed
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) { err = errno_text("recv"); return false; }
    if (d.expired()) { err = d.cancelled() ? "stopped" : "timeout reading"; return false; }
    wait_fd(fd, POLLIN, d);
  }
  return true;
}

}  // namespace ulvs::check
