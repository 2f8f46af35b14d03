// route_table_test.cc — the snapshot's lookup tables without a kernel: RouteTable's
// longest-prefix match (prefix length first, then metric; IPv4 and IPv6 side by side;
// on-link routes answer with the destination itself), NeighbourTable's sorted map, and the
// KernelRoutes / KernelNeighbours adapters the pipeline sees.
#include <gtest/gtest.h>

#include "dataplane/io/kernel_view.h"

namespace ulvs::dataplane {
namespace {

net::Addr A(const char* s) { return *net::Addr::parse(s); }

RouteTable::Entry via(const char* prefix, uint8_t len, const char* gw, uint32_t iface,
                      uint32_t metric = 0) {
  RouteTable::Entry e;
  e.prefix = A(prefix);
  e.len = len;
  e.metric = metric;
  e.hop = {.iface = iface, .gateway = A(gw)};
  return e;
}

RouteTable::Entry onlink(const char* prefix, uint8_t len, uint32_t iface, uint32_t metric = 0) {
  RouteTable::Entry e;
  e.prefix = A(prefix);
  e.len = len;
  e.metric = metric;
  e.hop.iface = iface;
  e.onlink = true;
  return e;
}

TEST(RouteTable, EmptyFindsNothing) {
  RouteTable t;
  EXPECT_FALSE(t.lookup(A("10.0.0.1")));
  EXPECT_FALSE(t.lookup(A("2001:db8::1")));
  EXPECT_EQ(t.size(), 0u);
}

TEST(RouteTable, LongestPrefixWinsWhateverTheOrderAdded) {
  RouteTable t;
  t.add(via("0.0.0.0", 0, "192.0.2.1", 1));
  t.add(via("10.0.0.0", 8, "192.0.2.8", 2));
  t.add(via("10.1.2.0", 24, "192.0.2.24", 4));
  t.add(via("10.1.0.0", 16, "192.0.2.16", 3));
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t.lookup(A("10.1.2.3"))->gateway, A("192.0.2.24"));
  EXPECT_EQ(t.lookup(A("10.1.2.3"))->iface, 4u);
  EXPECT_EQ(t.lookup(A("10.1.3.3"))->gateway, A("192.0.2.16"));
  EXPECT_EQ(t.lookup(A("10.2.0.1"))->gateway, A("192.0.2.8"));
  EXPECT_EQ(t.lookup(A("8.8.8.8"))->gateway, A("192.0.2.1"));
}

TEST(RouteTable, EqualPrefixesPreferTheLowestMetricThenTheFirstAdded) {
  RouteTable t;
  t.add(via("10.0.0.0", 8, "192.0.2.100", 1, 100));
  t.add(via("10.0.0.0", 8, "192.0.2.10", 2, 10));
  t.add(via("10.0.0.0", 8, "192.0.2.11", 3, 10));
  t.add(via("10.0.0.0", 8, "192.0.2.50", 4, 50));
  EXPECT_EQ(t.lookup(A("10.9.9.9"))->gateway, A("192.0.2.10"));
  EXPECT_EQ(t.lookup(A("10.9.9.9"))->iface, 2u);
  // A longer prefix beats any metric.
  t.add(via("10.9.0.0", 16, "192.0.2.99", 5, 9999));
  EXPECT_EQ(t.lookup(A("10.9.9.9"))->iface, 5u);
}

TEST(RouteTable, OnLinkRoutesAnswerWithTheDestination) {
  RouteTable t;
  t.add(onlink("192.168.1.0", 24, 7));
  t.add(via("0.0.0.0", 0, "192.168.1.1", 7));
  auto hop = t.lookup(A("192.168.1.42"));
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->iface, 7u);
  EXPECT_EQ(hop->gateway, A("192.168.1.42"));
  EXPECT_EQ(t.lookup(A("1.1.1.1"))->gateway, A("192.168.1.1"));
}

TEST(RouteTable, PrefixesAreMaskedOnAdd) {
  RouteTable t;
  t.add(via("10.1.2.3", 16, "192.0.2.1", 1));  // host bits set: still 10.1.0.0/16
  EXPECT_TRUE(t.lookup(A("10.1.200.200")));
  EXPECT_FALSE(t.lookup(A("10.2.0.1")));
}

TEST(RouteTable, OddPrefixLengths) {
  RouteTable t;
  t.add(via("10.0.2.0", 23, "192.0.2.1", 1));  // 10.0.2.0 - 10.0.3.255
  EXPECT_TRUE(t.lookup(A("10.0.2.1")));
  EXPECT_TRUE(t.lookup(A("10.0.3.254")));
  EXPECT_FALSE(t.lookup(A("10.0.4.0")));
  EXPECT_FALSE(t.lookup(A("10.0.1.255")));
  t.add(onlink("2001:db8:0:0:8000::", 65, 2));
  EXPECT_TRUE(t.lookup(A("2001:db8::8000:0:0:1")));
  EXPECT_TRUE(t.lookup(A("2001:db8::ffff:0:0:1")));
  EXPECT_FALSE(t.lookup(A("2001:db8::7fff:0:0:1")));
}

