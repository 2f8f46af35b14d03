// kernel_view_test.cc — KernelView against a real kernel: each test moves its thread into a
// fresh network namespace (unshare(CLONE_NEWNET); needs root, else the test is skipped),
// builds veth/dummy interfaces, addresses, routes and neighbours with `ip`, and checks the
// first dump, the snapshots the notification thread publishes after changes, and that
// resolve() (RTM_NEWNEIGH + NTF_USE) makes the kernel start resolving an address.
//
// The namespace belongs to the calling thread; `ip` runs through std::system, which forks
// from it, and KernelView::open() creates its sockets on it, so all of them see the same
// namespace and the host's is never touched.
#include "dataplane/io/kernel_view.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>

namespace ulvs::dataplane {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

net::Addr A(const char* s) { return *net::Addr::parse(s); }

int sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

std::string output(const std::string& cmd) {
  std::string out;
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return out;
  std::array<char, 512> buf;
  while (fgets(buf.data(), int(buf.size()), f)) out += buf.data();
  pclose(f);
  return out;
}

uint32_t ifindex(const char* name) { return if_nametoindex(name); }

bool has_addr(const Interface& i, const net::Addr& a) {
  return std::find(i.addrs.begin(), i.addrs.end(), a) != i.addrs.end();
}

const Interface* find_interface(const KernelSnapshot& s, uint32_t index) {
  for (const auto& i : s.interfaces)
    if (i.index == index) return &i;
  return nullptr;
}

// Polls until `pred` holds for the current snapshot; how long it took, or nullopt.
std::optional<Clock::duration> wait_for(const KernelView& kv,
                                        const std::function<bool(const KernelSnapshot&)>& pred,
                                        Clock::duration limit = 3s) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    if (pred(*kv.snapshot())) return Clock::now() - start;
    std::this_thread::sleep_for(2ms);
  }
  return std::nullopt;
}

// Polls a shell command's output until it contains any of `words`.
bool wait_output(const std::string& cmd, std::initializer_list<const char*> words,
                 Clock::duration limit = 2s) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    std::string out = output(cmd);
    for (const char* w : words)
      if (out.find(w) != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

class KernelViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for a network namespace";
    if (unshare(CLONE_NEWNET) != 0)
      GTEST_SKIP() << "unshare(CLONE_NEWNET): " << std::strerror(errno);
    ASSERT_EQ(sh("ip link set lo up"), 0);
  }

  // va (up, 10.1.0.1/24, 2001:db8:1::1/64, MTU 1400) <-> vb (up); d0 up (10.2.0.1/24) and
  // d1 down (10.3.0.1/24), each a veth with its peer up (the kernel here has no dummy).
  void build_links() {
    for (const char* cmd : {
             "ip link add va address 02:00:00:00:00:0a mtu 1400 type veth peer name vb "
             "address 02:00:00:00:00:0b",
             "ip link set va up",
             "ip link set vb up",
             "ip link add d0 address 02:00:00:00:00:d0 type veth peer name d0p",
             "ip link set d0 up",
             "ip link set d0p up",
             "ip link add d1 type veth peer name d1p",
             "ip link set d1p up",
             "ip addr add 10.1.0.1/24 dev va",
             "ip -6 addr add 2001:db8:1::1/64 dev va nodad",
             "ip addr add 10.2.0.1/24 dev d0",
             "ip addr add 10.3.0.1/24 dev d1",
         })
      ASSERT_EQ(sh(cmd), 0) << cmd;
  }

  std::unique_ptr<KernelView> open() {
    std::string err;
    auto kv = KernelView::open(err);
    EXPECT_TRUE(kv) << err;
    return kv;
  }
};

