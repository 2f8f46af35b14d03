// action.h — what the pipeline asks its caller to do with a frame, and the drop counters.
//
//   std::vector<dataplane::Action> out;
//   pipeline.process(buf, ingress, now, out);
//   for (auto& a : out)
//     if (a.kind == Action::Tx) send(a.iface, a.bytes(buf));   // the rewritten buffer or a new frame
//     else if (a.kind == Action::ToKernel) pass_to_host(buf);
//
// Hold: the rewritten buffer waits for the next hop's MAC (egress.h); the caller copies it,
// sets the MACs once known (set_macs) and sends it, or drops it.
//
// At most one action uses the received buffer (Tx with from_buf, Hold, or ToKernel); others carry
// frames the director originates (ARP replies and requests, ICMP), built into `frame`, or
// earlier-received IP fragments the pipeline kept until their first fragment came (Tx or Hold
// with `frame`, frag_table.h).  When none uses the buffer (a Drop, or an ICMP answer sent
// instead), the caller recycles it.  A Drop with cause None is not a drop: the pipeline kept
// a copy of the frame (an early IP fragment) and will send it later; it is not counted.
#pragma once

#include <cstdint>
#include <iterator>
#include <utility>
#include <span>
#include <vector>

#include "net/addr.h"
#include "xmit/packet_buf.h"

namespace ulvs::dataplane {

enum class DropCause : uint8_t {
  None,
  Malformed,            // the frame does not parse
  NoRoute,              // Routes has no way to the destination, or names an unknown interface
  NeighbourUnresolved,  // next hop's MAC still unknown when the held frame's time ran out
  TableFull,            // engine: connection pool exhausted
  DestUnavailable,      // engine: the connection's real server is gone
  NoLocalPort,          // engine: FULLNAT local address:port pool exhausted
  XmitRefused,          // a forwarding function refused (xmit::Status other than Ok)
  Unsupported,          // ours, but a case the pipeline does not handle (e.g. forwarding method)
  FragmentOrphan,       // a later IP fragment whose first never came (in 1 s), or no room to
                        // keep it, or whose first went to the host's stack (frag_table.h)
  Count_,               // the number of causes (not a cause)
};

constexpr const char* to_string(DropCause c) {
  switch (c) {
    case DropCause::None: return "none";
    case DropCause::Malformed: return "malformed";
    case DropCause::NoRoute: return "no route";
    case DropCause::NeighbourUnresolved: return "neighbour unresolved";
    case DropCause::TableFull: return "table full";
    case DropCause::DestUnavailable: return "dest unavailable";
    case DropCause::NoLocalPort: return "no local port";
    case DropCause::XmitRefused: return "xmit refused";
    case DropCause::Unsupported: return "unsupported";
    case DropCause::FragmentOrphan: return "fragment orphan";
    case DropCause::Count_: break;
  }
  return "?";
}

struct Action {
  enum Kind : uint8_t { Tx, ToKernel, Drop, Hold };
  Kind kind = Drop;
  uint32_t iface = 0;           // Tx, Hold: egress interface
  net::Addr next_hop;           // Hold: the neighbour whose MAC is awaited (egress.h)
  bool from_buf = false;        // Tx: send the (rewritten) received buffer, not `frame`
  std::vector<uint8_t> frame;   // Tx of a new frame
  DropCause cause = DropCause::None;

  std::span<const uint8_t> bytes(const xmit::PacketBuf& buf) const {
    return from_buf ? std::span<const uint8_t>(buf.bytes()) : std::span<const uint8_t>(frame);
  }
};

// Every drop counted by cause, plus what went where.
struct Counters {
  uint64_t drops[static_cast<int>(DropCause::Count_)] = {};  // indexed by DropCause
  uint64_t tx = 0, to_kernel = 0, held = 0;
  uint64_t arp_replies = 0, nd_replies = 0, echo_replies = 0, unreachables = 0, frag_needed = 0, solicits = 0;
  uint64_t icmp_relayed = 0;    // ICMP errors sent on to the client or real server (icmp_relay.h)
  uint64_t frags_early = 0;     // later fragments kept until their first arrived (frag_table.h)

  uint64_t dropped(DropCause c) const { return drops[static_cast<int>(c)]; }
  // Sums another worker's counters into these (keep in step with the fields above).
  Counters& operator+=(const Counters& o) {
    for (size_t i = 0; i < std::size(drops); ++i) drops[i] += o.drops[i];
    for (auto [a, b] : {std::pair{&tx, o.tx}, {&to_kernel, o.to_kernel}, {&held, o.held},
                        {&arp_replies, o.arp_replies}, {&nd_replies, o.nd_replies},
                        {&echo_replies, o.echo_replies}, {&unreachables, o.unreachables},
                        {&frag_needed, o.frag_needed}, {&solicits, o.solicits},
                        {&icmp_relayed, o.icmp_relayed}, {&frags_early, o.frags_early}})
      *a += b;
    return *this;
  }
};

}  // namespace ulvs::dataplane
