// too_big.h — the ICMP answer to a packet that cannot go on unfragmented: IPv4 "destination
// unreachable, fragmentation needed" (type 3 code 4, next-hop MTU in bytes 6-7) or ICMPv6
// "packet too big" (type 2, MTU in bytes 4-7), sent back to the packet's source from the
// address it was sent to (the VIP), as icmp_send does for a local destination.
//
//   auto r = xmit::tun_xmit(buf, parsed, t);
//   if (r.status == Status::FragNeeded) tx(xmit::build_frag_needed(buf.bytes(), parsed, r.mtu));
//
// The reply reuses the frame's VLAN tags and swaps its MAC addresses; it quotes as much of the
// packet as fits in 576 bytes (IPv4) or 1280 bytes (IPv6).  Empty when no ICMP error may be
// sent (the packet is itself an ICMP error or a non-first fragment) or the frame is malformed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "net/frame.h"

namespace ulvs::xmit {

std::vector<uint8_t> build_frag_needed(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                                       uint32_t mtu);

}  // namespace ulvs::xmit
