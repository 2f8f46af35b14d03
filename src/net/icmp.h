// icmp.h — ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) header view: same 8-byte layout.
//
//   auto icmp = net::IcmpView::parse(ip->payload(), net::Family::V4);
//   if (icmp->is_error()) auto inner = net::Ipv4View::parse_quoted(icmp->payload());
//   if (icmp->type() == net::icmp4::EchoRequest) icmp->echo_id();
#pragma once

#include <cstdint>
#include <span>

#include "net/addr.h"
#include "net/wire.h"

namespace ulvs::net {

namespace icmp4 {
inline constexpr uint8_t EchoReply = 0;
inline constexpr uint8_t DestUnreach = 3;
inline constexpr uint8_t SourceQuench = 4;
inline constexpr uint8_t Redirect = 5;
inline constexpr uint8_t EchoRequest = 8;
inline constexpr uint8_t TimeExceeded = 11;
inline constexpr uint8_t ParamProblem = 12;
inline constexpr uint8_t FragNeeded = 4;  // code of DestUnreach; MTU in bytes 6-7
}  // namespace icmp4

namespace icmp6 {
inline constexpr uint8_t DestUnreach = 1;
inline constexpr uint8_t PacketTooBig = 2;  // MTU in bytes 4-7
inline constexpr uint8_t TimeExceeded = 3;
inline constexpr uint8_t ParamProblem = 4;
inline constexpr uint8_t EchoRequest = 128;
inline constexpr uint8_t EchoReply = 129;
inline constexpr uint8_t NeighborSolicit = 135;
inline constexpr uint8_t NeighborAdvert = 136;
}  // namespace icmp6

class IcmpView {
 public:
  static constexpr size_t kHeaderLen = 8;

  static Parsed<IcmpView> parse(std::span<uint8_t> bytes, Family family) {
    if (bytes.size() < kHeaderLen) return ParseError::Truncated;
    return IcmpView(bytes, family);
  }

  Family family() const { return family_; }
  uint8_t type() const { return b_[0]; }
  uint8_t code() const { return b_[1]; }
  uint16_t checksum() const { return load16(&b_[2]); }
  uint32_t rest() const { return load32(&b_[4]); }  // the type-specific word
  uint16_t echo_id() const { return load16(&b_[4]); }
  uint16_t echo_seq() const { return load16(&b_[6]); }
  // Next-hop MTU of "fragmentation needed" (v4) / "packet too big" (v6).
  uint32_t mtu() const { return family_ == Family::V4 ? load16(&b_[6]) : load32(&b_[4]); }
  // Errors quote the offending packet in their payload; IPVS relays them to the connection.
  bool is_error() const {
    if (family_ == Family::V6) return type() < 128;
    switch (type()) {
      case icmp4::DestUnreach:
      case icmp4::SourceQuench:
      case icmp4::Redirect:
      case icmp4::TimeExceeded:
      case icmp4::ParamProblem: return true;
      default: return false;
    }
  }
  bool is_echo_request() const {
    return type() == (family_ == Family::V4 ? icmp4::EchoRequest : icmp6::EchoRequest);
  }
  bool is_echo_reply() const {
    return type() == (family_ == Family::V4 ? icmp4::EchoReply : icmp6::EchoReply);
  }
  std::span<uint8_t> payload() const { return b_.subspan(kHeaderLen); }
  std::span<uint8_t> bytes() const { return b_; }

  void set_type(uint8_t v) { b_[0] = v; }
  void set_code(uint8_t v) { b_[1] = v; }
  void set_checksum(uint16_t v) { store16(&b_[2], v); }
  void set_rest(uint32_t v) { store32(&b_[4], v); }
  void set_echo_id(uint16_t v) { store16(&b_[4], v); }
  void set_echo_seq(uint16_t v) { store16(&b_[6], v); }

 private:
  friend class Parsed<IcmpView>;
  IcmpView() = default;
  IcmpView(std::span<uint8_t> b, Family f) : b_(b), family_(f) {}

  std::span<uint8_t> b_;
  Family family_ = Family::V4;
};

}  // namespace ulvs::net
