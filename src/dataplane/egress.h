// egress.h — where a frame leaves and to which MAC: route lookup, then the neighbour cache.
//
//   Egress e = resolve_egress(ctx, conn->real());
//   if (e.cause != DropCause::None) { if (!e.solicit.empty()) tx(e.solicit_iface, e.solicit); drop(e.cause); }
//   else { set_macs(buf, e.iface->mac, e.mac); tx(e.iface->index, buf); }
//
// Unresolved neighbour rule: the packet is rewritten as usual and handed back as a Hold
// action naming the egress and the next hop; the I/O layer keeps a few such frames per
// neighbour (as the kernel queues 3) and sends them when the MAC is known, or drops them,
// counted, when resolution fails.  An ARP request / NS goes out when
// Neighbours::should_solicit() says so (a kernel-backed cache resolves by itself instead).
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/action.h"
#include "dataplane/context.h"
#include "net/addr.h"
#include "net/ether.h"
#include "xmit/packet_buf.h"

namespace ulvs::dataplane {

struct Egress {
  const Interface* iface = nullptr;
  net::Mac mac{};                    // the next hop's
  net::Addr next_hop;                // the gateway, or the destination when on-link
  DropCause cause = DropCause::None;
  std::vector<uint8_t> solicit;      // NeighbourUnresolved: the ARP request / NS to send on iface
};

Egress resolve_egress(const Context& ctx, const net::Addr& dst);

// Ethernet source and destination of the frame in `buf` (false: shorter than a header).
bool set_macs(xmit::PacketBuf& buf, const net::Mac& src, const net::Mac& dst);

}  // namespace ulvs::dataplane
