// netlink_parse.cc — rtnetlink messages into plain structs.  Every length is checked before
// it is read (libmnl validates attribute headers; payload sizes are checked here), because a
// short or unexpected attribute must cost a skipped message, never a bad read.
#include "dataplane/io/netlink_parse.h"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

namespace ulvs::dataplane::nl {
namespace {

// The attributes of one message (or nexthop) by type; types beyond the table are ignored.
struct AttrTable {
  std::array<const nlattr*, 128> at{};
  const nlattr* operator[](int type) const { return at[type]; }
};

int collect(const nlattr* a, void* data) {
  auto* t = static_cast<AttrTable*>(data);
  const uint16_t type = mnl_attr_get_type(a);
  if (type < t->at.size()) t->at[type] = a;
  return MNL_CB_OK;
}

// The attributes following a fixed header of `hdr_len` bytes, or nullopt when the message
// is too short for the header.  (libmnl stops at an attribute that overruns the message:
// it and what follows are simply absent.)
std::optional<AttrTable> attrs(const nlmsghdr* nlh, size_t hdr_len) {
  if (mnl_nlmsg_get_payload_len(nlh) < hdr_len) return std::nullopt;
  AttrTable t;
  if (mnl_attr_parse(nlh, unsigned(hdr_len), collect, &t) < 0) return std::nullopt;
  return t;
}

std::optional<AttrTable> attrs_of(const void* payload, size_t len) {
  AttrTable t;
  if (mnl_attr_parse_payload(payload, len, collect, &t) < 0) return std::nullopt;
  return t;
}

// An address attribute of `family` (AF_INET: 4 bytes, AF_INET6: 16 bytes).
std::optional<net::Addr> addr_attr(const nlattr* a, int family) {
  if (!a) return std::nullopt;
  const auto* p = static_cast<const uint8_t*>(mnl_attr_get_payload(a));
  const size_t len = mnl_attr_get_payload_len(a);
  if (family == AF_INET && len == 4) return net::Addr::v4_bytes(p);
  if (family == AF_INET6 && len == 16) return net::Addr::v6_bytes(p);
  return std::nullopt;
}

std::optional<uint32_t> u32_attr(const nlattr* a) {
  if (!a || mnl_attr_get_payload_len(a) < sizeof(uint32_t)) return std::nullopt;
  return mnl_attr_get_u32(a);
}

std::optional<net::Mac> mac_attr(const nlattr* a) {
  if (!a || mnl_attr_get_payload_len(a) != 6) return std::nullopt;
  net::Mac m;
  std::memcpy(m.data(), mnl_attr_get_payload(a), 6);
  return m;
}

// RTA_VIA: a gateway of another family (an IPv4 route via an IPv6 next hop).
std::optional<net::Addr> via_attr(const nlattr* a) {
  if (!a || mnl_attr_get_payload_len(a) < sizeof(rtvia)) return std::nullopt;
  const auto* via = static_cast<const rtvia*>(mnl_attr_get_payload(a));
  const size_t alen = mnl_attr_get_payload_len(a) - sizeof(rtvia);
  const auto* p = reinterpret_cast<const uint8_t*>(via) + sizeof(rtvia);
  if (via->rtvia_family == AF_INET && alen == 4) return net::Addr::v4_bytes(p);
  if (via->rtvia_family == AF_INET6 && alen == 16) return net::Addr::v6_bytes(p);
  return std::nullopt;
}

std::optional<net::Addr> gateway_of(const AttrTable& t, int family) {
  if (auto g = addr_attr(t[RTA_GATEWAY], family)) return g;
  return via_attr(t[RTA_VIA]);
}

Message parse_link(const nlmsghdr* nlh) {
  auto t = attrs(nlh, sizeof(ifinfomsg));
  if (!t) return {};
  const auto* ifi = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  // AF_BRIDGE (port events) and AF_INET6 (per-device IPv6 settings) also arrive as
  // RTM_NEWLINK/RTM_DELLINK; only AF_UNSPEC speaks of the device itself.
  if (ifi->ifi_family != AF_UNSPEC || ifi->ifi_index <= 0) return {};
  LinkMsg l;
  l.del = nlh->nlmsg_type == RTM_DELLINK;
  l.index = uint32_t(ifi->ifi_index);
  l.up = ifi->ifi_flags & IFF_UP;
  if (const nlattr* n = (*t)[IFLA_IFNAME]; n && mnl_attr_validate(n, MNL_TYPE_NUL_STRING) == 0)
    l.name = mnl_attr_get_str(n);
  if (auto m = mac_attr((*t)[IFLA_ADDRESS])) l.mac = *m;
  if (auto mtu = u32_attr((*t)[IFLA_MTU])) l.mtu = *mtu;
  return l;
}

Message parse_addr(const nlmsghdr* nlh) {
  auto t = attrs(nlh, sizeof(ifaddrmsg));
  if (!t) return {};
  const auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(nlh));
  auto a = addr_attr((*t)[IFA_LOCAL], ifa->ifa_family);
  if (!a) a = addr_attr((*t)[IFA_ADDRESS], ifa->ifa_family);
  if (!a) return {};
  return AddrMsg{.del = nlh->nlmsg_type == RTM_DELADDR,
                 .index = ifa->ifa_index,
                 .addr = *a,
                 .prefix_len = ifa->ifa_prefixlen};
}

// RTA_MULTIPATH: the first nexthop that is not dead (ECMP is not spread; see kernel_view.h).
void first_live_nexthop(const nlattr* mp, int family, RouteMsg& r) {
  const auto* p = static_cast<const uint8_t*>(mnl_attr_get_payload(mp));
  size_t left = mnl_attr_get_payload_len(mp);
  r.dead = true;
  while (left >= sizeof(rtnexthop)) {
    const auto* nh = reinterpret_cast<const rtnexthop*>(p);
    if (nh->rtnh_len < sizeof(rtnexthop) || nh->rtnh_len > left) return;
    if (!(nh->rtnh_flags & RTNH_F_DEAD)) {
      auto t = attrs_of(p + sizeof(rtnexthop), nh->rtnh_len - sizeof(rtnexthop));
      if (!t) return;
      r.oif = uint32_t(nh->rtnh_ifindex);
      r.gateway = gateway_of(*t, family);
      r.dead = false;
      return;
    }
    const size_t step = RTNH_ALIGN(nh->rtnh_len);
    if (step >= left) return;
    p += step;
    left -= step;
  }
}

Message parse_route(const nlmsghdr* nlh) {
  auto t = attrs(nlh, sizeof(rtmsg));
  if (!t) return {};
  const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
  const int family = rtm->rtm_family;
  if (family != AF_INET && family != AF_INET6) return {};
  RouteMsg r;
  r.del = nlh->nlmsg_type == RTM_DELROUTE;
  r.len = rtm->rtm_dst_len;
  if (auto d = addr_attr((*t)[RTA_DST], family)) {
    r.dst = *d;
  } else {
    r.dst = family == AF_INET ? net::Addr{} : net::Addr{.family = net::Family::V6};
  }
  r.table = u32_attr((*t)[RTA_TABLE]).value_or(rtm->rtm_table);
  r.type = rtm->rtm_type;
  r.flags = rtm->rtm_flags;
  r.metric = u32_attr((*t)[RTA_PRIORITY]).value_or(0);
  if (const nlattr* mp = (*t)[RTA_MULTIPATH]) {
    first_live_nexthop(mp, family, r);
  } else {
    r.oif = u32_attr((*t)[RTA_OIF]).value_or(0);
    r.gateway = gateway_of(*t, family);
    r.dead = rtm->rtm_flags & RTNH_F_DEAD;  // a single nexthop's flags live in rtm_flags
  }
  return r;
}

Message parse_neigh(const nlmsghdr* nlh) {
  auto t = attrs(nlh, sizeof(ndmsg));
  if (!t) return {};
  const auto* ndm = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(nlh));
  auto a = addr_attr((*t)[NDA_DST], ndm->ndm_family);  // also drops AF_BRIDGE (fdb) entries
  if (!a || ndm->ndm_ifindex <= 0) return {};
  return NeighMsg{.del = nlh->nlmsg_type == RTM_DELNEIGH,
                  .index = uint32_t(ndm->ndm_ifindex),
                  .addr = *a,
                  .lladdr = mac_attr((*t)[NDA_LLADDR]),
                  .state = ndm->ndm_state,
                  .flags = ndm->ndm_flags};
}

}  // namespace

Message parse(const nlmsghdr* nlh) {
  if (nlh->nlmsg_len < sizeof(nlmsghdr)) return {};
  switch (nlh->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
      return parse_link(nlh);
    case RTM_NEWADDR:
    case RTM_DELADDR:
      return parse_addr(nlh);
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
      return parse_route(nlh);
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
      return parse_neigh(nlh);
    default:
      return {};
  }
}

std::optional<RouteTable::Entry> route_entry(const RouteMsg& r) {
  if (r.del || r.table != RT_TABLE_MAIN || r.type != RTN_UNICAST) return std::nullopt;
  if ((r.flags & RTM_F_CLONED) || r.dead || r.oif == 0) return std::nullopt;
  RouteTable::Entry e;
  e.prefix = r.dst;
  e.len = r.len;
  e.metric = r.metric;
  e.hop.iface = r.oif;
  e.onlink = !r.gateway;
  if (r.gateway) e.hop.gateway = *r.gateway;
  return e;
}

bool neigh_usable(const NeighMsg& n) {
  constexpr uint16_t kUsable =
      NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;
  return !n.del && (n.state & kUsable) && n.lladdr.has_value();
}

}  // namespace ulvs::dataplane::nl