TEST_F(KernelViewTest, OpenDumpsInterfacesRoutesAndNeighbours) {
  ASSERT_NO_FATAL_FAILURE(build_links());
  for (const char* cmd : {
           "ip route add 10.50.0.0/16 via 10.1.0.254 dev va",
           "ip route add default via 10.1.0.254 metric 100",
           "ip route add default via 10.2.0.254 metric 50",
           "ip route add 10.60.0.0/16 via 10.1.0.254 table 100",  // not the main table
           "ip route add blackhole 10.66.0.0/16",                 // not unicast
           "ip -6 route add 2001:db8:99::/48 via 2001:db8:1::fe dev va",
           "ip neigh add 10.1.0.254 lladdr 02:00:00:00:00:fe nud permanent dev va",
           "ip neigh add 10.1.0.98 lladdr 02:00:00:00:00:98 nud stale dev va",
           "ip -6 neigh add 2001:db8:1::fe lladdr 02:00:00:00:01:fe nud permanent dev va",
       })
    ASSERT_EQ(sh(cmd), 0) << cmd;

  auto kv = open();
  ASSERT_TRUE(kv);
  EXPECT_EQ(kv->generation(), 1u);
  auto snap = kv->snapshot();
  ASSERT_TRUE(snap);
  const uint32_t va = ifindex("va"), d0 = ifindex("d0"), d1 = ifindex("d1");

  // Interfaces: by name (up or not), and the snapshot's list of those that are up.
  auto i = kv->interface("va");
  ASSERT_TRUE(i);
  EXPECT_EQ(i->index, va);
  EXPECT_EQ(i->mac, (net::Mac{2, 0, 0, 0, 0, 0x0a}));
  EXPECT_EQ(i->mtu, 1400u);
  EXPECT_TRUE(has_addr(*i, A("10.1.0.1")));
  EXPECT_TRUE(has_addr(*i, A("2001:db8:1::1")));
  EXPECT_EQ(i->addrs.front(), A("10.1.0.1"));
  EXPECT_FALSE(kv->interface("nosuch"));
  ASSERT_TRUE(kv->interface("d1"));
  EXPECT_EQ(kv->interface("d1")->index, d1);
  ASSERT_TRUE(find_interface(*snap, va));
  ASSERT_TRUE(find_interface(*snap, d0));
  EXPECT_TRUE(has_addr(*find_interface(*snap, d0), A("10.2.0.1")));
  EXPECT_EQ(find_interface(*snap, d0)->mac, (net::Mac{2, 0, 0, 0, 0, 0xd0}));
  EXPECT_FALSE(find_interface(*snap, d1)) << "d1 is down";
  EXPECT_TRUE(find_interface(*snap, ifindex("lo")));

  // Routes: gateway, on-link, default by metric, IPv6; other tables and types left out.
  auto r = snap->routes.lookup(A("10.50.3.4"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->iface, va);
  EXPECT_EQ(r->gateway, A("10.1.0.254"));
  r = snap->routes.lookup(A("10.1.0.7"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->iface, va);
  EXPECT_EQ(r->gateway, A("10.1.0.7"));
  r = snap->routes.lookup(A("8.8.8.8"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->iface, d0);
  EXPECT_EQ(r->gateway, A("10.2.0.254"));
  r = snap->routes.lookup(A("10.60.0.1"));  // table 100 is not consulted: the default
  ASSERT_TRUE(r);
  EXPECT_EQ(r->gateway, A("10.2.0.254"));
  r = snap->routes.lookup(A("10.66.0.1"));  // the blackhole is skipped: the default
  ASSERT_TRUE(r);
  EXPECT_EQ(r->gateway, A("10.2.0.254"));
  r = snap->routes.lookup(A("10.3.0.5"));  // d1 is down: no connected route, the default
  ASSERT_TRUE(r);
  EXPECT_EQ(r->gateway, A("10.2.0.254"));
  r = snap->routes.lookup(A("2001:db8:99::5"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->iface, va);
  EXPECT_EQ(r->gateway, A("2001:db8:1::fe"));
  r = snap->routes.lookup(A("2001:db8:1::42"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->gateway, A("2001:db8:1::42"));
  EXPECT_FALSE(snap->routes.lookup(A("2001:db8:5::1"))) << "no IPv6 default route";

  // Neighbours.
  EXPECT_EQ(snap->neighbours.find(va, A("10.1.0.254")), (net::Mac{2, 0, 0, 0, 0, 0xfe}));
  EXPECT_EQ(snap->neighbours.find(va, A("10.1.0.98")), (net::Mac{2, 0, 0, 0, 0, 0x98}));
  EXPECT_EQ(snap->neighbours.find(va, A("2001:db8:1::fe")), (net::Mac{2, 0, 0, 0, 1, 0xfe}));
  EXPECT_FALSE(snap->neighbours.find(d0, A("10.1.0.254")));

  // The adapters the pipeline uses.
  KernelRoutes routes;
  KernelNeighbours neigh(kv.get());
  routes.use(snap);
  neigh.use(snap);
  EXPECT_EQ(routes.lookup(A("10.50.0.1"))->gateway, A("10.1.0.254"));
  EXPECT_EQ(neigh.lookup(va, A("10.1.0.254")), (net::Mac{2, 0, 0, 0, 0, 0xfe}));
}

TEST_F(KernelViewTest, FollowsChangesAfterStart) {
  ASSERT_NO_FATAL_FAILURE(build_links());
  ASSERT_EQ(sh("ip route add default via 10.1.0.254"), 0);
  auto kv = open();
  ASSERT_TRUE(kv);
  kv->start();
  const uint32_t va = ifindex("va"), d0 = ifindex("d0");
  const uint64_t g0 = kv->generation();
  auto s0 = kv->snapshot();

  // A new route shows up in a new snapshot, within a second, with a new generation; the
  // snapshot taken before is left as it was.
  ASSERT_EQ(sh("ip route add 10.70.0.0/16 via 10.2.0.254"), 0);
  auto took = wait_for(*kv, [&](const KernelSnapshot& s) {
    auto r = s.routes.lookup(A("10.70.1.1"));
    return r && r->iface == d0;
  });
  ASSERT_TRUE(took) << "route never appeared";
  EXPECT_LT(*took, 1s);
  EXPECT_GT(kv->generation(), g0);
  EXPECT_EQ(s0->routes.lookup(A("10.70.1.1"))->iface, va) << "old snapshot changed";

  // Replaced: now via va.
  ASSERT_EQ(sh("ip route replace 10.70.0.0/16 via 10.1.0.254"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    auto r = s.routes.lookup(A("10.70.1.1"));
    return r && r->iface == va && r->gateway == A("10.1.0.254");
  }));

  // An IPv6 route, added and deleted.
  ASSERT_EQ(sh("ip -6 route add 2001:db8:77::/48 via 2001:db8:1::fe dev va"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    auto r = s.routes.lookup(A("2001:db8:77::1"));
    return r && r->gateway == A("2001:db8:1::fe");
  }));
  ASSERT_EQ(sh("ip -6 route del 2001:db8:77::/48"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    return !s.routes.lookup(A("2001:db8:77::1"));
  }));

  // A neighbour added, changed and deleted.
  const uint64_t g1 = kv->generation();
  ASSERT_EQ(sh("ip neigh add 10.1.0.200 lladdr 02:00:00:00:02:00 nud permanent dev va"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    return s.neighbours.find(va, A("10.1.0.200")) == net::Mac{2, 0, 0, 0, 2, 0};
  }));
  EXPECT_GT(kv->generation(), g1);
  ASSERT_EQ(sh("ip neigh replace 10.1.0.200 lladdr 02:00:00:00:02:01 nud permanent dev va"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    return s.neighbours.find(va, A("10.1.0.200")) == net::Mac{2, 0, 0, 0, 2, 1};
  }));
  ASSERT_EQ(sh("ip neigh del 10.1.0.200 dev va"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    return !s.neighbours.find(va, A("10.1.0.200"));
  }));

  // An address and an MTU change.
  ASSERT_EQ(sh("ip addr add 10.1.0.2/24 dev va"), 0);
  ASSERT_EQ(sh("ip link set va mtu 1300"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    auto* i = find_interface(s, va);
    return i && has_addr(*i, A("10.1.0.2")) && i->mtu == 1300;
  }));
  EXPECT_EQ(kv->interface("va")->mtu, 1300u);

  // A link going down takes its interface and its IPv4 routes along (the kernel sends no
  // RTM_DELROUTE for those: the routes must have been re-dumped).
  ASSERT_EQ(sh("ip route add 10.80.0.0/16 via 10.2.0.254"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    return s.routes.lookup(A("10.80.0.1")).has_value() &&
           s.routes.lookup(A("10.80.0.1"))->iface == d0;
  }));
  ASSERT_EQ(sh("ip link set d0 down"), 0);
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    auto r = s.routes.lookup(A("10.80.0.1"));  // the default route via va now
    auto connected = s.routes.lookup(A("10.2.0.1"));
    return !find_interface(s, d0) && r && r->iface == va && connected && connected->iface == va;
  })) << output("ip route");

  // A link deleted (with its peer).
  ASSERT_EQ(sh("ip link del d1"), 0);
  const auto start = Clock::now();
  while (kv->interface("d1") && Clock::now() - start < 3s) std::this_thread::sleep_for(2ms);
  EXPECT_FALSE(kv->interface("d1"));
}

