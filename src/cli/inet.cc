#include "cli/inet.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstdlib>

#include "ipvs/service.h"

namespace ulvs::cli {

namespace {

const char* proto_name(uint8_t protocol) {
  switch (protocol) {
    case ipvs::proto::kTcp: return "tcp";
    case ipvs::proto::kUdp: return "udp";
    case ipvs::proto::kSctp: return "sctp";
    default: return nullptr;
  }
}

std::string host_name(const net::Addr& a) {
  // gethostbyaddr, not getnameinfo: the same lookup (files, then DNS) ipvsadm does.
  const hostent* h = gethostbyaddr(a.bytes.data(), a.size(), a.is_v4() ? AF_INET : AF_INET6);
  return h ? h->h_name : a.str();
}

std::string port_name(uint16_t port, uint8_t protocol) {
  const char* p = proto_name(protocol);
  const servent* s = p ? getservbyport(htons(port), p) : nullptr;
  return s ? s->s_name : std::to_string(port);
}

}  // namespace

long parse_number(const std::string& s, long min, long max) {
  errno = 0;
  char* end = nullptr;
  long n = std::strtol(s.c_str(), &end, 10);
  if (*end != '\0' || end == s.c_str() || errno == ERANGE || n < min || n > max) return -1;
  return n;
}

std::optional<net::Addr> parse_ipv4_or_host(const std::string& text) {
  in_addr in{};
  if (inet_aton(text.c_str(), &in) != 0)
    return net::Addr::v4_bytes(reinterpret_cast<const uint8_t*>(&in.s_addr));
  const hostent* h = gethostbyname(text.c_str());
  if (!h || h->h_addrtype != AF_INET || h->h_length != 4) return std::nullopt;
  return net::Addr::v4_bytes(reinterpret_cast<const uint8_t*>(h->h_addr_list[0]));
}

int service_to_port(const std::string& name, uint8_t protocol) {
  const char* p = proto_name(protocol);
  const servent* s = p ? getservbyname(name.c_str(), p) : nullptr;
  return s ? ntohs(static_cast<uint16_t>(s->s_port)) : -1;
}

std::string addrport_name(const net::Endpoint& ep, uint8_t protocol, bool numeric) {
  std::string host = numeric ? ep.addr.str() : host_name(ep.addr);
  std::string port = numeric ? std::to_string(ep.port) : port_name(ep.port, protocol);
  std::string s = ep.addr.is_v4() ? host + ":" + port : "[" + host + "]:" + port;
  if (s.size() > 59) s.resize(59);
  return s;
}

}  // namespace ulvs::cli
