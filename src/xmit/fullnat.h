// fullnat.h — FULLNAT forwarding: both addresses change, so the real server answers the
// director's local address and needs no route back through it.
//
//   const net::Addr& laddr = table.local_addr(*conn);
//   // client:cport → VIP:vport  becomes  laddr:lport → RS:dport
//   xmit::fullnat_in(buf, parsed, *conn, laddr);
//   // RS:dport → laddr:lport   becomes  VIP:vport → client:cport
//   xmit::fullnat_out(buf, parsed, *conn, laddr);
//
// The client's address reaches the server through TOA (toa.h) or Proxy Protocol.  ICMP errors
// about the connection are relayed both ways with the quoted header rewritten to match.
#pragma once

#include "ipvs/conn.h"
#include "net/addr.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::xmit {

Status fullnat_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                  const net::Addr& laddr);
Status fullnat_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                   const net::Addr& laddr);
// ICMP error from the client side (quotes VIP:vport → client:cport): outer client → laddr,
// VIP → RS; quoted RS:dport → laddr:lport.
Status fullnat_icmp_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                       const net::Addr& laddr);
// ICMP error from the server side (quotes laddr:lport → RS:dport): outer → VIP, laddr →
// client; quoted client:cport → VIP:vport.
Status fullnat_icmp_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                        const net::Addr& laddr);

}  // namespace ulvs::xmit
