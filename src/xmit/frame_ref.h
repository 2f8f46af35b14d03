// frame_ref.h — bounds-checked access to the IP and L4 headers a ParsedFrame points at.
//
//   auto r = xmit::locate_ip(buf.bytes(), parsed);
//   if (!r) return Status::Malformed;      // stale or inconsistent ParsedFrame, short buffer
//   r->ip[8];  r->l4.size();  r->set_addr(Side::Dst, vip);
//
// The forwarding functions take the data plane's ParsedFrame rather than parsing again, but
// never trust its offsets blindly: every one is checked against the buffer and the headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/addr.h"
#include "net/frame.h"

namespace ulvs::xmit {

enum class Side : uint8_t { Src, Dst };

// Where the source/destination address sits in an IPv4 or IPv6 header.
constexpr size_t addr_offset(net::Family f, Side s) {
  if (f == net::Family::V4) return s == Side::Src ? 12 : 16;
  return s == Side::Src ? 8 : 24;
}
net::Addr read_addr(std::span<const uint8_t> ip, net::Family f, Side s);
void write_addr(std::span<uint8_t> ip, Side s, const net::Addr& a);

struct IpRef {
  net::Family fam = net::Family::V4;
  size_t l3_offset = 0;     // in the frame
  std::span<uint8_t> ip;    // the whole IP packet (no Ethernet padding)
  size_t hl = 0;            // IP header length, IPv6 extension headers included
  std::span<uint8_t> l4;    // from the L4 header to the end of the packet; empty if none
};

// Checks the ParsedFrame against the bytes: IPv4/IPv6, lengths, version, header lengths.
std::optional<IpRef> locate_ip(std::span<uint8_t> frame, const net::ParsedFrame& p);

// A TCP segment: locate_ip plus a checked data offset (20..60 bytes, inside the segment).
// The options are not checked (seq_adjust must still shift a segment with odd options).
struct TcpSegRef {
  IpRef ip;
  size_t hl = 0;  // TCP header length, options included; the payload starts at ip.l4[hl]
};
std::optional<TcpSegRef> locate_tcp_segment(std::span<uint8_t> frame, const net::ParsedFrame& p);

}  // namespace ulvs::xmit
