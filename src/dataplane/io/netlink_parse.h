// netlink_parse.h — rtnetlink messages (links, addresses, routes, neighbours; NEW and DEL)
// turned into small plain structs, and the rules that decide which of them the data plane
// uses.  Pure functions over a nlmsghdr: no socket, so the tests feed hand-built messages.
//
//   nl::Message m = nl::parse(nlh);
//   if (auto* r = std::get_if<nl::RouteMsg>(&m))
//     if (auto e = nl::route_entry(*r)) table.add(*e);
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "dataplane/io/kernel_view.h"
#include "net/addr.h"
#include "net/ether.h"

namespace ulvs::dataplane::nl {

// RTM_NEWLINK / RTM_DELLINK.
struct LinkMsg {
  bool del = false;
  uint32_t index = 0;
  std::string name;   // IFLA_IFNAME
  net::Mac mac{};     // IFLA_ADDRESS when it is 6 bytes, else zero
  uint32_t mtu = 0;   // IFLA_MTU (0 when absent)
  bool up = false;    // IFF_UP
  friend bool operator==(const LinkMsg&, const LinkMsg&) = default;
};

// RTM_NEWADDR / RTM_DELADDR.
struct AddrMsg {
  bool del = false;
  uint32_t index = 0;
  net::Addr addr;     // IFA_LOCAL, else IFA_ADDRESS (they differ only on point-to-point)
  uint8_t prefix_len = 0;
  friend bool operator==(const AddrMsg&, const AddrMsg&) = default;
};

// RTM_NEWROUTE / RTM_DELROUTE; multipath routes are reduced to their first live nexthop.
struct RouteMsg {
  bool del = false;
  net::Addr dst;      // zero when absent (a default route)
  uint8_t len = 0;
  uint32_t table = 0;   // RTA_TABLE, else rtm_table
  uint8_t type = 0;     // RTN_*
  uint32_t flags = 0;   // rtm_flags (RTM_F_CLONED ...)
  uint32_t metric = 0;  // RTA_PRIORITY
  uint32_t oif = 0;     // RTA_OIF or the nexthop's ifindex; 0 when none
  std::optional<net::Addr> gateway;  // RTA_GATEWAY / RTA_VIA, or the nexthop's
  bool dead = false;    // RTNH_F_DEAD on the chosen nexthop (or no live nexthop)
  friend bool operator==(const RouteMsg&, const RouteMsg&) = default;
};

// RTM_NEWNEIGH / RTM_DELNEIGH (IPv4 and IPv6 caches only).
struct NeighMsg {
  bool del = false;
  uint32_t index = 0;
  net::Addr addr;                 // NDA_DST
  std::optional<net::Mac> lladdr;  // NDA_LLADDR when it is 6 bytes
  uint16_t state = 0;             // NUD_*
  uint8_t flags = 0;              // NTF_*
  friend bool operator==(const NeighMsg&, const NeighMsg&) = default;
};

// monostate: a message of another type or family, or malformed.
using Message = std::variant<std::monostate, LinkMsg, AddrMsg, RouteMsg, NeighMsg>;

Message parse(const nlmsghdr* nlh);

// The routes the data plane forwards by: main table, unicast, not a cached clone, with an
// egress interface and a live nexthop.  Anything else yields nullopt.
std::optional<RouteTable::Entry> route_entry(const RouteMsg& r);

// A neighbour whose MAC can be used now: reachable, stale, delay, probe, permanent or
// noarp, with a 6-byte link-layer address.  (Stale/delay/probe entries are still the
// kernel's best answer; it re-confirms them itself.)
bool neigh_usable(const NeighMsg& n);

}  // namespace ulvs::dataplane::nl
