// rewrite.h — the common core of NAT and FULLNAT: change addresses and ports in place and
// patch every checksum that covers them incrementally (RFC 1624), never recomputing blind.
//
//   net::Endpoint rs{real_addr, 8080};
//   xmit::rewrite_flow(buf, parsed, nullptr, &rs);            // destination only (NAT in)
//   // An ICMP error about our flow: outer header and the quoted header inside it.
//   xmit::rewrite_icmp_error(buf, parsed, {.outer_dst = &rs.addr, .inner_src = &rs});
//
// TCP and UDP (a zero UDP checksum over IPv4 means "none" and stays zero); a non-first
// fragment has no ports, so only its addresses change.  Anything else is Unsupported.
#pragma once

#include "net/addr.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::xmit {

// nullptr = leave that side alone.
Status rewrite_flow(PacketBuf& buf, const net::ParsedFrame& p, const net::Endpoint* src,
                    const net::Endpoint* dst);

struct IcmpRewrite {
  const net::Addr* outer_src = nullptr;
  const net::Addr* outer_dst = nullptr;
  const net::Endpoint* inner_src = nullptr;  // the quoted packet's source
  const net::Endpoint* inner_dst = nullptr;
};

// An ICMP / ICMPv6 error whose quoted packet is TCP or UDP: rewrites the outer addresses, the
// quoted IP header (and its checksum), the quoted ports and — when the quote is long enough to
// hold it — the quoted L4 checksum, then patches the ICMP checksum over what changed (ICMPv6:
// its pseudo-header too).
Status rewrite_icmp_error(PacketBuf& buf, const net::ParsedFrame& p, const IcmpRewrite& rw);

}  // namespace ulvs::xmit
