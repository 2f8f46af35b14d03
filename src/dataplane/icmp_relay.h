// icmp_relay.h — ICMP errors about the director's connections, relayed as the kernel's
// ip_vs_in_icmp / ip_vs_out_icmp do (spec §4.3).
//
//   if (auto q = relay_quote(frame, parsed)) {                     // a relayable error
//     auto hit = engine.find_for_icmp(q->proto, q->src, q->sport, q->dst, q->dport);
//     if (!hit.conn) pass_to_host();                                 // unrelated
//     icmp_relay_rewrite(buf, parsed, *hit.conn, laddr, hit.from_client);   // NAT / FULLNAT
//   }
//
// Relayed: IPv4 destination unreachable (frag-needed included), source quench, time exceeded,
// parameter problem; ICMPv6 destination unreachable, packet too big, time exceeded, parameter
// problem — each quoting a TCP or UDP packet whose ports are quoted (not a non-first
// fragment).  Redirects, informational messages and errors about anything else are the host's.
//
// Which way: an error from the client side quotes what the director (or a DR/TUN real server)
// sent to the client — VIP:vport → client:cport; it goes to the real server, rewritten for
// NAT / FULLNAT (outer destination → RS, FULLNAT outer source → local address, quoted header
// as the server sent it), forwarded like the flow's packets for DR / TUN.  An error from the
// server side quotes what the director sent to a real server — client → RS (NAT) or
// local → RS (FULLNAT); it goes to the client from the VIP, quoting client → VIP.  A
// frag-needed / packet-too-big on its way to the client reports the path MTU less what the
// director adds to the client's packets: nothing for NAT, and for FULLNAT the Proxy Protocol
// header when the quoted segment is the one that carried it (TOA rides only on a segment
// without payload, which never meets the limit).  Never below 68 (IPv4) / 1280 (IPv6).
//
// Checksums: the ICMP message is verified first (a bad one is dropped, as the kernel does);
// the rewrites patch it, the quoted IPv4 header's and — where the quote holds it — the quoted
// TCP/UDP checksum incrementally (xmit/rewrite.h).  The kernel leaves the quoted L4 checksum
// stale; patching it is harmless and makes a quote of a whole packet verify.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "ipvs/conn.h"
#include "net/addr.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::dataplane {

struct Quote {
  uint8_t proto = 0;
  net::Addr src, dst;
  uint16_t sport = 0, dport = 0;
};

// The quoted flow of a relayable ICMP error (types above, TCP/UDP quote with ports).
std::optional<Quote> relay_quote(const net::ParsedFrame& p);

// The ICMP / ICMPv6 checksum of the message, by full computation.
bool icmp_checksum_ok(std::span<uint8_t> frame, const net::ParsedFrame& p);

// NAT / FULLNAT: the outer and quoted headers rewritten for the other side (and the MTU of a
// frag-needed / packet-too-big adjusted, above).  `laddr`: the FULLNAT local address (unused
// for NAT).  Other methods: Unsupported, frame unchanged.
xmit::Status icmp_relay_rewrite(xmit::PacketBuf& buf, const net::ParsedFrame& p,
                                const ipvs::Conn& c, const net::Addr& laddr, bool from_client);

// What the director adds to the packets the quoted one stands for (the MTU correction of a
// server-side frag-needed / packet-too-big): see above.
uint32_t relay_overhead(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                        const ipvs::Conn& c);

// Lowers the MTU of a frag-needed / packet-too-big by `overhead` (not below the family's
// minimum) and patches the checksum; other messages, or overhead 0: unchanged.
void lower_reported_mtu(std::span<uint8_t> frame, const net::ParsedFrame& p, uint32_t overhead);

}  // namespace ulvs::dataplane
