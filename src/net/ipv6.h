// ipv6.h — IPv6 header view (RFC 8200) that walks the extension headers to the upper layer.
//
//   auto ip6 = net::Ipv6View::parse(eth->payload());
//   ip6->upper_protocol();   // TCP/UDP/ICMPv6/... after hop-by-hop, routing, fragment,
//   ip6->payload();          // destination options and AH headers
//   if (ip6->is_fragment() && ip6->frag_offset() != 0) { /* no L4 header here */ }
//
// ESP (50) and No Next Header (59) end the walk: upper_protocol() is then 50 or 59.
// parse_quoted() accepts a payload length beyond the buffer (ICMPv6 errors quote a prefix).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "net/addr.h"
#include "net/wire.h"

namespace ulvs::net {

class Ipv6View {
 public:
  static constexpr size_t kHeaderLen = 40;
  static constexpr size_t kFragHeaderLen = 8;

  static Parsed<Ipv6View> parse(std::span<uint8_t> bytes) { return parse(bytes, false); }
  static Parsed<Ipv6View> parse_quoted(std::span<uint8_t> bytes) { return parse(bytes, true); }

  uint8_t version() const { return b_[0] >> 4; }
  uint8_t traffic_class() const { return uint8_t(load16(&b_[0]) >> 4); }
  uint32_t flow_label() const { return load32(&b_[0]) & 0xfffff; }
  uint16_t payload_len() const { return load16(&b_[4]); }
  uint8_t next_header() const { return b_[6]; }  // of the fixed header
  uint8_t hop_limit() const { return b_[7]; }
  Addr src() const { return Addr::v6_bytes(&b_[8]); }
  Addr dst() const { return Addr::v6_bytes(&b_[24]); }

  // The protocol after the extension headers, and where it starts.
  uint8_t upper_protocol() const { return proto_; }
  size_t header_len() const { return l4_off_; }  // 40 + extension headers
  std::span<uint8_t> ext_headers() const { return b_.subspan(kHeaderLen, l4_off_ - kHeaderLen); }
  std::span<uint8_t> payload() const { return b_.subspan(l4_off_); }
  std::span<uint8_t> bytes() const { return b_; }

  // Fragment header, if any.
  bool is_fragment() const { return frag_off_ != 0; }
  uint32_t frag_offset() const { return frag_off_ ? load16(&b_[frag_off_ + 2]) & 0xfff8u : 0; }
  bool more_fragments() const { return frag_off_ && (b_[frag_off_ + 3] & 1); }
  uint32_t frag_id() const { return frag_off_ ? load32(&b_[frag_off_ + 4]) : 0; }

  void set_traffic_class(uint8_t tc) {
    store16(&b_[0], uint16_t((load16(&b_[0]) & 0xf00f) | uint16_t(tc) << 4));
  }
  void set_payload_len(uint16_t v) { store16(&b_[4], v); }
  void set_hop_limit(uint8_t v) { b_[7] = v; }
  void set_src(const Addr& a) { std::memcpy(&b_[8], a.bytes.data(), 16); }
  void set_dst(const Addr& a) { std::memcpy(&b_[24], a.bytes.data(), 16); }

 private:
  friend class Parsed<Ipv6View>;
  Ipv6View() = default;
  Ipv6View(std::span<uint8_t> b, uint32_t l4_off, uint8_t proto, uint32_t frag_off)
      : b_(b), l4_off_(l4_off), frag_off_(frag_off), proto_(proto) {}

  static Parsed<Ipv6View> parse(std::span<uint8_t> bytes, bool quoted);

  std::span<uint8_t> b_;
  uint32_t l4_off_ = kHeaderLen;
  uint32_t frag_off_ = 0;  // offset of the fragment header; 0 = none
  uint8_t proto_ = 0;
};

// Walks the chain; every header must lie inside the packet.  Each is at least 8 bytes long,
// so the walk is bounded by the packet length (no loop counter needed).
inline Parsed<Ipv6View> Ipv6View::parse(std::span<uint8_t> bytes, bool quoted) {
  if (bytes.size() < kHeaderLen) return ParseError::Truncated;
  if (bytes[0] >> 4 != 6) return ParseError::BadVersion;
  size_t total = kHeaderLen + load16(&bytes[4]);
  if (total > bytes.size()) {
    if (!quoted) return ParseError::Truncated;
    total = bytes.size();
  }
  bytes = bytes.first(total);
  uint8_t nh = bytes[6];
  size_t off = kHeaderLen, frag = 0;
  for (;;) {
    size_t len;
    switch (nh) {
      case ipproto::HopOpts:
      case ipproto::Routing:
      case ipproto::DstOpts:
        if (off + 2 > total) return ParseError::Truncated;
        len = (size_t(bytes[off + 1]) + 1) * 8;
        break;
      case ipproto::Ah:  // length in 4-byte units, minus 2
        if (off + 2 > total) return ParseError::Truncated;
        len = (size_t(bytes[off + 1]) + 2) * 4;
        break;
      case ipproto::Fragment:
        len = kFragHeaderLen;
        frag = off;
        break;
      default:
        return Ipv6View(bytes, uint32_t(off), nh, uint32_t(frag));
    }
    if (off + len > total) return ParseError::Truncated;
    nh = bytes[off];
    off += len;
  }
}

}  // namespace ulvs::net
