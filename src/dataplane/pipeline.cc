// pipeline.cc — the dispatch; every originated frame comes from a helper of its own
// (arp_answer, icmp_answer, solicit) and every rewrite from src/xmit.
#include "dataplane/pipeline.h"

#include "dataplane/arp_answer.h"
#include "dataplane/egress.h"
#include "dataplane/icmp_answer.h"
#include "dataplane/icmp_relay.h"
#include "dataplane/nd_answer.h"
#include "net/arp.h"
#include "net/frame.h"
#include "net/icmp.h"
#include "net/tcp.h"
#include "net/wire.h"
#include "xmit/dr.h"
#include "xmit/fullnat.h"
#include "xmit/nat.h"
#include "xmit/proxy_insert.h"
#include "xmit/toa.h"
#include "xmit/too_big.h"
#include "xmit/tun.h"

namespace ulvs::dataplane {

struct Pipeline::In {
  xmit::PacketBuf& buf;
  const Interface* ingress;
  ipvs::TimeMs now;
  std::vector<Action>& out;
  net::ParsedFrame p;
  ipvs::TcpState before = ipvs::TcpState::None;  // the connection's state before this packet
  bool hold = false;      // the next hop's MAC is unknown: Hold instead of Tx
  net::Addr next_hop;
};

void Pipeline::process(xmit::PacketBuf& buf, uint32_t ingress, ipvs::TimeMs now,
                       std::vector<Action>& out) {
  In in{buf, ctx_.interface(ingress), now, out, net::parse_frame(buf.bytes())};
  counters_.drops[static_cast<int>(DropCause::FragmentOrphan)] += frags_.expire(now);
  if (!in.p.ok()) {
    // Unsupported is well-formed (e.g. a third VLAN tag): the host may know what to do with it.
    if (in.p.error == net::ParseError::Unsupported) return to_kernel(in);
    return drop(in, DropCause::Malformed);
  }
  if (!in.ingress) return to_kernel(in);  // not an interface the data plane was given
  if (in.p.l3 == net::L3::Arp) return on_arp(in);
  if (in.p.l3 == net::L3::Ipv4 || in.p.l3 == net::L3::Ipv6) return on_ip(in);
  to_kernel(in);
}

void Pipeline::on_arp(In& in) {
  auto arp = net::ArpView::parse(in.buf.bytes().subspan(in.p.l3_offset));
  if (arp && ctx_.neighbours) ctx_.neighbours->learn(in.ingress->index, arp->sender_ip(), arp->sender_mac());
  if (ctx_.answers_for(in.p.dst)) {
    auto reply = arp_answer(in.buf.bytes(), in.p, in.ingress->mac);
    if (!reply.empty()) {
      ++counters_.arp_replies;
      return tx_new(in, in.ingress->index, std::move(reply));
    }
  }
  to_kernel(in);
}

void Pipeline::on_ip(In& in) {
  const net::ParsedFrame& p = in.p;
  if (auto target = ns_target(in.buf.bytes(), p); target && ctx_.answers_for(*target)) {
    auto na = nd_answer(in.buf.bytes(), p, in.ingress->mac);
    if (!na.empty()) {
      ++counters_.nd_replies;
      return tx_new(in, in.ingress->index, std::move(na));
    }
  }
  bool icmp = p.l4_proto == net::ipproto::Icmp || p.l4_proto == net::ipproto::Icmpv6;
  if (icmp && ctx_.answers_for(p.dst)) {
    auto reply = echo_reply(in.buf.bytes(), p, in.ingress->mac);
    if (!reply.empty()) {
      ++counters_.echo_replies;
      return tx_new(in, in.ingress->index, std::move(reply));
    }
  }
  if (ctx_.is_own(p.dst) && !ctx_.answers_for(p.dst)) return to_kernel(in);  // the host's own
  if (p.is_fragment) return on_fragment(in);           // by the first fragment (frag_table.h)
  if (icmp && p.inner.present) return relay_icmp(in);  // errors (icmp_relay.h)
  bool tcp_udp = p.l4_proto == net::ipproto::Tcp || p.l4_proto == net::ipproto::Udp;
  if (!tcp_udp || !p.has_l4()) return to_kernel(in);
  on_engine(in);
}

void Pipeline::on_engine(In& in) {
  const net::ParsedFrame& p = in.p;
  ipvs::PacketMeta m{.protocol = p.l4_proto, .saddr = p.src, .daddr = p.dst, .sport = p.src_port,
                     .dport = p.dst_port, .tcp_flags = p.tcp_flags, .length = p.l3_len};
  ipvs::Decision d = engine_.process(m, in.now);
  // Only a possible final handshake ACK needs the state before (TOA rule, pipeline.h).
  constexpr uint8_t kNotPureAck = net::tcp_flag::SYN | net::tcp_flag::FIN | net::tcp_flag::RST;
  if (p.l4_proto == net::ipproto::Tcp && (p.tcp_flags & net::tcp_flag::ACK) &&
      !(p.tcp_flags & kNotPureAck) && p.payload_len == 0)
    in.before = d.prev_state;
  switch (d.verdict) {
    case ipvs::Verdict::Pass: return to_kernel(in);
    case ipvs::Verdict::Forward: return forward(in, *d.conn);
    case ipvs::Verdict::Reply: return reply(in, *d.conn);
    case ipvs::Verdict::Unreachable: {
      auto icmp = port_unreachable(in.buf.bytes(), p, in.ingress->mac);
      if (icmp.empty()) return drop(in, DropCause::Unsupported);
      ++counters_.unreachables;
      return tx_new(in, in.ingress->index, std::move(icmp));
    }
    case ipvs::Verdict::Drop:
      switch (d.reason) {
        case ipvs::DropReason::TableFull: return drop(in, DropCause::TableFull);
        case ipvs::DropReason::DestUnavailable: return drop(in, DropCause::DestUnavailable);
        case ipvs::DropReason::NoLocalPort: return drop(in, DropCause::NoLocalPort);
        case ipvs::DropReason::None: break;
      }
      return drop(in, DropCause::Unsupported);
  }
}

namespace {
// How the entry's service passes the client's address (None: UDP, or no service known).
ipvs::ClientAddr client_addr_of(const ipvs::Conn& c) {
  if (c.protocol != net::ipproto::Tcp || !c.dest || !c.dest->svc) return ipvs::ClientAddr::None;
  return c.dest->svc->config().client_addr;
}
}  // namespace

namespace {
constexpr uint32_t kToaRetries = 4;    // in_pkts: SYN, final ACK and two retransmissions of it
}  // namespace

bool Pipeline::wants_toa(const In& in, const ipvs::Conn& c) const {
  if (client_addr_of(c) != ipvs::ClientAddr::Toa) return false;
  // on_engine() recorded `before` only for a pure ACK without payload.
  if (in.before == ipvs::TcpState::SynRecv && c.tcp_state() == ipvs::TcpState::Established) return true;
  // A retransmission of that ACK: still a pure ACK at the first data byte, nothing sent since.
  bool pure_ack = in.p.tcp_flags == net::tcp_flag::ACK && in.p.payload_len == 0;
  return pure_ack && c.pp_delta == 0 && c.pp_seq != 0 && c.in_pkts <= kToaRetries &&
         c.tcp_state() == ipvs::TcpState::Established && in.p.tcp_seq == c.pp_seq;
}

// TOA services: the client's first data byte (ISN + 1), from its SYN, so that a retransmitted
// final ACK is recognised (wants_toa).  Proxy Protocol entries keep their own pp_seq.
void Pipeline::note_client_isn(const In& in, ipvs::Conn& c) const {
  if (client_addr_of(c) != ipvs::ClientAddr::Toa || c.pp_delta != 0) return;
  if ((in.p.tcp_flags & (net::tcp_flag::SYN | net::tcp_flag::ACK)) == net::tcp_flag::SYN)
    c.pp_seq = in.p.tcp_seq + 1;
}

void Pipeline::forward(In& in, ipvs::Conn& c) {
  using ipvs::Fwd;
  auto fwd = static_cast<Fwd>(c.fwd());
  if (fwd == Fwd::Local || fwd == Fwd::Bypass) return to_kernel(in);

  Egress e;
  if (!route(in, c.real(), e)) return;

  xmit::Status s = xmit::Status::Unsupported;
  switch (fwd) {
    case Fwd::Masq: s = xmit::nat_in(in.buf, in.p, c); break;
    case Fwd::FullNat: {
      const net::Addr& laddr = engine_.conns().local_addr(c);
      s = xmit::fullnat_in(in.buf, in.p, c, laddr);
      // Proxy Protocol (pipeline.h): arms at the SYN, inserts into the first data, shifts seq.
      if (s == xmit::Status::Ok) s = xmit::proxy_in(in.buf, in.p, c, client_addr_of(c), e.iface->mtu);
      note_client_isn(in, c);
      // fullnat_in rewrote addresses and ports in place (and proxy_in left TOA services
      // alone), so the offsets in in.p still hold.
      if (s == xmit::Status::Ok && wants_toa(in, c))
        s = xmit::toa_insert(in.buf, in.p, c.client(), c.cport, e.iface->mtu);
      break;
    }
    case Fwd::Route: s = xmit::dr_xmit(in.buf, e.mac, e.iface->mac); break;
    case Fwd::Tunnel: {
      auto local = first_addr(*e.iface, c.real().family);
      if (!local) return drop(in, DropCause::NoRoute);
      xmit::TunParams t{.real = c.real(), .local = *local, .mtu = e.iface->mtu, .ip_id = ip_id_++};
      if (c.dest) {
        t.type = c.dest->cfg.tun_type;
        t.port = c.dest->cfg.tun_port;
        t.flags = c.dest->cfg.tun_flags;
      }
      xmit::TunResult r = xmit::tun_xmit(in.buf, in.p, t);
      if (r.status == xmit::Status::FragNeeded) {
        auto icmp = xmit::build_frag_needed(in.buf.bytes(), in.p, r.mtu);
        if (icmp.empty()) return drop(in, DropCause::XmitRefused);
        ++counters_.frag_needed;
        return tx_new(in, in.ingress->index, std::move(icmp));
      }
      s = r.status;
      break;
    }
    default: break;
  }
  if (s != xmit::Status::Ok) return drop(in, DropCause::XmitRefused);
  tx_buf(in, e);
}

void Pipeline::reply(In& in, ipvs::Conn& c) {
  Egress e;
  if (!route(in, c.client(), e)) return;
  xmit::Status s = xmit::Status::Unsupported;
  auto fwd = static_cast<ipvs::Fwd>(c.fwd());
  if (fwd == ipvs::Fwd::Masq) s = xmit::nat_out(in.buf, in.p, c);
  if (fwd == ipvs::Fwd::FullNat) s = xmit::fullnat_out(in.buf, in.p, c, engine_.conns().local_addr(c));
  if (fwd == ipvs::Fwd::FullNat && s == xmit::Status::Ok) s = xmit::proxy_out(in.buf, in.p, c);
  // TOA: the SYN-ACK's MSS leaves room for the option the final ACK will carry.
  constexpr uint8_t kSynAck = net::tcp_flag::SYN | net::tcp_flag::ACK;
  if (fwd == ipvs::Fwd::FullNat && s == xmit::Status::Ok && client_addr_of(c) == ipvs::ClientAddr::Toa &&
      (in.p.tcp_flags & kSynAck) == kSynAck)
    s = xmit::mss_clamp(in.buf, in.p, xmit::toa_len(c.af()));
  if (s != xmit::Status::Ok) return drop(in, DropCause::XmitRefused);
  tx_buf(in, e);
}

// Egress and next-hop MAC for `dst`; false: dropped.  An unknown MAC is solicited (if
// Neighbours says so) and the frame goes on to be rewritten, then held (egress.h).
bool Pipeline::route(In& in, const net::Addr& dst, Egress& e) {
  e = resolve_egress(ctx_, dst);
  if (e.cause == DropCause::None) return true;
  if (!e.solicit.empty()) {
    ++counters_.solicits;
    tx_new(in, e.iface->index, std::move(e.solicit));
  }
  if (e.cause == DropCause::NeighbourUnresolved) {
    in.hold = true;
    in.next_hop = e.next_hop;
    return true;
  }
  drop(in, e.cause);
  return false;
}

void Pipeline::tx_buf(In& in, const Egress& e) {
  if (!set_macs(in.buf, e.iface->mac, e.mac)) return drop(in, DropCause::Malformed);
  if (in.hold) {
    ++counters_.held;
    in.out.push_back({.kind = Action::Hold, .iface = e.iface->index, .next_hop = in.next_hop,
                      .from_buf = true});
    return;
  }
  ++counters_.tx;
  in.out.push_back({.kind = Action::Tx, .iface = e.iface->index, .from_buf = true});
}

void Pipeline::tx_new(In& in, uint32_t iface, std::vector<uint8_t> frame) {
  ++counters_.tx;
  in.out.push_back({.kind = Action::Tx, .iface = iface, .frame = std::move(frame)});
}

void Pipeline::to_kernel(In& in) {
  ++counters_.to_kernel;
  in.out.push_back({.kind = Action::ToKernel});
}

void Pipeline::drop(In& in, DropCause cause) {
  ++counters_.drops[static_cast<int>(cause)];
  in.out.push_back({.kind = Action::Drop, .cause = cause});
}

// ---- Related packets: ICMP errors (icmp_relay.h) and IP fragments (frag_table.h) ----------

namespace {
constexpr size_t kKeptRoom = 128;  // head- and tailroom around a kept fragment when it goes

bool masq_like(ipvs::Fwd f) { return f == ipvs::Fwd::Masq || f == ipvs::Fwd::FullNat; }

DropCause cause_of(ipvs::DropReason r) {
  switch (r) {
    case ipvs::DropReason::TableFull: return DropCause::TableFull;
    case ipvs::DropReason::DestUnavailable: return DropCause::DestUnavailable;
    case ipvs::DropReason::NoLocalPort: return DropCause::NoLocalPort;
    case ipvs::DropReason::None: break;
  }
  return DropCause::Unsupported;
}
}  // namespace

ConnCopy Pipeline::copy_of(const ipvs::Conn& c) const {
  const ipvs::ConnTable& t = engine_.conns();
  bool fnat = static_cast<ipvs::Fwd>(c.fwd()) == ipvs::Fwd::FullNat && c.laddr_idx < t.local_addr_count();
  return ConnCopy::of(c, fnat ? t.local_addr(c) : net::Addr{});
}

void Pipeline::relay_icmp(In& in) {
  auto q = relay_quote(in.p);
  if (!q) return to_kernel(in);
  ipvs::Engine::IcmpHit hit = engine_.find_for_icmp(q->proto, q->src, q->sport, q->dst, q->dport);
  if (!hit.conn) return to_kernel(in);
  ipvs::Conn& c = *hit.conn;
  auto fwd = static_cast<ipvs::Fwd>(c.fwd());
  bool dr_tun = fwd == ipvs::Fwd::Route || fwd == ipvs::Fwd::Tunnel;
  if (!masq_like(fwd) && !(hit.from_client && dr_tun)) return to_kernel(in);
  if (!icmp_checksum_ok(in.buf.bytes(), in.p)) return drop(in, DropCause::Malformed);
  ConnCopy r = copy_of(c);
  if (masq_like(fwd)) {
    uint32_t overhead = hit.from_client ? 0 : relay_overhead(in.buf.bytes(), in.p, c);
    if (icmp_relay_rewrite(in.buf, in.p, c, r.laddr, hit.from_client) != xmit::Status::Ok)
      return drop(in, DropCause::XmitRefused);
    lower_reported_mtu(in.buf.bytes(), in.p, overhead);  // no byte moved: offsets still hold
  }
  engine_.count_related(c, hit.from_client, in.p.l3_len);
  if (send_related(in, r, !hit.from_client)) ++counters_.icmp_relayed;
}

void Pipeline::on_fragment(In& in) {
  const net::ParsedFrame& p = in.p;
  auto key = fragment_key(in.buf.bytes(), p);
  bool tcp_udp = p.l4_proto == net::ipproto::Tcp || p.l4_proto == net::ipproto::Udp;
  if (!tcp_udp || !key) return to_kernel(in);
  if (p.first_fragment) return first_fragment(in, *key);

  if (const FragTable::Entry* e = frags_.find(*key, in.now)) {
    if (e->via == FragTable::Via::Kernel) return to_kernel(in);
    ipvs::ConnTable& t = engine_.conns();
    if (e->id < t.capacity()) {  // the entry still lives: the datagram's bytes go on its stats
      ipvs::Conn& c = t.at(e->id);
      const ipvs::Conn& was = e->route.conn;
      if ((c.flags & ipvs::conn_flag::kLive) && c.caddr == was.caddr && c.cport == was.cport &&
          c.vaddr == was.vaddr && c.vport == was.vport && c.protocol == was.protocol)
        engine_.count_fragment(c, e->reply, p.payload_len);
    }
    return forward_fragment(in, e->route, e->reply);
  }
  // Early: ours if it is to a VIP / local address or from a NAT/FULLNAT real server.
  if (!ctx_.answers_for(p.dst) && !engine_.is_masq_real_server(p.src)) return to_kernel(in);
  if (!frags_.hold(*key, in.buf.bytes(), in.ingress->index, in.now))
    return drop(in, DropCause::FragmentOrphan);
  ++counters_.frags_early;
  in.out.push_back({.kind = Action::Drop, .cause = DropCause::None});  // kept: buffer free
}

void Pipeline::first_fragment(In& in, const FragKey& key) {
  const net::ParsedFrame& p = in.p;
  ipvs::PacketMeta m{.protocol = p.l4_proto, .saddr = p.src, .daddr = p.dst, .sport = p.src_port,
                     .dport = p.dst_port, .tcp_flags = p.tcp_flags, .length = p.l3_len};
  ipvs::Decision d = engine_.process(m, in.now);
  FragTable::Entry e{.key = key, .via = FragTable::Via::Kernel};
  bool ours = d.verdict == ipvs::Verdict::Forward || d.verdict == ipvs::Verdict::Reply;
  auto fwd = ours ? static_cast<ipvs::Fwd>(d.conn->fwd()) : ipvs::Fwd::Local;
  if (ours && fwd != ipvs::Fwd::Local && fwd != ipvs::Fwd::Bypass) {
    e.via = FragTable::Via::Conn;
    e.reply = d.verdict == ipvs::Verdict::Reply;
    e.id = engine_.conns().id(*d.conn);
    e.route = copy_of(*d.conn);
  }
  if (ours || d.verdict == ipvs::Verdict::Pass) frags_.learn(e, in.now);
  if (e.via == FragTable::Via::Conn) {
    forward_fragment(in, e.route, e.reply);
  } else if (d.verdict == ipvs::Verdict::Unreachable) {
    auto icmp = port_unreachable(in.buf.bytes(), p, in.ingress->mac);
    if (icmp.empty()) {
      drop(in, DropCause::Unsupported);
    } else {
      ++counters_.unreachables;
      tx_new(in, in.ingress->index, std::move(icmp));
    }
  } else if (d.verdict == ipvs::Verdict::Drop) {
    drop(in, cause_of(d.reason));
  } else {
    to_kernel(in);  // Pass, or a Local/Bypass connection
  }
  release_fragments(in, key, e.via == FragTable::Via::Conn ? &e : nullptr);
}

// NAT/FULLNAT rewrite of a fragment (the first: addresses and ports; later: addresses), then
// on like the connection's packets.
void Pipeline::forward_fragment(In& in, const ConnCopy& r, bool reply) {
  const ipvs::Conn& c = r.conn;
  auto fwd = static_cast<ipvs::Fwd>(c.fwd());
  xmit::Status s = xmit::Status::Ok;
  if (fwd == ipvs::Fwd::Masq) {
    s = reply ? xmit::nat_out(in.buf, in.p, c) : xmit::nat_in(in.buf, in.p, c);
  } else if (fwd == ipvs::Fwd::FullNat) {
    // A Proxy Protocol shift would need each piece's sequence space: not for fragments.
    if (c.protocol == net::ipproto::Tcp && c.pp_delta) return drop(in, DropCause::Unsupported);
    s = reply ? xmit::fullnat_out(in.buf, in.p, c, r.laddr) : xmit::fullnat_in(in.buf, in.p, c, r.laddr);
  } else if (reply) {
    s = xmit::Status::Unsupported;  // DR/TUN replies never cross the director
  }
  if (s != xmit::Status::Ok) return drop(in, DropCause::XmitRefused);
  send_related(in, r, reply);
}

// The fragments kept for `key`, now that the first has been dealt with: forwarded by `e`, or
// dropped (the first went elsewhere).  Their actions carry copies (Action::frame).
void Pipeline::release_fragments(In& in, const FragKey& key, const FragTable::Entry* e) {
  for (FragTable::Held& h : frags_.take(key)) {
    const Interface* ingress = ctx_.interface(h.ingress);
    if (!e || !ingress) {
      ++counters_.drops[static_cast<int>(DropCause::FragmentOrphan)];
      continue;
    }
    std::vector<uint8_t> mem(kKeptRoom + h.frame.size() + kKeptRoom);
    std::copy(h.frame.begin(), h.frame.end(), mem.begin() + kKeptRoom);
    xmit::PacketBuf buf{mem.data(), mem.size(), kKeptRoom, h.frame.size()};
    std::vector<Action> acts;
    In kept{buf, ingress, in.now, acts, net::parse_frame(buf.bytes())};
    if (!kept.p.ok()) {
      drop(kept, DropCause::Malformed);
    } else {
      ipvs::ConnTable& t = engine_.conns();
      if (e->id < t.capacity() && (t.at(e->id).flags & ipvs::conn_flag::kLive))
        engine_.count_fragment(t.at(e->id), e->reply, kept.p.payload_len);
      forward_fragment(kept, e->route, e->reply);
    }
    for (Action& a : acts) {
      if (a.kind == Action::ToKernel) {  // cannot happen (Via::Conn), and a copy cannot go there
        --counters_.to_kernel;
        ++counters_.drops[static_cast<int>(DropCause::FragmentOrphan)];
        continue;
      }
      if (a.from_buf) {
        a.from_buf = false;
        a.frame.assign(buf.bytes().begin(), buf.bytes().end());
      }
      in.out.push_back(std::move(a));
    }
  }
}

// Routes a related packet to the client (to_client) or the real server and sends it: DR sets
// the MACs, TUN encapsulates (a too-big IPv6 / DF packet is answered with frag-needed /
// packet-too-big to its sender, as forward() does).  True: Tx or Hold.
bool Pipeline::send_related(In& in, const ConnCopy& r, bool to_client) {
  const ipvs::Conn& c = r.conn;
  Egress e;
  if (!route(in, to_client ? c.client() : c.real(), e)) return false;
  auto fwd = static_cast<ipvs::Fwd>(c.fwd());
  xmit::Status s = xmit::Status::Ok;
  if (!to_client && fwd == ipvs::Fwd::Route) s = xmit::dr_xmit(in.buf, e.mac, e.iface->mac);
  if (!to_client && fwd == ipvs::Fwd::Tunnel) {
    auto local = first_addr(*e.iface, c.real().family);
    if (!local) {
      drop(in, DropCause::NoRoute);
      return false;
    }
    xmit::TunParams t{.real = c.real(), .local = *local, .type = r.tun_type, .port = r.tun_port,
                      .flags = r.tun_flags, .mtu = e.iface->mtu, .ip_id = ip_id_++};
    xmit::TunResult res = xmit::tun_xmit(in.buf, in.p, t);
    if (res.status == xmit::Status::FragNeeded) {
      auto icmp = xmit::build_frag_needed(in.buf.bytes(), in.p, res.mtu);
      if (icmp.empty()) {
        drop(in, DropCause::XmitRefused);
      } else {
        ++counters_.frag_needed;
        tx_new(in, in.ingress->index, std::move(icmp));
      }
      return false;
    }
    s = res.status;
  }
  if (s != xmit::Status::Ok) {
    drop(in, DropCause::XmitRefused);
    return false;
  }
  tx_buf(in, e);
  return true;
}

}  // namespace ulvs::dataplane
