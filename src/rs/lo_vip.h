// lo_vip.h — the VIPs on the loopback device (DR and TUN real servers accept the VIP's
// traffic locally without answering ARP for it): /32 for IPv4, /128 for IPv6.
#pragma once

#include <vector>

#include "net/addr.h"
#include "rs/netlink.h"

namespace ulvs::rs {

// True if added, false if it was there already.  Throws Failure.
bool add_lo_vip(Netlink& nl, const net::Addr& vip);
// True if removed, false if it was not there.  Throws Failure.
bool del_lo_vip(Netlink& nl, const net::Addr& vip);
// The host-prefix (/32, /128) addresses on lo other than 127.0.0.0/8 and ::1.
std::vector<net::Addr> lo_vips(Netlink& nl);

}  // namespace ulvs::rs
