// proxy_protocol.h — the PROXY protocol header (HAProxy's spec, v1 text and v2 binary) that
// FULLNAT can put in front of a connection's first data so that nginx (`listen …
// proxy_protocol`), HAProxy or Envoy see the real client.  Pure builders: inserting the bytes
// into the first data segment and shifting sequence numbers for the rest of the connection is
// proxy_insert.h's job.
//
//   auto h = xmit::proxy_v2({client, cport}, {vip, vport}, net::ipproto::Tcp);
//   send_before_payload(h.span());     // 28 bytes for TCP over IPv4
//   xmit::proxy_v1({client, cport}, {vip, vport});   // "PROXY TCP4 1.1.1.1 10.0.0.100 40000 80\r\n"
//
// Client and server of different families: v1 says "PROXY UNKNOWN\r\n", v2 sends family
// AF_UNSPEC with no addresses (the receiver then uses the connection's own addresses).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "net/addr.h"

namespace ulvs::xmit {

struct ProxyHeader {
  std::array<uint8_t, 108> bytes{};  // v1 is at most 107 bytes; v2 here at most 52
  size_t len = 0;
  std::span<const uint8_t> span() const { return {bytes.data(), len}; }
};

// Text form; TCP only (v1 has no UDP).
ProxyHeader proxy_v1(const net::Endpoint& client, const net::Endpoint& server);
// Binary form, command PROXY; `proto` is IPPROTO_TCP or IPPROTO_UDP (anything else: UNSPEC).
ProxyHeader proxy_v2(const net::Endpoint& client, const net::Endpoint& server, uint8_t proto);

}  // namespace ulvs::xmit
