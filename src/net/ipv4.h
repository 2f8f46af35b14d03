// ipv4.h — IPv4 header view (RFC 791), options included.
//
//   auto ip = net::Ipv4View::parse(eth->payload());   // trims Ethernet padding
//   if (!ip) drop(ip.error());
//   ip->protocol(); ip->src(); ip->payload();          // payload ends at total length
//   ip->decrement_ttl();                                // patches the checksum too
//
// parse_quoted() is for the packet an ICMP error quotes: only its first bytes are present, so
// a total length beyond the buffer is accepted there.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "net/addr.h"
#include "net/checksum.h"
#include "net/wire.h"

namespace ulvs::net {

class Ipv4View {
 public:
  static constexpr size_t kMinHeaderLen = 20;

  static Parsed<Ipv4View> parse(std::span<uint8_t> bytes) { return parse(bytes, false); }
  static Parsed<Ipv4View> parse_quoted(std::span<uint8_t> bytes) { return parse(bytes, true); }

  uint8_t version() const { return b_[0] >> 4; }
  size_t header_len() const { return size_t(b_[0] & 0x0f) * 4; }
  uint8_t tos() const { return b_[1]; }
  uint16_t total_len() const { return load16(&b_[2]); }
  uint16_t id() const { return load16(&b_[4]); }
  bool dont_fragment() const { return b_[6] & 0x40; }
  bool more_fragments() const { return b_[6] & 0x20; }
  // In bytes (the field counts 8-byte units).
  uint32_t frag_offset() const { return uint32_t(load16(&b_[6]) & 0x1fff) * 8; }
  bool is_fragment() const { return (load16(&b_[6]) & 0x3fff) != 0; }
  uint8_t ttl() const { return b_[8]; }
  uint8_t protocol() const { return b_[9]; }
  uint16_t checksum() const { return load16(&b_[10]); }
  Addr src() const { return Addr::v4_bytes(&b_[12]); }
  Addr dst() const { return Addr::v4_bytes(&b_[16]); }
  std::span<uint8_t> header() const { return b_.first(header_len()); }
  std::span<uint8_t> options() const { return b_.subspan(kMinHeaderLen, header_len() - kMinHeaderLen); }
  // Up to the total length (or, when quoted, as much as is present).
  std::span<uint8_t> payload() const { return b_.subspan(header_len()); }
  std::span<uint8_t> bytes() const { return b_; }
  bool checksum_ok() const { return internet_checksum(header()) == 0; }

  void set_tos(uint8_t v) { b_[1] = v; }
  void set_total_len(uint16_t v) { store16(&b_[2], v); }
  void set_id(uint16_t v) { store16(&b_[4], v); }
  void set_ttl(uint8_t v) { b_[8] = v; }
  void set_protocol(uint8_t v) { b_[9] = v; }
  void set_checksum(uint16_t v) { store16(&b_[10], v); }
  void set_src(const Addr& a) { std::memcpy(&b_[12], a.bytes.data(), 4); }
  void set_dst(const Addr& a) { std::memcpy(&b_[16], a.bytes.data(), 4); }
  void update_checksum() { set_checksum(ipv4_header_checksum(header())); }
  // TTL shares a 16-bit word with the protocol.
  void decrement_ttl() {
    uint16_t old_word = load16(&b_[8]);
    --b_[8];
    set_checksum(csum_replace16(checksum(), old_word, load16(&b_[8])));
  }

 private:
  friend class Parsed<Ipv4View>;
  Ipv4View() = default;
  explicit Ipv4View(std::span<uint8_t> b) : b_(b) {}

  static Parsed<Ipv4View> parse(std::span<uint8_t> bytes, bool quoted) {
    if (bytes.size() < kMinHeaderLen) return ParseError::Truncated;
    if (bytes[0] >> 4 != 4) return ParseError::BadVersion;
    size_t hl = size_t(bytes[0] & 0x0f) * 4;
    if (hl < kMinHeaderLen) return ParseError::BadHeaderLength;
    if (hl > bytes.size()) return ParseError::Truncated;
    size_t total = load16(&bytes[2]);
    if (total < hl) return ParseError::BadLength;
    if (total > bytes.size()) {
      if (!quoted) return ParseError::Truncated;
      total = bytes.size();
    }
    return Ipv4View(bytes.first(total));
  }

  std::span<uint8_t> b_;
};

}  // namespace ulvs::net