TEST_F(KernelViewTest, ResolveMakesTheKernelCreateANeighbourEntry) {
  ASSERT_NO_FATAL_FAILURE(build_links());
  auto kv = open();
  ASSERT_TRUE(kv);
  const uint32_t va = ifindex("va");
  ASSERT_EQ(output("ip neigh show 10.1.0.77 dev va"), "");

  // Through the adapter, as the pipeline asks: no solicitation of our own, the kernel's.
  KernelNeighbours neigh(kv.get());
  EXPECT_FALSE(neigh.should_solicit(va, A("10.1.0.77")));
  EXPECT_TRUE(wait_output("ip neigh show 10.1.0.77 dev va", {"INCOMPLETE", "FAILED"}))
      << output("ip neigh show dev va");
  const auto first = Clock::now();

  kv->resolve(va, A("2001:db8:1::77"));
  EXPECT_TRUE(wait_output("ip -6 neigh show 2001:db8:1::77 dev va", {"INCOMPLETE", "FAILED"}))
      << output("ip -6 neigh show dev va");

  // At most once a second per address: asked again at once, the kernel hears nothing.
  ASSERT_EQ(sh("ip neigh del 10.1.0.77 dev va"), 0);
  kv->resolve(va, A("10.1.0.77"));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(output("ip neigh show 10.1.0.77 dev va"), "");
  std::this_thread::sleep_until(first + 1100ms);
  kv->resolve(va, A("10.1.0.77"));
  EXPECT_TRUE(wait_output("ip neigh show 10.1.0.77 dev va", {"INCOMPLETE", "FAILED"}));
}

