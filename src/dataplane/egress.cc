// egress.cc — the two lookups the caller implements, and the MAC rewrite.
#include "dataplane/egress.h"

#include "dataplane/solicit.h"
#include "net/ether.h"

namespace ulvs::dataplane {

Egress resolve_egress(const Context& ctx, const net::Addr& dst) {
  Egress e;
  auto hop = ctx.routes ? ctx.routes->lookup(dst) : std::nullopt;
  e.iface = hop ? ctx.interface(hop->iface) : nullptr;
  if (!e.iface || !ctx.neighbours) {
    e.cause = DropCause::NoRoute;
    return e;
  }
  e.next_hop = hop->gateway;
  if (auto mac = ctx.neighbours->lookup(hop->iface, hop->gateway)) {
    e.mac = *mac;
    return e;
  }
  e.cause = DropCause::NeighbourUnresolved;
  if (ctx.neighbours->should_solicit(hop->iface, hop->gateway))
    e.solicit = solicit(*e.iface, hop->gateway);
  return e;
}

bool set_macs(xmit::PacketBuf& buf, const net::Mac& src, const net::Mac& dst) {
  auto eth = net::EtherView::parse(buf.bytes());
  if (!eth) return false;
  eth->set_src(src);
  eth->set_dst(dst);
  return true;
}

}  // namespace ulvs::dataplane
