#include "check/dns_probe.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

std::optional<uint16_t> dns_type_code(const std::string& name) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), ::toupper);
  static const std::pair<const char*, uint16_t> kTypes[] = {
      {"A", 1}, {"NS", 2}, {"CNAME", 5}, {"SOA", 6}, {"MX", 15}, {"TXT", 16}, {"AAAA", 28}};
  for (auto [t, code] : kTypes)
    if (n == t) return code;
  return std::nullopt;
}

std::vector<uint8_t> dns_query(uint16_t id, const std::string& name, uint16_t type) {
  std::vector<uint8_t> q = {uint8_t(id >> 8), uint8_t(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    size_t len = std::min<size_t>(dot - start, 63);
    if (len) {
      q.push_back(static_cast<uint8_t>(len));
      q.insert(q.end(), name.begin() + start, name.begin() + start + len);
    }
    start = dot + 1;
  }
  q.push_back(0);
  q.push_back(uint8_t(type >> 8));
  q.push_back(uint8_t(type));
  q.push_back(0);
  q.push_back(1);  // class IN
  return q;
}

bool dns_reply_ok(const std::vector<uint8_t>& query, const uint8_t* r, size_t len, std::string* why) {
  auto fail = [&](const char* m) {
    if (why) *why = m;
    return false;
  };
  if (len < query.size()) return fail("short DNS reply");
  if (r[0] != query[0] || r[1] != query[1]) return fail("DNS reply id mismatch");
  if (!(r[2] & 0x80)) return fail("not a DNS response");
  if (r[3] & 0x0f) return fail("DNS RCODE not 0");
  if (r[4] != 0 || r[5] != 1) return fail("DNS reply question count not 1");
  // The question (after the 12-byte header) must come back unchanged (case-insensitively).
  for (size_t i = 12; i < query.size(); ++i)
    if (std::tolower(r[i]) != std::tolower(query[i])) return fail("DNS reply question mismatch");
  return true;
}

ProbeResult probe_dns(const config::Checker& c, const net::Endpoint& to, const Deadline& d) {
  auto type = dns_type_code(c.dns_type);
  if (!type) return ProbeResult::down("unknown DNS type " + c.dns_type);
  static thread_local std::mt19937 rng{std::random_device{}()};
  const auto q = dns_query(static_cast<uint16_t>(rng()), c.dns_name, *type);
  std::string err;
  Fd fd = open_socket(to.addr.family, SOCK_DGRAM, 0, bind_options(c), err);
  if (!fd) return ProbeResult::unusable(err);  // keepalived: connect_error, no verdict
  sockaddr_storage ss;
  socklen_t sl = to_sockaddr(to, ss);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), sl) < 0 ||
      ::send(fd.get(), q.data(), q.size(), 0) < 0)
    return ProbeResult::down(errno_text("DNS send"));
  uint8_t buf[4096];
  while (!d.expired()) {
    if (!(wait_fd(fd.get(), POLLIN, d) & (POLLIN | POLLERR))) continue;
    ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return ProbeResult::down(errno_text("DNS recv"));
    }
    std::string why;
    if (dns_reply_ok(q, buf, static_cast<size_t>(n), &why)) return ProbeResult::up("DNS answer");
    if (why != "DNS reply id mismatch") return ProbeResult::down(why);
  }
  return ProbeResult::down(d.cancelled() ? "stopped" : "DNS timeout");
}

}  // namespace ulvs::check
