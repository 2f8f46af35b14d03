// schedule.cc — a new connection for a packet of a non-persistent service (ip_vs_schedule).
#include <cerrno>

#include "ipvs/engine.h"

namespace ulvs::ipvs {

static sched::PacketKey key_of(const PacketMeta& pkt) {
  return {pkt.protocol, pkt.saddr, pkt.daddr, pkt.sport, pkt.dport, false};
}

Conn* Engine::schedule(Service& svc, const PacketMeta& pkt, TimeMs now, Decision& fail) {
  const ServiceKey& key = svc.key();
  // Non-persistent services schedule only their own port: a port-0 service reached by
  // lookup gets "no dest" ("port zero only supported in persistent services").
  Dest* d = (!key.is_fwmark() && pkt.dport != key.port) ? nullptr
                                                         : svc.schedule(key_of(pkt), now);
  if (!d) {
    ++counters_.no_dest;
    fail = {Verdict::Unreachable, DropReason::None, nullptr};
    return nullptr;
  }
  return new_conn(svc, *d, pkt, d->port() ? d->port() : pkt.dport, now, fail);
}

// Allocates, fills, binds and hashes a connection to `dest`; counts it in the Conns stat.
Conn* Engine::new_conn(Service& svc, Dest& dest, const PacketMeta& pkt, uint16_t dport, TimeMs now,
                       Decision& fail) {
  Conn* c = table_.alloc();
  if (!c) {
    ++counters_.table_full;
    fail = {Verdict::Drop, DropReason::TableFull, nullptr};
    return nullptr;
  }
  c->family = static_cast<uint8_t>(pkt.saddr.family);
  c->protocol = pkt.protocol;
  c->caddr = pkt.saddr.bytes;
  c->cport = pkt.sport;
  c->vaddr = pkt.daddr.bytes;
  c->vport = pkt.dport;
  c->daddr = dest.addr().bytes;
  c->dport = dport;
  c->fwmark = pkt.fwmark;
  c->flags |= static_cast<uint16_t>(dest.cfg.fwd) & conn_flag::kFwdMask;
  // Replies of DR/TUN/local connections never cross the director.
  if (dest.cfg.fwd != Fwd::Masq && dest.cfg.fwd != Fwd::FullNat) c->flags |= conn_flag::kNoOutput;
  if ((svc.config().flags & svc_flag::kOnePacket) && pkt.protocol == proto::kUdp)
    c->flags |= conn_flag::kOnePacket;
  c->timeout_ms = 3000;  // until the first packet sets the state's timeout
  if (dest.cfg.fwd == Fwd::FullNat && !assign_local(*c)) {
    table_.free(*c);
    ++counters_.no_local_port;
    fail = {Verdict::Drop, DropReason::NoLocalPort, nullptr};
    return nullptr;
  }
  bind(*c, dest);
  if (!(c->flags & conn_flag::kOnePacket)) {
    table_.hash(*c);
    table_.arm(*c, now);
  }
  dest.stats.count_conn();
  svc.stats.count_conn();
  total_.count_conn();
  return c;
}

// FULLNAT: a local address and port no other connection to the same real server uses, so
// the reply's destination names this connection.
bool Engine::assign_local(Conn& c) {
  constexpr uint32_t kFirst = 1024, kPorts = 65536 - kFirst;
  uint32_t naddr = table_.local_addr_count();
  for (uint32_t tries = 0; naddr && tries < naddr * kPorts; ++tries) {
    uint32_t n = next_lport_++;
    c.laddr_idx = static_cast<uint8_t>(n % naddr);
    c.lport = static_cast<uint16_t>(kFirst + (n / naddr) % kPorts);
    const net::Addr& laddr = table_.local_addr(c);
    if (laddr.family != c.af()) continue;
    net::Addr real = c.real();
    if (!table_.lookup_out(c.protocol, real, c.dport, laddr, c.lport)) return true;
  }
  return false;
}

}  // namespace ulvs::ipvs
