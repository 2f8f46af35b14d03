// netlink_parse_test.cc — rtnetlink messages built by hand (libmnl) and parsed without a
// socket: links, addresses, routes (gateways, on-link, default, RTA_TABLE, RTA_VIA,
// multipath), neighbours, the filters that pick what the data plane uses, and messages that
// are too short or of a family we ignore.
#include "dataplane/io/netlink_parse.h"

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

namespace ulvs::dataplane::nl {
namespace {

net::Addr A(const char* s) { return *net::Addr::parse(s); }

// One message under construction.
class Msg {
 public:
  explicit Msg(uint16_t type) {
    nlh_ = mnl_nlmsg_put_header(buf_);
    nlh_->nlmsg_type = type;
  }
  template <class T>
  T* header() {
    return static_cast<T*>(mnl_nlmsg_put_extra_header(nlh_, sizeof(T)));
  }
  Msg& put(uint16_t type, const void* p, size_t len) {
    mnl_attr_put(nlh_, type, len, p);
    return *this;
  }
  Msg& u32(uint16_t type, uint32_t v) {
    mnl_attr_put_u32(nlh_, type, v);
    return *this;
  }
  Msg& str(uint16_t type, const char* s) {
    mnl_attr_put_strz(nlh_, type, s);
    return *this;
  }
  Msg& addr(uint16_t type, const net::Addr& a) { return put(type, a.bytes.data(), a.size()); }
  // RTA_MULTIPATH with one rtnexthop per (ifindex, flags, gateway).
  struct Hop {
    int ifindex;
    uint8_t flags;
    const char* gateway;
  };
  Msg& multipath(std::initializer_list<Hop> hops) {
    nlattr* nest = mnl_attr_nest_start(nlh_, RTA_MULTIPATH);
    for (const Hop& h : hops) {
      auto* nh = static_cast<rtnexthop*>(mnl_nlmsg_get_payload_tail(nlh_));
      std::memset(nh, 0, sizeof *nh);
      nlh_->nlmsg_len += RTNH_ALIGN(sizeof(rtnexthop));
      nh->rtnh_ifindex = h.ifindex;
      nh->rtnh_flags = h.flags;
      if (h.gateway) addr(RTA_GATEWAY, A(h.gateway));
      nh->rtnh_len = uint16_t(static_cast<char*>(mnl_nlmsg_get_payload_tail(nlh_)) -
                              reinterpret_cast<char*>(nh));
    }
    mnl_attr_nest_end(nlh_, nest);
    return *this;
  }
  const nlmsghdr* nlh() const { return nlh_; }
  nlmsghdr* nlh() { return nlh_; }

 private:
  alignas(8) char buf_[4096]{};
  nlmsghdr* nlh_;
};

// --- links ---

Msg link(uint16_t type, int index, unsigned flags, uint8_t family = AF_UNSPEC) {
  Msg m(type);
  auto* ifi = m.header<ifinfomsg>();
  ifi->ifi_family = family;
  ifi->ifi_index = index;
  ifi->ifi_flags = flags;
  return m;
}

TEST(NetlinkParse, NewLink) {
  Msg m = link(RTM_NEWLINK, 3, IFF_UP | IFF_BROADCAST);
  const uint8_t mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
  m.str(IFLA_IFNAME, "eth0").put(IFLA_ADDRESS, mac, 6).u32(IFLA_MTU, 9000);
  Message msg = parse(m.nlh());
  auto* l = std::get_if<LinkMsg>(&msg);
  ASSERT_TRUE(l);
  EXPECT_FALSE(l->del);
  EXPECT_EQ(l->index, 3u);
  EXPECT_EQ(l->name, "eth0");
  EXPECT_EQ(l->mac, (net::Mac{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee}));
  EXPECT_EQ(l->mtu, 9000u);
  EXPECT_TRUE(l->up);
}

TEST(NetlinkParse, DownLinkWithoutEthernetAddress) {
  Msg m = link(RTM_NEWLINK, 4, 0);
  const uint8_t ipip[4] = {10, 0, 0, 1};  // an IPv4 tunnel's "link-layer" address
  m.str(IFLA_IFNAME, "tun0").put(IFLA_ADDRESS, ipip, 4);
  auto l = std::get<LinkMsg>(parse(m.nlh()));
  EXPECT_FALSE(l.up);
  EXPECT_EQ(l.mac, net::Mac{});
  EXPECT_EQ(l.mtu, 0u);
}

TEST(NetlinkParse, DelLink) {
  Msg m = link(RTM_DELLINK, 5, 0);
  m.str(IFLA_IFNAME, "veth9");
  auto l = std::get<LinkMsg>(parse(m.nlh()));
  EXPECT_TRUE(l.del);
  EXPECT_EQ(l.index, 5u);
}

TEST(NetlinkParse, BridgePortEventsAreNotLinks) {
  // A port leaving a bridge is an AF_BRIDGE RTM_DELLINK: the device itself stays.
  Msg m = link(RTM_DELLINK, 5, IFF_UP, AF_BRIDGE);
  m.str(IFLA_IFNAME, "veth9");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(m.nlh())));
}

