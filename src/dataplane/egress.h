// egress.h — where a frame leaves and to which MAC: route lookup, then the neighbour cache.
//
//   Egress e = resolve_egress(ctx, conn->real());
//   if (e.cause != DropCause::None) { if (!e.solicit.empty()) tx(e.solicit_iface, e.solicit); drop(e.cause); }
//   else { set_macs(buf, e.iface->mac, e.mac); tx(e.iface->index, buf); }
//
// Unresolved neighbour rule: the packet is dropped (counted as NeighbourUnresolved), not
// queued, and an ARP request / NS goes out when Neighbours::should_solicit() says so.  The
// received buffer belongs to the RX ring and cannot be held by a pure function; the client's
// TCP or application retransmits, by which time the reply has filled the cache (the kernel
// queues 3 packets per neighbour instead — a queue, if wanted, belongs to the I/O layer).
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
  DropCause cause = DropCause::None;
  std::vector<uint8_t> solicit;      // NeighbourUnresolved: the ARP request / NS to send on iface
};

Egress resolve_egress(const Context& ctx, const net::Addr& dst);

// Ethernet source and destination of the frame in `buf` (false: shorter than a header).
bool set_macs(xmit::PacketBuf& buf, const net::Mac& src, const net::Mac& dst);

}  // namespace ulvs::dataplane
