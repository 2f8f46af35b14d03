// toa.h — TOA ("TCP option address"): FULLNAT hides the client from the real server, so the
// client's address and port ride in TCP option 254 of the handshake's final ACK, where the
// toa kernel modules (and ulvs-rs) read it:
//   IPv4: kind 254, length 8:  port (2 bytes), address (4 bytes), network order
//   IPv6: kind 254, length 20: port (2 bytes), address (16 bytes)
//
//   xmit::fullnat_in(buf, parsed, *conn, laddr);
//   if (is_final_ack) s = xmit::toa_insert(buf, parsed, conn->client(), conn->cport, mtu);
//   // on the SYN-ACK going back to the client, make room for the option in later segments:
//   xmit::mss_clamp(buf, parsed, xmit::toa_len(conn->af()));
//
// The option goes after the segment's own options, NOP-padded in front so that it starts on
// a 4-byte boundary (the modules read it as a struct).  A TOA option already present (a
// client forging one) is removed first.  When the 40-byte option space has no room,
// timestamps, then SACK-permitted, then NOPs are dropped; if that is not enough the segment is
// refused (OptionSpace).  Lengths, data offset and checksums are patched incrementally.
// After a successful insert the ParsedFrame is stale: parse again if it is still needed.
#pragma once

#include <cstdint>

#include "net/addr.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::xmit {

inline constexpr uint8_t kToaKind = 254;
constexpr uint8_t toa_len(net::Family f) { return f == net::Family::V4 ? 8 : 20; }

// `mtu` bounds the grown IP packet (0 = no bound): MtuExceeded, frame unchanged.
Status toa_insert(PacketBuf& buf, const net::ParsedFrame& p, const net::Addr& client,
                  uint16_t client_port, uint32_t mtu = 0);

// Lowers the MSS option (if any) by `delta`; leaves an MSS ≤ delta alone.
Status mss_clamp(PacketBuf& buf, const net::ParsedFrame& p, uint16_t delta);

}  // namespace ulvs::xmit
