// frame.h — one call that parses a whole Ethernet frame into the fields the data plane needs.
//
//   net::ParsedFrame f = net::parse_frame(frame);
//   if (!f.ok()) count_drop(f.error);
//   else if (f.l3 == net::L3::Ipv4 && f.l4_proto == net::ipproto::Tcp)
//     lookup(f.src, f.src_port, f.dst, f.dst_port);
//
// No allocation, no copies beyond the fixed-size result.  Offsets count from the frame start.
// On error, the fields parsed before the failing header stay filled in (e.g. a frame whose TCP
// header is truncated still reports its addresses), so a caller can log or pass it on.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "net/addr.h"
#include "net/wire.h"

namespace ulvs::net {

enum class L3 : uint8_t { None, Arp, Ipv4, Ipv6, Other };

// The header an ICMP error quotes (the packet that caused it, as sent by us or our client).
struct QuotedPacket {
  bool present = false;            // the outer packet is an ICMP error and this parsed
  ParseError error = ParseError::None;  // why it did not parse (present == false)
  uint8_t l4_proto = 0;
  uint32_t l3_offset = 0, l4_offset = 0;
  Addr src, dst;
  uint16_t src_port = 0, dst_port = 0;  // TCP/UDP/SCTP when the first 4 bytes are quoted
  bool has_ports = false;
  bool is_fragment = false;        // a non-first fragment: no ports
};

struct ParsedFrame {
  ParseError error = ParseError::None;
  L3 l3 = L3::None;
  uint8_t vlan_count = 0;
  std::array<uint16_t, 2> vlan_ids{};  // outer first
  uint16_t ethertype = 0;              // after the VLAN tags
  uint32_t l3_offset = 0;
  uint32_t l3_len = 0;                 // IP total length (the frame may carry padding after)

  // IPv4/IPv6 (ARP: sender and target protocol addresses).
  Addr src, dst;
  uint8_t ttl = 0;                     // hop limit for IPv6
  bool is_fragment = false;
  bool first_fragment = false;         // offset 0: carries the L4 header (if is_fragment)
  uint8_t l4_proto = 0;                // after IPv6 extension headers
  uint32_t l4_offset = 0;              // 0 when there is no L4 (ARP, non-first fragment)

  uint16_t src_port = 0, dst_port = 0;  // TCP, UDP, SCTP
  uint8_t tcp_flags = 0;
  uint32_t tcp_seq = 0, tcp_ack = 0;   // TCP: as received
  uint8_t icmp_type = 0, icmp_code = 0;
  uint32_t payload_offset = 0, payload_len = 0;  // after the L4 header

  QuotedPacket inner;  // ICMP errors only

  bool ok() const { return error == ParseError::None; }
  bool has_l4() const { return l4_offset != 0; }
  Family family() const { return l3 == L3::Ipv6 ? Family::V6 : Family::V4; }
};

// Ethernet (+ up to two VLAN tags) and everything above it.
ParsedFrame parse_frame(std::span<uint8_t> frame);

// The same from the IP header on (no Ethernet), e.g. the inner packet of an IPIP tunnel;
// the version nibble picks the family.
ParsedFrame parse_ip_packet(std::span<uint8_t> packet);

}  // namespace ulvs::net
