// dr.h — Direct Routing (ipvsadm -g): the IP packet is untouched, only the Ethernet
// addresses change; the real server holds the VIP on lo and answers the client directly.
//
//   xmit::dr_xmit(buf, rs_mac, my_mac);    // then transmit on the real server's segment
#pragma once

#include "net/ether.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::xmit {

// Malformed if the frame is shorter than an Ethernet header.  VLAN tags are kept.
Status dr_xmit(PacketBuf& buf, const net::Mac& dst_mac, const net::Mac& src_mac);

}  // namespace ulvs::xmit
