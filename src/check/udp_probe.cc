#include "check/udp_probe.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

bool udp_reply_ok(const config::Checker& c, const uint8_t* reply, size_t len) {
  const size_t max = c.max_reply_length > 0 ? static_cast<size_t>(c.max_reply_length) : 255;
  if (len < static_cast<size_t>(c.min_reply_length) || len > max) return false;
  if (!c.require_reply) return true;
  const auto& want = *c.require_reply;
  for (size_t i = 0; i < want.size() && i < len; ++i)
    if (reply[i] != want[i]) return false;
  return true;
}

ProbeResult probe_udp(const config::Checker& c, const net::Endpoint& to, const Deadline& d) {
  std::string err;
  Fd fd = open_socket(to.addr.family, SOCK_DGRAM, 0, bind_options(c), err);
  if (!fd) return ProbeResult::down(err);
  sockaddr_storage ss;
  socklen_t sl = to_sockaddr(to, ss);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), sl) < 0)
    return ProbeResult::down(errno_text("connect"));
  if (::send(fd.get(), c.payload.data(), c.payload.size(), 0) < 0)
    return ProbeResult::down(to.str() + ": " + errno_text("send"));
  uint8_t buf[65536];
  while (!d.expired()) {
    if (!(wait_fd(fd.get(), POLLIN, d) & (POLLIN | POLLERR))) continue;
    ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return ProbeResult::down(to.str() + ": " + errno_text("recv"));  // ECONNREFUSED: ICMP
    }
    if (!c.require_reply) return ProbeResult::up("UDP reply");
    if (udp_reply_ok(c, buf, static_cast<size_t>(n))) return ProbeResult::up("UDP reply matches");
    return ProbeResult::down("UDP reply mismatch");
  }
  if (d.cancelled()) return ProbeResult::down("stopped");
  if (c.require_reply) return ProbeResult::down("no UDP reply");
  return ProbeResult::up("no ICMP error");
}

}  // namespace ulvs::check
