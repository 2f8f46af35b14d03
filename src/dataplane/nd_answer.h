// nd_answer.h — the neighbour advertisement the director sends for an IPv6 address it owns
// (a VIP or a FULLNAT local address): IPv6's answer to "who has", like arp_answer for IPv4.
//
//   auto p = net::parse_frame(frame);
//   if (auto t = ns_target(frame, p); t && ctx.answers_for(*t))
//     tx(ingress, nd_answer(frame, p, ingress_mac));   // empty: not a valid solicitation
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "net/addr.h"
#include "net/ether.h"
#include "net/frame.h"

namespace ulvs::dataplane {

// The target address of a neighbour solicitation (RFC 4861 §4.3), if `frame` is one: ICMPv6
// type 135 code 0, hop limit 255 (it never crossed a router).
std::optional<net::Addr> ns_target(std::span<const uint8_t> frame, const net::ParsedFrame& p);

// A solicited advertisement (Solicited + Override flags, target link-layer address option)
// from the target to the solicitor; to all-nodes, unsolicited, when the solicitor is
// unspecified (duplicate address detection).
std::vector<uint8_t> nd_answer(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                               const net::Mac& my_mac);

}  // namespace ulvs::dataplane