// --- addresses ---

Msg address(uint16_t type, int family, int index, uint8_t len) {
  Msg m(type);
  auto* ifa = m.header<ifaddrmsg>();
  ifa->ifa_family = uint8_t(family);
  ifa->ifa_index = uint32_t(index);
  ifa->ifa_prefixlen = len;
  return m;
}

TEST(NetlinkParse, AddressPrefersLocalOverPeer) {
  Msg m = address(RTM_NEWADDR, AF_INET, 2, 32);
  m.addr(IFA_ADDRESS, A("192.0.2.2")).addr(IFA_LOCAL, A("192.0.2.1"));  // point-to-point
  auto a = std::get<AddrMsg>(parse(m.nlh()));
  EXPECT_FALSE(a.del);
  EXPECT_EQ(a.index, 2u);
  EXPECT_EQ(a.addr, A("192.0.2.1"));
  EXPECT_EQ(a.prefix_len, 32);
}

TEST(NetlinkParse, Ipv6AddressAndDelete) {
  Msg m = address(RTM_DELADDR, AF_INET6, 7, 64);
  m.addr(IFA_ADDRESS, A("2001:db8::1"));
  auto a = std::get<AddrMsg>(parse(m.nlh()));
  EXPECT_TRUE(a.del);
  EXPECT_EQ(a.addr, A("2001:db8::1"));
  EXPECT_EQ(a.prefix_len, 64);
}

TEST(NetlinkParse, AddressOfTheWrongSizeIsSkipped) {
  Msg m = address(RTM_NEWADDR, AF_INET6, 7, 64);
  m.addr(IFA_ADDRESS, A("10.0.0.1"));  // 4 bytes in an AF_INET6 message
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(m.nlh())));
}

// --- routes ---

Msg route(uint16_t type, int family, uint8_t dst_len, uint8_t table = RT_TABLE_MAIN,
          uint8_t rtype = RTN_UNICAST, unsigned flags = 0) {
  Msg m(type);
  auto* rtm = m.header<rtmsg>();
  rtm->rtm_family = uint8_t(family);
  rtm->rtm_dst_len = dst_len;
  rtm->rtm_table = table;
  rtm->rtm_type = rtype;
  rtm->rtm_flags = flags;
  rtm->rtm_protocol = RTPROT_BOOT;
  rtm->rtm_scope = RT_SCOPE_UNIVERSE;
  return m;
}

