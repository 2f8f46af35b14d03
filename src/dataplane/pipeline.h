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
//   ICMP error about a connection               → relayed (below); other ICMP → ToKernel
//   IP fragment (TCP/UDP)                       → forwarded by its first fragment (below)
//   other protocols                             → ToKernel
//   TCP/UDP to an interface address (not a VIP) → ToKernel (SSH, health checks, the host's own)
//   TCP/UDP otherwise                           → Engine::process:
//     Pass → ToKernel;  Drop → Drop(cause);  Unreachable → Tx ICMP(v6) port unreachable
//     Forward: Masq nat_in, FullNat fullnat_in (+ TOA / Proxy Protocol, below), Route dr_xmit,
//              Tunnel tun_xmit (FragNeeded → Tx frag-needed / packet-too-big to the client,
//              packet dropped); Local/Bypass → ToKernel
//     Reply:   Masq nat_out, FullNat fullnat_out (+ Proxy Protocol shift), routed to the client
//     then egress = Routes(destination), MAC = Neighbours(next hop) → Tx
//     (MAC unknown: rewritten all the same, then Hold until the I/O layer learns it, egress.h)
//
// TOA rule: a FULLNAT TCP connection of a service with ClientAddr::Toa gets the client's
// address in the segment that completes the handshake: a pure ACK (no SYN/FIN/RST) without
// payload that moves the connection from SYN_RECV to ESTABLISHED — and in its
// retransmissions (a pure ACK still at the client's first data byte, remembered from the SYN,
// within the first 4 packets), since the real server creates its socket from whichever
// arrives.  The SYN-ACK's MSS is lowered by the option's size (8 or 20) on the way back.
//
// Proxy Protocol rule (xmit/proxy_insert.h): for a FULLNAT TCP service with ClientAddr::ProxyV1
// or ProxyV2, the client's SYN arms the entry (first data seq, header length); the segment
// carrying the client's first data byte (and every retransmission of it) gets the header in
// front of its payload; later client seqs move up by the header length, the server's acks and
// SACK edges down; the SYN-ACK's MSS is lowered by it.  Refused (too big): Drop(XmitRefused).
// The engine sees every packet as the client / server sent it.
//
// ICMP error relay (icmp_relay.h; the kernel's ip_vs_in_icmp / ip_vs_out_icmp): an error
// (v4 unreachable incl. frag-needed, source quench, time exceeded, parameter problem; v6
// unreachable, packet too big, time exceeded, parameter problem) whose quoted TCP/UDP packet
// is one the director sent to a client (VIP → client) goes to the real server — NAT/FULLNAT
// rewritten (nat_icmp_in / fullnat_icmp_in), DR/TUN forwarded like the flow's packets; one
// quoting what it sent to a real server (NAT client → RS, FULLNAT local → RS) goes to the
// client, rewritten (nat_icmp_out / fullnat_icmp_out), frag-needed / too-big MTU lowered by
// what the director adds (icmp_relay.h).  Counted in Counters::icmp_relayed and in the
// connection's stats (in from the client side, out from the server side).  Bad ICMP checksum:
// Drop(Malformed).  An error quoting nothing of ours (or DR/TUN from the server side): ToKernel.
//
// Fragments (frag_table.h), no reassembly: the first fragment (offset 0, carries the ports)
// goes through the engine like any packet but is forwarded without TOA or Proxy Protocol
// (a FULLNAT TCP connection with a Proxy Protocol shift refuses fragments: Drop(Unsupported));
// its connection is remembered under (family, src, dst, IP id, protocol) for 2 s and every
// later fragment with that key gets the same rewrite (NAT/FULLNAT: addresses only, the L4
// checksum lives in the first fragment and was adjusted there for the whole datagram; DR:
// MACs; TUN: encapsulated) and the same egress.  A later fragment that arrives first, to a
// VIP / local address or from a NAT/FULLNAT real server, is kept (8 per datagram, 64
// datagrams, 256 KiB, 1 s; its action: Drop with cause None, not counted, buffer free) and
// sent — as Tx/Hold actions carrying a copy in Action::frame — when the first is processed;
// otherwise Drop(FragmentOrphan), counted when its time is up (checked at each process()
// call) or at once when there is no room.  A first fragment passed to the host (no
// service): later ones ToKernel too, kept ones Drop(FragmentOrphan) (a copy cannot be handed
// to the host).
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/action.h"
#include "dataplane/context.h"
#include "dataplane/egress.h"
#include "dataplane/frag_table.h"
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
  void note_client_isn(const In& in, ipvs::Conn& c) const;

  // Related packets: ICMP errors and IP fragments (end of pipeline.cc).
  void relay_icmp(In& in);
  void on_fragment(In& in);
  void first_fragment(In& in, const FragKey& key);
  void forward_fragment(In& in, const ConnCopy& r, bool reply);
  void release_fragments(In& in, const FragKey& key, const FragTable::Entry* e);
  bool send_related(In& in, const ConnCopy& r, bool to_client);
  ConnCopy copy_of(const ipvs::Conn& c) const;

  void tx_new(In& in, uint32_t iface, std::vector<uint8_t> frame);
  void to_kernel(In& in);
  void drop(In& in, DropCause cause);

  ipvs::Engine& engine_;
  Context& ctx_;
  Counters counters_;
  uint16_t ip_id_ = 0;  // outer IPv4 id of tunnelled packets
  FragTable frags_;     // fragments by their first fragment's connection
};

}  // namespace ulvs::dataplane
