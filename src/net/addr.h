// addr.h — one address type for IPv4 and IPv6, and an address:port endpoint.
//
// Addresses are kept as 16 bytes in network order (IPv4 in the first 4 bytes) plus a family,
// so every table in ulvs stores both families the same way.  Parsing and printing follow
// ipvsadm:  "10.0.0.1:80", "[2001:db8::1]:80".
//
//   auto ep = net::Endpoint::parse("[2001:db8::1]:80");   // ep->addr.is_v6(), ep->port == 80
//   ep->str();                                            // "[2001:db8::1]:80"
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace ulvs::net {

enum class Family : uint8_t { V4 = 4, V6 = 6 };

struct Addr {
  Family family = Family::V4;
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses bytes[0..3], the rest stay 0

  static Addr v4(uint32_t host_order);
  static Addr v4_bytes(const uint8_t* p);   // 4 bytes, network order
  static Addr v6_bytes(const uint8_t* p);   // 16 bytes, network order
  // "10.0.0.1" or "2001:db8::1" (no brackets).
  static std::optional<Addr> parse(std::string_view text);

  bool is_v4() const { return family == Family::V4; }
  bool is_v6() const { return family == Family::V6; }
  int size() const { return is_v4() ? 4 : 16; }
  uint32_t v4_host() const;  // IPv4 only
  // The kernel's addr_fold in host order: the IPv4 address, or the XOR of the four IPv6
  // 32-bit words.  Hashing schedulers (dh, sh, mh, lblc) key on it.
  uint32_t fold() const;
  bool is_zero() const;
  // Client-address grouping for persistence: IPv4 `addr & mask` (mask in host order),
  // IPv6 keep the first `mask` bits (a prefix length).
  Addr masked(uint32_t mask) const;

  std::string str() const;  // "10.0.0.1", "2001:db8::1"

  friend bool operator==(const Addr&, const Addr&) = default;
  friend auto operator<=>(const Addr&, const Addr&) = default;
};

struct Endpoint {
  Addr addr;
  uint16_t port = 0;  // host order

  // "10.0.0.1:80", "10.0.0.1" (port 0), "[2001:db8::1]:80", "[2001:db8::1]".
  static std::optional<Endpoint> parse(std::string_view text);
  std::string str() const;  // "10.0.0.1:80", "[2001:db8::1]:80"

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

// The kernel's hash_32: top `bits` bits of val * GOLDEN_RATIO_32.
inline uint32_t hash_32(uint32_t val, unsigned bits) {
  return static_cast<uint32_t>(val * 0x61C88647u) >> (32 - bits);
}

}  // namespace ulvs::net