TEST(NetlinkParse, GatewayRoute) {
  Msg m = route(RTM_NEWROUTE, AF_INET, 16);
  m.addr(RTA_DST, A("10.50.0.0")).addr(RTA_GATEWAY, A("10.1.0.254")).u32(RTA_OIF, 3)
      .u32(RTA_PRIORITY, 20).u32(RTA_TABLE, RT_TABLE_MAIN);
  auto r = std::get<RouteMsg>(parse(m.nlh()));
  EXPECT_EQ(r.dst, A("10.50.0.0"));
  EXPECT_EQ(r.len, 16);
  EXPECT_EQ(r.oif, 3u);
  EXPECT_EQ(r.gateway, A("10.1.0.254"));
  EXPECT_EQ(r.metric, 20u);
  auto e = route_entry(r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->prefix, A("10.50.0.0"));
  EXPECT_EQ(e->len, 16);
  EXPECT_EQ(e->metric, 20u);
  EXPECT_EQ(e->hop.iface, 3u);
  EXPECT_EQ(e->hop.gateway, A("10.1.0.254"));
  EXPECT_FALSE(e->onlink);
}

TEST(NetlinkParse, OnLinkRoute) {
  Msg m = route(RTM_NEWROUTE, AF_INET, 24);
  m.addr(RTA_DST, A("10.1.0.0")).u32(RTA_OIF, 3).addr(RTA_PREFSRC, A("10.1.0.1"));
  auto e = route_entry(std::get<RouteMsg>(parse(m.nlh())));
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->onlink);
  EXPECT_EQ(e->hop.iface, 3u);
}

TEST(NetlinkParse, DefaultRoutesOfBothFamilies) {
  Msg v4 = route(RTM_NEWROUTE, AF_INET, 0);
  v4.addr(RTA_GATEWAY, A("192.0.2.1")).u32(RTA_OIF, 2);
  auto e4 = route_entry(std::get<RouteMsg>(parse(v4.nlh())));
  ASSERT_TRUE(e4);
  EXPECT_EQ(e4->prefix, A("0.0.0.0"));
  EXPECT_EQ(e4->len, 0);

  Msg v6 = route(RTM_NEWROUTE, AF_INET6, 0);
  v6.addr(RTA_GATEWAY, A("fe80::1")).u32(RTA_OIF, 2).u32(RTA_PRIORITY, 1024);
  auto e6 = route_entry(std::get<RouteMsg>(parse(v6.nlh())));
  ASSERT_TRUE(e6);
  EXPECT_EQ(e6->prefix, A("::"));
  EXPECT_TRUE(e6->prefix.is_v6());
  EXPECT_EQ(e6->hop.gateway, A("fe80::1"));
  EXPECT_EQ(e6->metric, 1024u);
}

TEST(NetlinkParse, OnlyMainTableUnicastLiveRoutesAreUsed) {
  auto usable = [](Msg m) {
    m.addr(RTA_DST, A("10.0.0.0")).u32(RTA_OIF, 2);
    return route_entry(std::get<RouteMsg>(parse(m.nlh()))).has_value();
  };
  EXPECT_TRUE(usable(route(RTM_NEWROUTE, AF_INET, 8)));
  EXPECT_FALSE(usable(route(RTM_NEWROUTE, AF_INET, 8, RT_TABLE_LOCAL, RTN_LOCAL)));
  EXPECT_FALSE(usable(route(RTM_NEWROUTE, AF_INET, 8, 100)));
  EXPECT_FALSE(usable(route(RTM_NEWROUTE, AF_INET, 8, RT_TABLE_MAIN, RTN_BLACKHOLE)));
  EXPECT_FALSE(usable(route(RTM_NEWROUTE, AF_INET, 8, RT_TABLE_MAIN, RTN_UNREACHABLE)));
  EXPECT_FALSE(usable(route(RTM_NEWROUTE, AF_INET, 8, RT_TABLE_MAIN, RTN_UNICAST,
                            RTM_F_CLONED)));
  EXPECT_FALSE(usable(route(RTM_NEWROUTE, AF_INET, 8, RT_TABLE_MAIN, RTN_UNICAST,
                            RTNH_F_DEAD)));
  EXPECT_FALSE(usable(route(RTM_DELROUTE, AF_INET, 8)));
  // No egress interface (e.g. a nexthop object without compat info): not usable.
  Msg noif = route(RTM_NEWROUTE, AF_INET, 8);
  noif.addr(RTA_DST, A("10.0.0.0"));
  EXPECT_FALSE(route_entry(std::get<RouteMsg>(parse(noif.nlh()))));
}

