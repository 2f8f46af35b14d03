// proxy_insert.h — Proxy Protocol for FULLNAT TCP: the header of proxy_protocol.h (client
// address:port → VIP:port, what nginx's `listen … proxy_protocol` reads as
// $proxy_protocol_addr / $proxy_protocol_server_addr) is put in front of the client's first
// data byte, and the connection's sequence numbers are shifted from then on (seq_adjust.h).
//
//   // client → server, after fullnat_in (mode: the service's ClientAddr):
//   s = xmit::proxy_in(buf, parsed, conn, ipvs::ClientAddr::ProxyV1, egress_mtu);
//   // server → client, after fullnat_out:
//   s = xmit::proxy_out(buf, parsed, conn);
//
// Example, client 1.1.1.1:40000 → VIP 10.0.0.100:80, v1, client ISN 1000:
//   SYN seq 1000            arms the entry: pp_seq 1001, pp_delta 40 ("PROXY TCP4 1.1.1.1
//                           10.0.0.100 40000 80\r\n"), forwarded unchanged
//   SYN-ACK MSS 1460        → MSS 1420, so that a full first segment plus header still fits
//   ACK seq 1001, no data   unchanged (the server has seen no header yet)
//   seq 1001, "GET …" 300   → the 40 header bytes + "GET …", 340 bytes, seq 1001
//   the same, retransmitted → the same bytes again
//   seq 1301                → seq 1341;  server's ack 1341 → 1301 (SACK edges alike)
//
// Arming happens on a client SYN (no ACK/RST) when the entry is not armed yet or the engine
// (re)opened it (SYN_RECV / SYNACK after the SYN): a stray SYN inside an established
// connection changes nothing.  The header length is fixed at the SYN, so a later segment that
// overtakes a lost first segment is shifted already; the header goes into whichever segment
// starts at pp_seq with data (a SYN carrying data, TCP Fast Open, included).  A connection the
// director did not see open (sloppy_tcp) gets no header.  UDP: nothing (Ok).  IP fragments:
// a non-first one passes untouched, a first one is shifted, but one that would need the header
// is refused (Unsupported).
//
// A first segment that the header would push over the egress MTU is refused (MtuExceeded,
// frame unchanged); the MSS clamp on the SYN-ACK keeps that from happening to a client that
// honours the MSS and a path as wide as the real server's.
#pragma once

#include <cstdint>
#include <span>

#include "ipvs/conn.h"
#include "ipvs/service.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/proxy_protocol.h"
#include "xmit/status.h"

namespace ulvs::xmit {

// The header of an armed entry (client:cport → VIP:vport, v1 or v2 by conn_flag::kProxyV2).
ProxyHeader proxy_header(const ipvs::Conn& c);

// Client → server (after fullnat_in): arms `c` on its SYN (mode ProxyV1 / ProxyV2, else no
// arming), then inserts the header (first data segment) or shifts seq (seq_adjust_in).
// After an insert the ParsedFrame is stale.
Status proxy_in(PacketBuf& buf, const net::ParsedFrame& p, ipvs::Conn& c, ipvs::ClientAddr mode,
                uint32_t mtu = 0);

// Server → client (after fullnat_out): a SYN-ACK's MSS lowered by pp_delta (mss_clamp), then
// ack and SACK edges shifted back (seq_adjust_out).  Unarmed entry: Ok, nothing changed.
Status proxy_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c);

// `header` inserted at the start of the TCP payload: IP length, TCP checksum (the header's own
// sum plus, for an odd length, the payload's sum byte-swapped — derived from the old
// checksum, the payload is not read) and the urgent pointer (URG) patched.  Sequence numbers
// unchanged.  `mtu` bounds the grown IP packet (0 = none): MtuExceeded, frame unchanged.
Status proxy_insert(PacketBuf& buf, const net::ParsedFrame& p, std::span<const uint8_t> header,
                    uint32_t mtu = 0);

}  // namespace ulvs::xmit
