// seq_adjust.h — the sequence shift of a FULLNAT TCP connection whose client→server byte
// stream the director lengthened: pp_delta bytes (a Proxy Protocol header, proxy_insert.h)
// in front of the client's first data byte, client sequence number pp_seq (= ISN + 1).
//
//   client numbering   ISN | pp_seq  data …
//   server numbering   ISN | pp_seq  [header, pp_delta bytes]  pp_seq + pp_delta  data …
//
// Example, ISN 1000, a 40-byte v1 header (conn.pp_seq = 1001, conn.pp_delta = 40):
//   xmit::seq_adjust_in(buf, parsed, conn);   // client → server, after fullnat_in:
//                                             //   seq 1001 stays (the segment the header goes
//                                             //   into, or a pure ACK), seq 1501 → 1541
//   xmit::seq_adjust_out(buf, parsed, conn);  // server → client, after fullnat_out:
//                                             //   ack 1541 → 1501, ack 1020 (header only) → 1001,
//                                             //   SACK block 1600-2000 → 1560-1960
//
// Only the client's numbering moves: the client's ACK and SACK fields name server bytes and
// stay, the server's seq stays.  A segment's "data start" is seq, plus one for a SYN; it is
// shifted when it lies after pp_seq (FIN/RST/pure ACKs too).  Sequence comparisons are modulo
// 2^32.  Checksums are patched incrementally.  pp_delta 0: nothing to do, Ok.
#pragma once

#include <cstdint>

#include "ipvs/conn.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::xmit {

// Client numbering → server numbering of a segment's seq.
constexpr uint32_t seq_to_server(uint32_t seq, bool syn, uint32_t pp_seq, uint16_t delta) {
  return int32_t(seq + (syn ? 1 : 0) - pp_seq) > 0 ? seq + delta : seq;
}
// Server numbering → client numbering of an acknowledgment or SACK edge: a point inside the
// header maps to pp_seq (none of the client's data is covered yet).
constexpr uint32_t ack_to_client(uint32_t ack, uint32_t pp_seq, uint16_t delta) {
  int32_t d = int32_t(ack - pp_seq);
  if (d <= 0) return ack;
  return d >= delta ? ack - delta : pp_seq;
}

// Client → server: seq.  Malformed if the frame is not a TCP segment.
Status seq_adjust_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c);
// Server → client: ack (when the ACK flag is set) and every SACK block edge (option 5).
Status seq_adjust_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c);

}  // namespace ulvs::xmit
