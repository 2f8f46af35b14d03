// icmp_answer.h — ICMP the director originates in answer to a received packet: echo replies
// for its VIPs and "port unreachable" when a service has no real server to take a packet.
//
//   if (p.l4_proto == net::ipproto::Icmp && ctx.is_vip(p.dst)) tx(ingress, echo_reply(frame, p, mac));
//   if (d.verdict == ipvs::Verdict::Unreachable) tx(ingress, port_unreachable(frame, p, mac));
//
// Both go back out of the ingress interface to the sender's MAC (the client or its router),
// from the address the packet was sent to, keeping the VLAN tags — as build_frag_needed does.
// Empty when no answer may be sent (see each function).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "net/ether.h"
#include "net/frame.h"

namespace ulvs::dataplane {

// Empty unless the frame is an ICMP / ICMPv6 echo request.
std::vector<uint8_t> echo_reply(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                                const net::Mac& my_mac);

// ICMP type 3 code 3 / ICMPv6 type 1 code 4, quoting as much of the packet as fits in 576 /
// 1280 bytes.  Empty for an ICMP error or a non-first fragment (RFC 1122 §3.2.2).
std::vector<uint8_t> port_unreachable(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                                      const net::Mac& my_mac);

}  // namespace ulvs::dataplane
