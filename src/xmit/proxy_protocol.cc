// proxy_protocol.cc — PROXY protocol v1/v2 headers.
#include "xmit/proxy_protocol.h"

#include <cstring>
#include <string>

#include "net/wire.h"

namespace ulvs::xmit {
namespace {

constexpr uint8_t kV2Signature[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr uint8_t kV2Proxy = 0x21;  // version 2, command PROXY

void put(ProxyHeader& h, const void* p, size_t n) {
  std::memcpy(h.bytes.data() + h.len, p, n);
  h.len += n;
}

}  // namespace

ProxyHeader proxy_v1(const net::Endpoint& client, const net::Endpoint& server) {
  std::string s;
  if (client.addr.family != server.addr.family) {
    s = "PROXY UNKNOWN\r\n";
  } else {
    s = std::string("PROXY ") + (client.addr.is_v4() ? "TCP4 " : "TCP6 ") + client.addr.str() + " " +
        server.addr.str() + " " + std::to_string(client.port) + " " + std::to_string(server.port) + "\r\n";
  }
  ProxyHeader h;
  put(h, s.data(), s.size());  // at most 6 + 5 + 2 * 39 + 2 * 5 + 3 + 2 = 104 bytes
  return h;
}

ProxyHeader proxy_v2(const net::Endpoint& client, const net::Endpoint& server, uint8_t proto) {
  ProxyHeader h;
  put(h, kV2Signature, sizeof kV2Signature);
  bool same = client.addr.family == server.addr.family;
  uint8_t transport = proto == net::ipproto::Tcp ? 1 : proto == net::ipproto::Udp ? 2 : 0;
  uint8_t family = !same || !transport ? 0 : client.addr.is_v4() ? 1 : 2;  // AF_UNSPEC, INET, INET6
  uint8_t head[4] = {kV2Proxy, uint8_t(family ? family << 4 | transport : 0), 0, 0};
  size_t alen = family == 0 ? 0 : family == 1 ? 4 : 16;
  net::store16(&head[2], uint16_t(family ? 2 * alen + 4 : 0));
  put(h, head, 4);
  if (!family) return h;
  put(h, client.addr.bytes.data(), alen);
  put(h, server.addr.bytes.data(), alen);
  uint8_t ports[4];
  net::store16(&ports[0], client.port);
  net::store16(&ports[2], server.port);
  put(h, ports, 4);
  return h;
}

}  // namespace ulvs::xmit