TEST(NetlinkParse, TableIdBeyond255ComesFromRtaTable) {
  Msg m = route(RTM_NEWROUTE, AF_INET, 8, RT_TABLE_COMPAT);
  m.addr(RTA_DST, A("10.0.0.0")).u32(RTA_OIF, 2).u32(RTA_TABLE, 1000);
  auto r = std::get<RouteMsg>(parse(m.nlh()));
  EXPECT_EQ(r.table, 1000u);
  EXPECT_FALSE(route_entry(r));
}

TEST(NetlinkParse, Ipv4RouteViaIpv6Gateway) {
  Msg m = route(RTM_NEWROUTE, AF_INET, 24);
  alignas(4) uint8_t via[sizeof(rtvia) + 16] = {};
  reinterpret_cast<rtvia*>(via)->rtvia_family = AF_INET6;
  auto gw = A("fe80::42");
  std::memcpy(via + sizeof(rtvia), gw.bytes.data(), 16);
  m.addr(RTA_DST, A("10.7.0.0")).put(RTA_VIA, via, sizeof via).u32(RTA_OIF, 6);
  auto e = route_entry(std::get<RouteMsg>(parse(m.nlh())));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->hop.gateway, gw);
  EXPECT_FALSE(e->onlink);
}

TEST(NetlinkParse, MultipathTakesTheFirstLiveNexthop) {
  Msg m = route(RTM_NEWROUTE, AF_INET6, 48);
  m.addr(RTA_DST, A("2001:db8:99::")).u32(RTA_PRIORITY, 1024);
  m.multipath({{4, RTNH_F_DEAD, "fe80::4"}, {5, 0, "fe80::5"}, {6, 0, "fe80::6"}});
  auto r = std::get<RouteMsg>(parse(m.nlh()));
  EXPECT_FALSE(r.dead);
  EXPECT_EQ(r.oif, 5u);
  EXPECT_EQ(r.gateway, A("fe80::5"));
  auto e = route_entry(r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->hop.iface, 5u);
  EXPECT_EQ(e->metric, 1024u);
}

TEST(NetlinkParse, MultipathWithEveryNexthopDeadIsUnusable) {
  Msg m = route(RTM_NEWROUTE, AF_INET, 8);
  m.addr(RTA_DST, A("10.0.0.0"));
  m.multipath({{4, RTNH_F_DEAD, "10.9.0.4"}, {5, RTNH_F_DEAD, "10.9.0.5"}});
  auto r = std::get<RouteMsg>(parse(m.nlh()));
  EXPECT_TRUE(r.dead);
  EXPECT_FALSE(route_entry(r));
}

TEST(NetlinkParse, MultipathFirstNexthopOnLink) {
  Msg m = route(RTM_NEWROUTE, AF_INET, 8);
  m.addr(RTA_DST, A("10.0.0.0"));
  m.multipath({{7, 0, nullptr}, {8, 0, "10.9.0.8"}});
  auto e = route_entry(std::get<RouteMsg>(parse(m.nlh())));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->hop.iface, 7u);
  EXPECT_TRUE(e->onlink);
}

TEST(NetlinkParse, MalformedMultipathIsSafe) {
  Msg m = route(RTM_NEWROUTE, AF_INET, 8);
  m.addr(RTA_DST, A("10.0.0.0"));
  rtnexthop bad{.rtnh_len = 200, .rtnh_flags = 0, .rtnh_hops = 0, .rtnh_ifindex = 3};
  m.put(RTA_MULTIPATH, &bad, sizeof bad);  // claims more than the attribute holds
  auto r = std::get<RouteMsg>(parse(m.nlh()));
  EXPECT_TRUE(r.dead);
  EXPECT_FALSE(route_entry(r));
}

