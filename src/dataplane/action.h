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
// frames the director originates (ARP replies and requests, ICMP), built into `frame`.  When
// none uses the buffer (a Drop, or an ICMP answer sent instead), the caller recycles it.
#pragma once

#include <cstdint>
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
  uint64_t drops[9] = {};       // indexed by DropCause
  uint64_t tx = 0, to_kernel = 0, held = 0;
  uint64_t arp_replies = 0, nd_replies = 0, echo_replies = 0, unreachables = 0, frag_needed = 0, solicits = 0;

  uint64_t dropped(DropCause c) const { return drops[static_cast<int>(c)]; }
};

}  // namespace ulvs::dataplane
