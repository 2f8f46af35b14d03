// builder.h — builds whole frames with correct lengths and checksums, for tests and for the
// packets the data plane originates (ARP replies, ICMP errors, echo replies).
//
//   net::FrameSpec f{.src = *net::Addr::parse("10.0.0.1"), .dst = *net::Addr::parse("10.0.0.2")};
//   auto syn = net::build_tcp(f, {.src_port = 40000, .dst_port = 80, .flags = net::tcp_flag::SYN,
//                                 .options = net::mss_option(1460)});
//   auto ping = net::build_icmp_echo(f, /*reply=*/false, 7, 1);
//   auto who = net::build_arp_request(my_mac, my_ip, target_ip);
//
// The address family of FrameSpec::src picks IPv4 or IPv6 (src and dst must agree).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "net/addr.h"
#include "net/ether.h"
#include "net/tcp.h"

namespace ulvs::net {

struct FragmentSpec {
  uint32_t offset = 0;  // bytes, a multiple of 8
  bool more = false;
  uint32_t id = 0;      // IPv4 uses the low 16 bits
};

struct FrameSpec {
  Mac src_mac{0x02, 0, 0, 0, 0, 0x01};
  Mac dst_mac{0x02, 0, 0, 0, 0, 0x02};
  std::vector<uint16_t> vlans;  // VLAN ids, outer first: 1 → 802.1Q, 2 → QinQ (outer 0x88A8)
  bool ethernet = true;         // false: the result starts at the IP header
  Addr src = Addr::v4(0x0a000001);  // 10.0.0.1
  Addr dst = Addr::v4(0x0a000002);  // 10.0.0.2
  uint8_t ttl = 64;             // hop limit for IPv6
  uint8_t tos = 0;              // traffic class for IPv6
  uint16_t ip_id = 0;
  bool dont_fragment = false;
  std::vector<uint8_t> ip_options;  // IPv4 only; padded with End-of-list to 4 bytes
  std::optional<FragmentSpec> fragment;  // IPv4 flags/offset, or an IPv6 fragment header
};

struct TcpSpec {
  uint16_t src_port = 12345, dst_port = 80;
  uint32_t seq = 0, ack = 0;
  uint8_t flags = tcp_flag::ACK;
  uint16_t window = 65535;
  uint16_t urgent_ptr = 0;
  std::vector<uint8_t> options;  // raw option bytes; padded with End-of-list to 4 bytes
  std::vector<uint8_t> payload;
};

struct UdpSpec {
  uint16_t src_port = 12345, dst_port = 53;
  std::vector<uint8_t> payload;
  bool no_checksum = false;  // send 0 ("none"; IPv4 only)
};

struct IcmpSpec {
  uint8_t type = 0, code = 0;
  uint32_t rest = 0;  // bytes 4-7: echo id/seq, MTU, pointer ...
  std::vector<uint8_t> payload;
};

std::vector<uint8_t> build_tcp(const FrameSpec& frame, const TcpSpec& tcp);
std::vector<uint8_t> build_udp(const FrameSpec& frame, const UdpSpec& udp);
// ICMPv4 or ICMPv6 by the address family (ICMPv6 checksum includes the pseudo-header).
std::vector<uint8_t> build_icmp(const FrameSpec& frame, const IcmpSpec& icmp);
std::vector<uint8_t> build_icmp_echo(const FrameSpec& frame, bool reply, uint16_t id,
                                     uint16_t seq, std::span<const uint8_t> data = {});
// Any protocol: `l4` is copied as-is (its checksum is the caller's business).
std::vector<uint8_t> build_ip(const FrameSpec& frame, uint8_t proto, std::span<const uint8_t> l4);

// ARP over Ethernet.  A request is broadcast; a gratuitous ARP is a request for one's own IP.
std::vector<uint8_t> build_arp(uint16_t op, const Mac& sender_mac, const Addr& sender_ip,
                               const Mac& target_mac, const Addr& target_ip, const Mac& eth_dst,
                               std::span<const uint16_t> vlans = {});
std::vector<uint8_t> build_arp_request(const Mac& sender_mac, const Addr& sender_ip,
                                       const Addr& target_ip, std::span<const uint16_t> vlans = {});
std::vector<uint8_t> build_arp_reply(const Mac& sender_mac, const Addr& sender_ip,
                                     const Mac& target_mac, const Addr& target_ip,
                                     std::span<const uint16_t> vlans = {});

// TCP option bytes for TcpSpec::options.
std::vector<uint8_t> mss_option(uint16_t mss);

// "45 00 00 73 ..." or "4500 0073" → bytes (whitespace and ':' ignored); for captured packets
// pasted into tests.  Returns an empty vector on a stray character or an odd digit count.
std::vector<uint8_t> from_hex(std::string_view hex);

}  // namespace ulvs::net
