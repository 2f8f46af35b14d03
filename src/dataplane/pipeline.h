// pipeline.h — one received frame in, a few actions out: parse, answer what the director owns
// (ARP, echo), ask the engine about TCP/UDP, rewrite per forwarding method, pick egress and
// MACs.  No sockets, no syscalls, no clocks: the I/O layer feeds it and carries out the actions.
//
//   dataplane::Pipeline pipe(engine, ctx);
//   std::vector<dataplane::Action> out;
//   pipe.process(buf, ingress_ifindex, now_ms, out);     // buf: frame with headroom/tailroom
//   for (auto& a : out) ...                              // Tx / ToKernel / Drop (see action.h)
//   pipe.counters().dropped(dataplane::DropCause::Malformed);
//
// What happens to a frame:
//   parse error (truncated, bad lengths)        → Drop(Malformed); other unparseable → ToKernel
//   ARP request for a VIP / FULLNAT local addr  → Tx ARP reply on the ingress interface
//   other ARP                                   → ToKernel (its sender is offered to Neighbours)
//   IPv6 neighbour solicitation for one of them → Tx neighbour advertisement
//   ICMP echo request to a VIP / local address  → Tx echo reply
//   other ICMP, fragments, other protocols      → ToKernel (ICMP error relay, reassembly: to do)
//   TCP/UDP to an interface address (not a VIP) → ToKernel (SSH, health checks, the host's own)
//   TCP/UDP otherwise                           → Engine::process:
//     Pass → ToKernel;  Drop → Drop(cause);  Unreachable → Tx ICMP(v6) port unreachable
//     Forward: Masq nat_in, FullNat fullnat_in (+ TOA, below), Route dr_xmit, Tunnel tun_xmit
//              (FragNeeded → Tx frag-needed / packet-too-big to the client, packet dropped);
//              Local/Bypass → ToKernel
//     Reply:   Masq nat_out, FullNat fullnat_out, routed to the client
//     then egress = Routes(destination), MAC = Neighbours(next hop) → Tx
//     (MAC unknown: rewritten all the same, then Hold until the I/O layer learns it, egress.h)
//
// TOA rule: a FULLNAT TCP connection of a service with ClientAddr::Toa gets the client's
// address in the segment that completes the handshake: a pure ACK (no SYN/FIN/RST) without
// payload that moves the connection from SYN_RECV to ESTABLISHED.  A retransmitted final ACK
// (state already ESTABLISHED) carries no TOA: the real server's kernel has by then either
// accepted the first one or will accept the first data segment without it.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/action.h"
#include "dataplane/context.h"
#include "dataplane/egress.h"
#include "ipvs/engine.h"
#include "xmit/packet_buf.h"

namespace ulvs::dataplane {

class Pipeline {
 public:
  Pipeline(ipvs::Engine& engine, Context& ctx) : engine_(engine), ctx_(ctx) {}

  // Appends the frame's actions to `out` (at most one of them uses `buf` itself).
  void process(xmit::PacketBuf& buf, uint32_t ingress, ipvs::TimeMs now, std::vector<Action>& out);

  const Counters& counters() const { return counters_; }

 private:
  struct In;  // the frame being processed (pipeline.cc)

  void on_arp(In& in);
  void on_ip(In& in);
  void on_engine(In& in);
  void forward(In& in, ipvs::Conn& c);
  void reply(In& in, ipvs::Conn& c);
  bool route(In& in, const net::Addr& dst, Egress& e);
  void tx_buf(In& in, const Egress& e);
  bool wants_toa(const In& in, const ipvs::Conn& c) const;

  void tx_new(In& in, uint32_t iface, std::vector<uint8_t> frame);
  void to_kernel(In& in);
  void drop(In& in, DropCause cause);

  ipvs::Engine& engine_;
  Context& ctx_;
  Counters counters_;
  uint16_t ip_id_ = 0;  // outer IPv4 id of tunnelled packets
};

}  // namespace ulvs::dataplane