TEST(NetlinkParse, OtherRouteFamiliesAreIgnored) {
  Msg m = route(RTM_NEWROUTE, 128 /* RTNL_FAMILY_IPMR */, 32);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(m.nlh())));
}

// --- neighbours ---

Msg neigh(uint16_t type, int family, int index, uint16_t state) {
  Msg m(type);
  auto* ndm = m.header<ndmsg>();
  ndm->ndm_family = uint8_t(family);
  ndm->ndm_ifindex = index;
  ndm->ndm_state = state;
  ndm->ndm_type = RTN_UNICAST;
  return m;
}

TEST(NetlinkParse, NeighbourWithLinkLayerAddress) {
  Msg m = neigh(RTM_NEWNEIGH, AF_INET, 3, NUD_REACHABLE);
  const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0xfe};
  m.addr(NDA_DST, A("10.1.0.254")).put(NDA_LLADDR, mac, 6);
  auto n = std::get<NeighMsg>(parse(m.nlh()));
  EXPECT_EQ(n.index, 3u);
  EXPECT_EQ(n.addr, A("10.1.0.254"));
  EXPECT_EQ(n.lladdr, (net::Mac{0x02, 0, 0, 0, 0, 0xfe}));
  EXPECT_EQ(n.state, NUD_REACHABLE);
  EXPECT_TRUE(neigh_usable(n));
}

TEST(NetlinkParse, NeighbourUsability) {
  const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
  auto usable = [&](uint16_t type, uint16_t state, bool with_mac) {
    Msg m = neigh(type, AF_INET6, 3, state);
    m.addr(NDA_DST, A("fe80::1"));
    if (with_mac) m.put(NDA_LLADDR, mac, 6);
    return neigh_usable(std::get<NeighMsg>(parse(m.nlh())));
  };
  for (uint16_t s : {NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE, NUD_PERMANENT, NUD_NOARP})
    EXPECT_TRUE(usable(RTM_NEWNEIGH, s, true)) << s;
  for (uint16_t s : {NUD_NONE, NUD_INCOMPLETE, NUD_FAILED})
    EXPECT_FALSE(usable(RTM_NEWNEIGH, s, true)) << s;
  EXPECT_FALSE(usable(RTM_NEWNEIGH, NUD_REACHABLE, false));  // no lladdr
  EXPECT_FALSE(usable(RTM_DELNEIGH, NUD_REACHABLE, true));
}

TEST(NetlinkParse, BridgeFdbEntriesAreIgnored) {
  Msg m = neigh(RTM_NEWNEIGH, AF_BRIDGE, 3, NUD_REACHABLE);
  const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
  m.put(NDA_LLADDR, mac, 6);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(m.nlh())));
}

// --- malformed ---

TEST(NetlinkParse, TooShortForItsHeader) {
  Msg m(RTM_NEWROUTE);
  m.header<uint32_t>();  // 4 bytes where an rtmsg (12) belongs
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(m.nlh())));
}

TEST(NetlinkParse, AttributeOverrunningTheMessage) {
  Msg m = address(RTM_NEWADDR, AF_INET, 2, 24);
  m.addr(IFA_LOCAL, A("10.0.0.1"));
  m.nlh()->nlmsg_len -= 4;  // cut the attribute short (by whole words: lengths get aligned)
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(m.nlh())));
}

TEST(NetlinkParse, UnrelatedMessageTypes) {
  Msg m(NLMSG_DONE);
  m.header<int>();
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(m.nlh())));
  Msg rule(RTM_NEWRULE);
  rule.header<rtmsg>();
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parse(rule.nlh())));
}

}  // namespace
}  // namespace ulvs::dataplane::nl