// A plain NTF_USE on an existing entry strips NUD_PERMANENT (the entry turns INCOMPLETE and
// loses its address); resolve() must leave static entries alone, and make entries the
// kernel gave up on (FAILED) or no longer trusts (STALE) resolve again.
TEST_F(KernelViewTest, ResolveLeavesStaticEntriesAloneAndRetriesFailedOnes) {
  ASSERT_NO_FATAL_FAILURE(build_links());
  for (const char* cmd : {
           "ip neigh add 10.1.0.254 lladdr 02:00:00:00:00:fe nud permanent dev va",
           "ip neigh add 10.1.0.253 lladdr 02:00:00:00:00:fd nud noarp dev va",
           "ip neigh add 10.1.0.88 dev va nud failed",
           "ip neigh add 10.1.0.89 lladdr 02:00:00:00:00:89 nud stale dev va",
       })
    ASSERT_EQ(sh(cmd), 0) << cmd;
  auto kv = open();
  ASSERT_TRUE(kv);
  const uint32_t va = ifindex("va");
  for (const char* a : {"10.1.0.254", "10.1.0.253", "10.1.0.88", "10.1.0.89"})
    kv->resolve(va, A(a));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(output("ip neigh show 10.1.0.254 dev va"),
            "10.1.0.254 lladdr 02:00:00:00:00:fe PERMANENT \n");
  EXPECT_EQ(output("ip neigh show nud noarp 10.1.0.253 dev va"),
            "10.1.0.253 lladdr 02:00:00:00:00:fd NOARP \n");
  EXPECT_TRUE(wait_output("ip neigh show 10.1.0.88 dev va", {"INCOMPLETE"}))
      << output("ip neigh show dev va");
  EXPECT_TRUE(wait_output("ip neigh show 10.1.0.89 dev va", {"DELAY", "PROBE", "FAILED"}))
      << output("ip neigh show dev va");
}

TEST_F(KernelViewTest, ResolvedAnswerReachesTheSnapshot) {
  ASSERT_NO_FATAL_FAILURE(build_links());
  // vb answers for 10.1.0.2; the request's source (10.1.0.1) is local to this namespace
  // too, which the kernel only accepts on vb with accept_local.
  ASSERT_EQ(sh("ip addr add 10.1.0.2/32 dev vb"), 0);
  ASSERT_EQ(sh("sysctl -qw net.ipv4.conf.vb.accept_local=1"), 0);
  auto kv = open();
  ASSERT_TRUE(kv);
  kv->start();
  const uint32_t va = ifindex("va");
  EXPECT_FALSE(kv->snapshot()->neighbours.find(va, A("10.1.0.2")));
  kv->resolve(va, A("10.1.0.2"));
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) {
    return s.neighbours.find(va, A("10.1.0.2")) == net::Mac{2, 0, 0, 0, 0, 0x0b};
  })) << output("ip neigh show dev va");
}

TEST_F(KernelViewTest, StopWakesTheThreadPromptly) {
  auto kv = open();
  ASSERT_TRUE(kv);
  kv->start();
  kv->start();  // already running: nothing happens
  std::this_thread::sleep_for(20ms);
  const auto t0 = Clock::now();
  kv->stop();
  EXPECT_LT(Clock::now() - t0, 200ms);
  kv->stop();  // stopped: nothing happens
  // Started again, it still follows the kernel.
  kv->start();
  ASSERT_EQ(sh("ip link add d5 type veth peer name d5p"), 0);
  ASSERT_EQ(sh("ip link set d5 up"), 0);
  const uint32_t d5 = ifindex("d5");
  EXPECT_TRUE(wait_for(*kv, [&](const KernelSnapshot& s) { return find_interface(s, d5); }));
}

}  // namespace
}  // namespace ulvs::dataplane
