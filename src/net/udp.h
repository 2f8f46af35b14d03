// udp.h — UDP header view (RFC 768).
//
//   auto udp = net::UdpView::parse(ip->payload());   // trims to the UDP length
//   udp->dst_port(); udp->payload();
//   udp->checksum() == 0;                              // IPv4: sender computed none
#pragma once

#include <cstdint>
#include <span>

#include "net/wire.h"

namespace ulvs::net {

class UdpView {
 public:
  static constexpr size_t kHeaderLen = 8;

  // The length field must cover the header and fit in the buffer.
  static Parsed<UdpView> parse(std::span<uint8_t> bytes) {
    if (bytes.size() < kHeaderLen) return ParseError::Truncated;
    size_t len = load16(&bytes[4]);
    if (len < kHeaderLen) return ParseError::BadLength;
    if (len > bytes.size()) return ParseError::Truncated;
    return UdpView(bytes.first(len));
  }

  uint16_t src_port() const { return load16(&b_[0]); }
  uint16_t dst_port() const { return load16(&b_[2]); }
  uint16_t length() const { return load16(&b_[4]); }
  uint16_t checksum() const { return load16(&b_[6]); }
  std::span<uint8_t> payload() const { return b_.subspan(kHeaderLen); }
  std::span<uint8_t> bytes() const { return b_; }

  void set_src_port(uint16_t v) { store16(&b_[0], v); }
  void set_dst_port(uint16_t v) { store16(&b_[2], v); }
  void set_length(uint16_t v) { store16(&b_[4], v); }
  void set_checksum(uint16_t v) { store16(&b_[6], v); }

 private:
  friend class Parsed<UdpView>;
  UdpView() = default;
  explicit UdpView(std::span<uint8_t> b) : b_(b) {}

  std::span<uint8_t> b_;
};

}  // namespace ulvs::net
