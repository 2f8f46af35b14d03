// arp_answer.h — the reply the director sends to an ARP request for an address it owns
// (a VIP or a FULLNAT local address), from the ingress interface's MAC.
//
//   auto p = net::parse_frame(frame);
//   if (p.l3 == net::L3::Arp && ctx.answers_for(p.dst))
//     tx(ingress, arp_answer(frame, p, ingress_mac));   // empty: not a request, or malformed
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "net/ether.h"
#include "net/frame.h"

namespace ulvs::dataplane {

// Empty unless `frame` is an ARP request (its VLAN tags are kept in the reply).
std::vector<uint8_t> arp_answer(std::span<uint8_t> frame, const net::ParsedFrame& p,
                                const net::Mac& my_mac);

}  // namespace ulvs::dataplane
