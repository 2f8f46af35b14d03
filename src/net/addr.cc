// addr.cc — parse and print addresses the way ipvsadm does.
#include "net/addr.h"

#include <arpa/inet.h>

#include <charconv>

namespace ulvs::net {

Addr Addr::v4(uint32_t host_order) {
  Addr a;
  a.bytes[0] = host_order >> 24;
  a.bytes[1] = host_order >> 16;
  a.bytes[2] = host_order >> 8;
  a.bytes[3] = host_order;
  return a;
}

Addr Addr::v4_bytes(const uint8_t* p) {
  Addr a;
  std::memcpy(a.bytes.data(), p, 4);
  return a;
}

Addr Addr::v6_bytes(const uint8_t* p) {
  Addr a;
  a.family = Family::V6;
  std::memcpy(a.bytes.data(), p, 16);
  return a;
}

std::optional<Addr> Addr::parse(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  Addr a;
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buf, a.bytes.data()) != 1) return std::nullopt;
    return a;
  }
  a.family = Family::V6;
  if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
  return a;
}

uint32_t Addr::v4_host() const {
  return uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 | uint32_t(bytes[2]) << 8 | bytes[3];
}

uint32_t Addr::fold() const {
  if (is_v4()) return v4_host();
  uint32_t x = 0;
  for (int w = 0; w < 4; ++w) {
    const uint8_t* p = &bytes[w * 4];
    x ^= uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
  }
  return x;
}

bool Addr::is_zero() const {
  for (uint8_t b : bytes)
    if (b) return false;
  return true;
}

Addr Addr::masked(uint32_t mask) const {
  if (is_v4()) return v4(v4_host() & mask);
  Addr out = *this;
  unsigned bits = mask > 128 ? 128 : mask;
  for (unsigned i = 0; i < 16; ++i) {
    unsigned keep = bits >= 8 * (i + 1) ? 8 : (bits > 8 * i ? bits - 8 * i : 0);
    out.bytes[i] &= keep == 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - keep));
  }
  return out;
}

std::string Addr::str() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

static std::optional<uint16_t> parse_port(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}

std::optional<Endpoint> Endpoint::parse(std::string_view text) {
  Endpoint ep;
  std::string_view host = text, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
    auto a = Addr::parse(host);
    if (!a || !a->is_v6()) return std::nullopt;
    ep.addr = *a;
  } else {
    auto colon = text.find(':');
    if (colon != std::string_view::npos) {
      if (text.find(':', colon + 1) != std::string_view::npos) return std::nullopt;
      host = text.substr(0, colon);
      port = text.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    auto a = Addr::parse(host);
    if (!a || !a->is_v4()) return std::nullopt;
    ep.addr = *a;
  }
  if (!port.empty()) {
    auto p = parse_port(port);
    if (!p) return std::nullopt;
    ep.port = *p;
  }
  return ep;
}

std::string Endpoint::str() const {
  auto port_s = std::to_string(port);
  return addr.is_v6() ? "[" + addr.str() + "]:" + port_s : addr.str() + ":" + port_s;
}

}  // namespace ulvs::net
