// solicit.h — asking for a next hop's MAC: an ARP request (IPv4) or a neighbour solicitation
// to the solicited-node multicast group (IPv6, RFC 4861 §7.2.2).
//
//   if (auto f = solicit(egress, next_hop); !f.empty()) tx(egress.index, std::move(f));
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/context.h"
#include "net/addr.h"

namespace ulvs::dataplane {

// Empty when the interface has no address of the target's family to ask from.
std::vector<uint8_t> solicit(const Interface& from, const net::Addr& target);

}  // namespace ulvs::dataplane
