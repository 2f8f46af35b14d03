// nat.h — NAT forwarding (ipvsadm -m, "masquerading"): the director rewrites the client's
// packets to the real server and the real server's replies back to the virtual service.
//
//   // client → VIP:80  becomes  client → RS:8080
//   if (xmit::nat_in(buf, parsed, *conn) != xmit::Status::Ok) drop();
//   // RS:8080 → client  becomes  VIP:80 → client
//   xmit::nat_out(buf, parsed, *conn);
//
// ICMP errors about a connection are relayed the same way (ip_vs_nat_icmp): one from the
// client quotes a reply (VIP → client) and goes to the real server as if the server had sent
// that reply; one from the server's side quotes a request (client → RS) and goes to the client
// as if about client → VIP.  IPv4 and IPv6, TCP and UDP; checksums patched incrementally.
#pragma once

#include "ipvs/conn.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::xmit {

// Destination VIP:vport → daddr:dport.
Status nat_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c);
// Source daddr:dport → VIP:vport.
Status nat_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c);
// ICMP error from the client side: outer dst VIP → RS; quoted src VIP:vport → RS:dport.
Status nat_icmp_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c);
// ICMP error from the server side: outer src → VIP; quoted dst RS:dport → VIP:vport.
Status nat_icmp_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c);

}  // namespace ulvs::xmit
