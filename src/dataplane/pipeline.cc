// pipeline.cc — the dispatch; every originated frame comes from a helper of its own
// (arp_answer, icmp_answer, solicit) and every rewrite from src/xmit.
#include "dataplane/pipeline.h"

#include "dataplane/arp_answer.h"
#include "dataplane/egress.h"
#include "dataplane/icmp_answer.h"
#include "dataplane/nd_answer.h"
#include "net/arp.h"
#include "net/frame.h"
#include "net/icmp.h"
#include "net/tcp.h"
#include "xmit/dr.h"
#include "xmit/fullnat.h"
#include "xmit/nat.h"
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
  bool tcp_udp = p.l4_proto == net::ipproto::Tcp || p.l4_proto == net::ipproto::Udp;
  // Fragments have no ports (or only the first has): forwarding them by entry is still to do.
  if (!tcp_udp || p.is_fragment || !p.has_l4()) return to_kernel(in);
  if (ctx_.is_own(p.dst) && !ctx_.answers_for(p.dst)) return to_kernel(in);
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

bool Pipeline::wants_toa(const In& in, const ipvs::Conn& c) const {
  if (c.protocol != net::ipproto::Tcp || !c.dest || !c.dest->svc) return false;
  if (c.dest->svc->config().client_addr != ipvs::ClientAddr::Toa) return false;
  // on_engine() recorded `before` only for a pure ACK without payload.
  return in.before == ipvs::TcpState::SynRecv && c.tcp_state() == ipvs::TcpState::Established;
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
      if (s == xmit::Status::Ok && wants_toa(in, c)) {
        // The rewrite moved nothing but the frame's offsets may not be trusted blindly: reparse.
        net::ParsedFrame q = net::parse_frame(in.buf.bytes());
        s = xmit::toa_insert(in.buf, q, c.client(), c.cport, e.iface->mtu);
      }
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

}  // namespace ulvs::dataplane
