#include "check/ping_probe.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>

#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

namespace {

constexpr uint8_t kEchoV4 = 8, kReplyV4 = 0, kEchoV6 = 128, kReplyV6 = 129;

uint16_t inet_csum(const uint8_t* p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += (p[i] << 8) | p[i + 1];
  if (n & 1) sum += p[n - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

struct Sock {
  Fd fd;
  bool raw = false;
};

// keepalived's PING_CHECK accepts bindto, bind_port, bind_if and fwmark but never applies
// them (check_ping.c: socket(), then sendto() the real server, no bind or setsockopt), so a
// bindto that is not a local address leaves the check working there.  Neither do we.
Sock open_icmp(bool v6, std::string& err) {
  const int proto = v6 ? int(IPPROTO_ICMPV6) : int(IPPROTO_ICMP);
  const net::Family fam = v6 ? net::Family::V6 : net::Family::V4;
  Sock s{open_socket(fam, SOCK_DGRAM, proto, BindOptions{}, err), false};
  if (!s.fd) s = Sock{open_socket(fam, SOCK_RAW, proto, BindOptions{}, err), true};
  return s;
}

// The ICMP message inside what recv() gave: raw IPv4 sockets include the IP header.
const uint8_t* icmp_part(const uint8_t* p, ssize_t& n, bool raw, bool v6) {
  if (!raw || v6 || n < 20) return p;
  size_t ihl = (p[0] & 0x0f) * 4u;
  if (static_cast<size_t>(n) < ihl) return p;
  n -= static_cast<ssize_t>(ihl);
  return p + ihl;
}

}  // namespace

ProbeResult probe_ping(const config::Checker& c, const net::Addr& to, const Deadline& d) {
  const bool v6 = to.is_v6();
  std::string err;
  Sock s = open_icmp(v6, err);
  if (!s.fd) return ProbeResult::down(err);
  static std::atomic<uint16_t> next_seq{1};
  const uint16_t seq = next_seq++;
  const uint16_t id = static_cast<uint16_t>(getpid());
  uint8_t pkt[16] = {v6 ? kEchoV6 : kEchoV4, 0, 0, 0, uint8_t(id >> 8), uint8_t(id), uint8_t(seq >> 8),
                     uint8_t(seq), 'u', 'l', 'v', 's', 'p', 'i', 'n', 'g'};
  if (!v6) {  // the kernel fills the ICMPv6 checksum (and the id on ping sockets)
    uint16_t sum = inet_csum(pkt, sizeof pkt);
    pkt[2] = uint8_t(sum >> 8);
    pkt[3] = uint8_t(sum);
  }
  sockaddr_storage ss;
  socklen_t sl = to_sockaddr(net::Endpoint{to, 0}, ss);
  if (::sendto(s.fd.get(), pkt, sizeof pkt, 0, reinterpret_cast<sockaddr*>(&ss), sl) < 0)
    return ProbeResult::down(errno_text("ping send"));
  uint8_t buf[2048];
  while (!d.expired()) {
    if (!(wait_fd(s.fd.get(), POLLIN, d) & POLLIN)) continue;
    sockaddr_storage from;
    socklen_t fl = sizeof from;
    ssize_t n = ::recvfrom(s.fd.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &fl);
    if (n < 0) continue;
    const uint8_t* icmp = icmp_part(buf, n, s.raw, v6);
    if (n < 8 || icmp[0] != (v6 ? kReplyV6 : kReplyV4)) continue;
    const uint16_t rseq = static_cast<uint16_t>((icmp[6] << 8) | icmp[7]);
    const uint16_t rid = static_cast<uint16_t>((icmp[4] << 8) | icmp[5]);
    if (rseq == seq && (!s.raw || rid == id)) return ProbeResult::up("echo reply");
  }
  return ProbeResult::down(d.cancelled() ? "stopped" : "no echo reply");
}

}  // namespace ulvs::check
