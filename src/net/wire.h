// wire.h — what every packet view shares: big-endian loads and stores, the parse error enum,
// the Parsed<View> result type, and IP protocol numbers.
//
//   uint16_t port = net::load16(p);           // host order, any alignment
//   net::store16(p, 8080);                    // written in network order
//   auto ip = net::Ipv4View::parse(bytes);    // Parsed<Ipv4View>
//   if (!ip) return ip.error();               // ParseError::Truncated, ...
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>

namespace ulvs::net {

// Byte-wise so they are alignment-safe and constexpr; compilers fuse them into one load + bswap.
constexpr uint16_t load16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
constexpr uint32_t load32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
constexpr void store16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}
constexpr void store32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

// Why a header was rejected.  Parsers never read past the buffer; they report instead.
enum class ParseError : uint8_t {
  None = 0,
  Truncated,        // the buffer ends before the header (or the length it claims) does
  BadVersion,       // IP version nibble is not 4 (or 6)
  BadHeaderLength,  // IPv4 IHL < 5, TCP data offset < 5
  BadLength,        // a length field smaller than its own header (IPv4 total, UDP length)
  Unsupported,      // well-formed but not handled: ARP for non-Ethernet/IPv4, > 2 VLAN tags
};

constexpr const char* to_string(ParseError e) {
  switch (e) {
    case ParseError::None: return "none";
    case ParseError::Truncated: return "truncated";
    case ParseError::BadVersion: return "bad version";
    case ParseError::BadHeaderLength: return "bad header length";
    case ParseError::BadLength: return "bad length";
    case ParseError::Unsupported: return "unsupported";
  }
  return "?";
}

// A view or the reason there is none (std::expected is C++23; this is the part we need).
template <class View>
class Parsed {
 public:
  Parsed(View v) : view_(v) {}                                     // NOLINT: implicit on purpose
  Parsed(ParseError e) : error_(e) { assert(e != ParseError::None); }  // NOLINT
  explicit operator bool() const { return error_ == ParseError::None; }
  bool ok() const { return error_ == ParseError::None; }
  ParseError error() const { return error_; }
  View& value() { assert(ok()); return view_; }
  const View& value() const { assert(ok()); return view_; }
  View& operator*() { return value(); }
  const View& operator*() const { return value(); }
  View* operator->() { return &value(); }
  const View* operator->() const { return &value(); }

 private:
  View view_{};
  ParseError error_ = ParseError::None;
};

// IP protocol / IPv6 next-header numbers the parsers care about.
namespace ipproto {
inline constexpr uint8_t HopOpts = 0;
inline constexpr uint8_t Icmp = 1;
inline constexpr uint8_t IpIp = 4;
inline constexpr uint8_t Tcp = 6;
inline constexpr uint8_t Udp = 17;
inline constexpr uint8_t Ipv6 = 41;
inline constexpr uint8_t Routing = 43;
inline constexpr uint8_t Fragment = 44;
inline constexpr uint8_t Gre = 47;
inline constexpr uint8_t Esp = 50;
inline constexpr uint8_t Ah = 51;
inline constexpr uint8_t Icmpv6 = 58;
inline constexpr uint8_t NoNext = 59;
inline constexpr uint8_t DstOpts = 60;
inline constexpr uint8_t Sctp = 132;
}  // namespace ipproto

}  // namespace ulvs::net
