// ether.h — Ethernet II header with up to two VLAN tags (802.1Q, QinQ 802.1ad).
//
//   auto eth = net::EtherView::parse(frame);
//   if (eth && eth->ethertype() == net::ethertype::Ipv4) parse_ip(eth->payload());
//   eth->vlan_count();  eth->vlan_id(0);        // outer tag first
//   eth->set_dst(next_hop_mac);
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>

#include "net/wire.h"

namespace ulvs::net {

using Mac = std::array<uint8_t, 6>;
inline constexpr Mac kBroadcastMac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

namespace ethertype {
inline constexpr uint16_t Ipv4 = 0x0800;
inline constexpr uint16_t Arp = 0x0806;
inline constexpr uint16_t Vlan = 0x8100;   // 802.1Q C-tag
inline constexpr uint16_t Ipv6 = 0x86DD;
inline constexpr uint16_t QinQ = 0x88A8;   // 802.1ad S-tag
inline constexpr uint16_t QinQOld = 0x9100;  // pre-standard S-tag, still seen in the wild
}  // namespace ethertype

constexpr bool is_vlan_tpid(uint16_t t) {
  return t == ethertype::Vlan || t == ethertype::QinQ || t == ethertype::QinQOld;
}

class EtherView {
 public:
  static constexpr size_t kHeaderLen = 14;
  static constexpr size_t kVlanTagLen = 4;
  static constexpr int kMaxVlanTags = 2;

  // Needs 14 bytes plus 4 per tag; a third tag is Unsupported.
  static Parsed<EtherView> parse(std::span<uint8_t> frame) {
    if (frame.size() < kHeaderLen) return ParseError::Truncated;
    int tags = 0;
    while (is_vlan_tpid(load16(&frame[12 + kVlanTagLen * tags]))) {
      if (tags == kMaxVlanTags) return ParseError::Unsupported;
      ++tags;
      if (frame.size() < kHeaderLen + kVlanTagLen * tags) return ParseError::Truncated;
    }
    return EtherView(frame, tags);
  }

  Mac dst() const { return mac_at(0); }
  Mac src() const { return mac_at(6); }
  // The type of what follows the header and tags.
  uint16_t ethertype() const { return load16(&b_[header_len() - 2]); }
  int vlan_count() const { return vlans_; }
  // 12-bit VLAN id of tag i (0 = outermost).
  uint16_t vlan_id(int i) const { return tci(i) & 0x0fff; }
  uint8_t vlan_pcp(int i) const { return uint8_t(tci(i) >> 13); }
  uint16_t vlan_tpid(int i) const { return load16(&b_[12 + kVlanTagLen * i]); }
  size_t header_len() const { return kHeaderLen + kVlanTagLen * vlans_; }
  std::span<uint8_t> payload() const { return b_.subspan(header_len()); }
  std::span<uint8_t> bytes() const { return b_; }

  void set_dst(const Mac& m) { std::memcpy(&b_[0], m.data(), 6); }
  void set_src(const Mac& m) { std::memcpy(&b_[6], m.data(), 6); }
  void set_ethertype(uint16_t t) { store16(&b_[header_len() - 2], t); }
  // Keeps the priority and DEI bits.
  void set_vlan_id(int i, uint16_t vid) {
    store16(&b_[14 + kVlanTagLen * i], uint16_t((tci(i) & 0xf000) | (vid & 0x0fff)));
  }

 private:
  friend class Parsed<EtherView>;
  EtherView() = default;
  EtherView(std::span<uint8_t> b, int vlans) : b_(b), vlans_(uint8_t(vlans)) {}
  Mac mac_at(size_t off) const {
    Mac m;
    std::memcpy(m.data(), &b_[off], 6);
    return m;
  }
  uint16_t tci(int i) const { return load16(&b_[14 + kVlanTagLen * i]); }

  std::span<uint8_t> b_;
  uint8_t vlans_ = 0;
};

}  // namespace ulvs::net
