// icmp_lookup.cc — the engine's side of related packets (ip_vs_in_icmp / ip_vs_out_icmp,
// spec §4.3): which connection an ICMP error quotes, and the counters of relayed ICMP errors
// and later IP fragments.  Nothing here creates an entry or touches its state or timer.
#include "ipvs/engine.h"

namespace ulvs::ipvs {

Engine::IcmpHit Engine::find_for_icmp(uint8_t protocol, const net::Addr& qsrc, uint16_t qsport,
                                      const net::Addr& qdst, uint16_t qdport) {
  release_pending();
  // Sent to the client (VIP → client): as a client packet it would be client → VIP.
  if (Conn* c = table_.lookup_in(protocol, qdst, qdport, qsrc, qsport)) return {c, true};
  // Sent to the real server (client or local address → RS): its reply would be RS → that.
  if (Conn* c = table_.lookup_out(protocol, qdst, qdport, qsrc, qsport)) return {c, false};
  return {};
}

void Engine::count_related(Conn& c, bool from_client, uint32_t bytes) {
  if (from_client)
    count_in(c, bytes);
  else
    count_out(c, bytes);
}

void Engine::count_fragment(Conn& c, bool reply, uint32_t bytes) {
  if (!c.dest) return;
  for (Stats* s : {&c.dest->stats, &c.dest->svc->stats, &total_})
    (reply ? s->live.outbytes : s->live.inbytes) += bytes;
}

bool Engine::is_masq_real_server(const net::Addr& a) const {
  for (const auto& s : services_)
    for (const Dest* d : s->dests())
      if (d->addr() == a && (d->cfg.fwd == Fwd::Masq || d->cfg.fwd == Fwd::FullNat)) return true;
  return false;
}

}  // namespace ulvs::ipvs
