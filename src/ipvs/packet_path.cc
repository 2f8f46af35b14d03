// packet_path.cc — what happens to one packet (ip_vs_in / ip_vs_out, spec §4.4, §4.6).
#include "ipvs/engine.h"

namespace ulvs::ipvs {

Decision Engine::process(const PacketMeta& pkt, TimeMs now) {
  release_pending();
  if (Conn* c = table_.lookup_in(pkt.protocol, pkt.saddr, pkt.sport, pkt.daddr, pkt.dport))
    return in_existing(*c, pkt, now);
  if (Conn* c = table_.lookup_out(pkt.protocol, pkt.saddr, pkt.sport, pkt.daddr, pkt.dport))
    return out_existing(*c, pkt, now);
  return in_new(pkt, now);
}

// A TCP segment may open a connection if it is a SYN without RST, or with sloppy_tcp any
// non-RST segment; any UDP datagram may.  Other protocols never create entries.
bool Engine::may_create(const PacketMeta& pkt) const {
  if (pkt.protocol == proto::kUdp) return true;
  if (pkt.protocol != proto::kTcp) return false;
  if (pkt.tcp_flags & tcp::kRst) return false;
  return (pkt.tcp_flags & tcp::kSyn) || sysctl_.sloppy_tcp;
}

// A SYN that hits an old entry: should the old entry go so the SYN is scheduled afresh?
bool Engine::reuse_expires(Conn& c, const PacketMeta& pkt) {
  if (pkt.protocol != proto::kTcp || !(pkt.tcp_flags & tcp::kSyn) || (pkt.tcp_flags & tcp::kRst))
    return false;
  if (sysctl_.expire_nodest_conn && c.dest && c.dest->weight() == 0) return true;
  if (!sysctl_.conn_reuse_mode || c.control != kNoConn) return false;
  TcpState s = c.tcp_state();
  if (s == TcpState::TimeWait || s == TcpState::Close) return true;
  return (sysctl_.conn_reuse_mode & 2) && s == TcpState::FinWait &&
         (c.flags & conn_flag::kNoOutput);
}

Decision Engine::in_existing(Conn& c, const PacketMeta& pkt, TimeMs now) {
  if (reuse_expires(c, pkt)) {
    // An entry still controlling others stays (bypassed); otherwise it goes now.
    if (c.n_control == 0) release(c);
    return in_new(pkt, now);
  }
  if (c.dest && !c.dest->available) {
    if (!sysctl_.expire_nodest_conn) {  // dropped, timer not refreshed: it ages out
      ++counters_.dest_unavailable;
      return {Verdict::Drop, DropReason::DestUnavailable, nullptr};
    }
    if (c.n_control == 0) release(c);
    if (may_create(pkt)) return in_new(pkt, now);  // rescheduled to a live server
    ++counters_.dest_unavailable;
    return {Verdict::Drop, DropReason::DestUnavailable, nullptr};
  }
  return forward(c, pkt, now);
}

Decision Engine::forward(Conn& c, const PacketMeta& pkt, TimeMs now) {
  TcpState prev = c.tcp_state();
  count_in(c, pkt.length);
  set_state(c, (c.flags & conn_flag::kNoOutput) ? tcp::Dir::InputOnly : tcp::Dir::Input, pkt);
  ++c.in_pkts;
  if (c.flags & conn_flag::kOnePacket)
    pending_free_ = table_.id(c);
  else
    table_.arm(c, now);
  return {Verdict::Forward, DropReason::None, &c, prev};
}

Decision Engine::out_existing(Conn& c, const PacketMeta& pkt, TimeMs now) {
  TcpState prev = c.tcp_state();
  count_out(c, pkt.length);
  set_state(c, tcp::Dir::Output, pkt);
  table_.arm(c, now);
  return {Verdict::Reply, DropReason::None, &c, prev};
}

Service* Engine::lookup_service(const PacketMeta& pkt) const {
  auto find = [&](const ServiceKey& k) {
    auto it = by_key_.find(k);
    return it == by_key_.end() ? nullptr : it->second;
  };
  ServiceKey k;
  k.family = pkt.daddr.family;
  if (pkt.fwmark) {
    k.protocol = 0;
    k.addr.family = k.family;
    k.fwmark = pkt.fwmark;
    if (Service* s = find(k)) return s;
    k = ServiceKey{};
    k.family = pkt.daddr.family;
  }
  k.protocol = pkt.protocol;
  k.addr = pkt.daddr;
  k.port = pkt.dport;
  if (Service* s = find(k)) return s;
  if (port0_services_) {
    k.port = 0;
    return find(k);
  }
  return nullptr;
}

Decision Engine::in_new(const PacketMeta& pkt, TimeMs now) {
  Service* svc = may_create(pkt) ? lookup_service(pkt) : nullptr;
  if (!svc) {
    ++counters_.passed;
    return {};
  }
  Decision fail;
  Conn* c = svc->config().persistent() ? schedule_persistent(*svc, pkt, now, fail)
                                       : schedule(*svc, pkt, now, fail);
  if (!c) return fail;
  return forward(*c, pkt, now);
}

}  // namespace ulvs::ipvs
