// arp.h — ARP for IPv4 over Ethernet (RFC 826), the only kind a director answers.
//
//   auto arp = net::ArpView::parse(eth->payload());
//   if (arp && arp->op() == net::ArpView::kRequest && owns(arp->target_ip())) reply(...);
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "net/addr.h"
#include "net/ether.h"
#include "net/wire.h"

namespace ulvs::net {

class ArpView {
 public:
  static constexpr size_t kLen = 28;
  static constexpr uint16_t kRequest = 1;
  static constexpr uint16_t kReply = 2;

  // Anything but Ethernet hardware (1) and IPv4 protocol addresses (6/4 bytes) is Unsupported.
  static Parsed<ArpView> parse(std::span<uint8_t> bytes) {
    if (bytes.size() < kLen) return ParseError::Truncated;
    if (load16(&bytes[0]) != 1 || load16(&bytes[2]) != ethertype::Ipv4 || bytes[4] != 6 ||
        bytes[5] != 4)
      return ParseError::Unsupported;
    return ArpView(bytes.first(kLen));
  }

  uint16_t op() const { return load16(&b_[6]); }
  Mac sender_mac() const { return mac_at(8); }
  Addr sender_ip() const { return Addr::v4_bytes(&b_[14]); }
  Mac target_mac() const { return mac_at(18); }
  Addr target_ip() const { return Addr::v4_bytes(&b_[24]); }
  std::span<uint8_t> bytes() const { return b_; }

  void set_op(uint16_t op) { store16(&b_[6], op); }
  void set_sender_mac(const Mac& m) { std::memcpy(&b_[8], m.data(), 6); }
  void set_sender_ip(const Addr& a) { std::memcpy(&b_[14], a.bytes.data(), 4); }
  void set_target_mac(const Mac& m) { std::memcpy(&b_[18], m.data(), 6); }
  void set_target_ip(const Addr& a) { std::memcpy(&b_[24], a.bytes.data(), 4); }

 private:
  friend class Parsed<ArpView>;
  ArpView() = default;
  explicit ArpView(std::span<uint8_t> b) : b_(b) {}
  Mac mac_at(size_t off) const {
    Mac m;
    std::memcpy(m.data(), &b_[off], 6);
    return m;
  }

  std::span<uint8_t> b_;
};

}  // namespace ulvs::net