TEST(RouteTable, HostRoutes) {
  RouteTable t;
  t.add(via("10.0.0.0", 8, "192.0.2.1", 1));
  t.add(via("10.0.0.5", 32, "192.0.2.5", 2));
  t.add(via("2001:db8::5", 128, "fe80::5", 3));
  EXPECT_EQ(t.lookup(A("10.0.0.5"))->iface, 2u);
  EXPECT_EQ(t.lookup(A("10.0.0.6"))->iface, 1u);
  EXPECT_EQ(t.lookup(A("2001:db8::5"))->gateway, A("fe80::5"));
  EXPECT_FALSE(t.lookup(A("2001:db8::6")));
}

TEST(RouteTable, FamiliesNeverMatchEachOther) {
  RouteTable t;
  t.add(via("0.0.0.0", 0, "192.0.2.1", 1));
  EXPECT_FALSE(t.lookup(A("2001:db8::1")));
  EXPECT_FALSE(t.lookup(A("::")));
  t.add(via("::", 0, "fe80::1", 2, 1024));
  t.add(onlink("2001:db8:1::", 64, 3, 256));
  EXPECT_EQ(t.lookup(A("2001:db8:2::1"))->gateway, A("fe80::1"));
  EXPECT_EQ(t.lookup(A("2001:db8:1::9"))->gateway, A("2001:db8:1::9"));
  EXPECT_EQ(t.lookup(A("2001:db8:1::9"))->iface, 3u);
  EXPECT_EQ(t.lookup(A("10.0.0.1"))->iface, 1u);
  // An IPv4 address never matches ::/0 even though its unused bytes are zero.
  RouteTable v6only;
  v6only.add(onlink("::", 0, 9));
  EXPECT_FALSE(v6only.lookup(A("0.0.0.0")));
}

TEST(NeighbourTable, SetFindEraseOverwrite) {
  NeighbourTable n;
  const net::Mac m1{2, 0, 0, 0, 0, 1}, m2{2, 0, 0, 0, 0, 2};
  EXPECT_FALSE(n.find(1, A("10.0.0.1")));
  n.set(1, A("10.0.0.1"), m1);
  n.set(2, A("10.0.0.1"), m2);  // same address, other interface
  n.set(1, A("fe80::1"), m2);
  EXPECT_EQ(n.size(), 3u);
  EXPECT_EQ(n.find(1, A("10.0.0.1")), m1);
  EXPECT_EQ(n.find(2, A("10.0.0.1")), m2);
  EXPECT_EQ(n.find(1, A("fe80::1")), m2);
  EXPECT_FALSE(n.find(3, A("10.0.0.1")));
  n.set(1, A("10.0.0.1"), m2);  // the MAC moved
  EXPECT_EQ(n.size(), 3u);
  EXPECT_EQ(n.find(1, A("10.0.0.1")), m2);
  n.erase(1, A("10.0.0.1"));
  n.erase(1, A("10.0.0.99"));  // absent: nothing happens
  EXPECT_EQ(n.size(), 2u);
  EXPECT_FALSE(n.find(1, A("10.0.0.1")));
  EXPECT_EQ(n.find(2, A("10.0.0.1")), m2);
}

TEST(NeighbourTable, ManyEntriesInAnyOrder) {
  NeighbourTable n;
  for (uint32_t i = 0; i < 500; ++i) {
    uint32_t k = (i * 7919) % 500;  // a permutation
    n.set(k % 3 + 1, net::Addr::v4(0x0a000000 + k), net::Mac{2, 0, 0, 0, uint8_t(k >> 8),
                                                             uint8_t(k)});
  }
  EXPECT_EQ(n.size(), 500u);
  for (uint32_t k = 0; k < 500; ++k) {
    auto m = n.find(k % 3 + 1, net::Addr::v4(0x0a000000 + k));
    ASSERT_TRUE(m) << k;
    EXPECT_EQ((*m)[5], uint8_t(k));
    EXPECT_FALSE(n.find(k % 3 + 2, net::Addr::v4(0x0a000000 + k)));
  }
}

TEST(KernelAdapters, AnswerFromTheSnapshotTheyUse) {
  KernelRoutes routes;
  KernelNeighbours neigh(nullptr);
  EXPECT_FALSE(routes.lookup(A("10.0.0.1")));  // no snapshot yet
  EXPECT_FALSE(neigh.lookup(1, A("10.0.0.1")));

  auto s = std::make_shared<KernelSnapshot>();
  s->routes.add(onlink("10.0.0.0", 24, 4));
  s->neighbours.set(4, A("10.0.0.1"), net::Mac{2, 0, 0, 0, 0, 1});
  routes.use(s);
  neigh.use(s);
  EXPECT_EQ(routes.lookup(A("10.0.0.1"))->iface, 4u);
  EXPECT_EQ(neigh.lookup(4, A("10.0.0.1")), (net::Mac{2, 0, 0, 0, 0, 1}));
  EXPECT_FALSE(neigh.lookup(4, A("10.0.0.2")));
  // The kernel resolves; the pipeline never sends its own solicitation for a next hop.
  EXPECT_FALSE(neigh.should_solicit(4, A("10.0.0.2")));
}

}  // namespace
}  // namespace ulvs::dataplane
