// lblc_test.cc — locality-based least connection: cache hits, the lblc-overloaded rule,
// expiry in the 30th garbage-collection run, and the table's size limit.
#include "sched_fixture.h"

namespace ulvs::sched {
namespace {

using testing::DestSet;
using ipvs::seconds;

PacketKey to(uint32_t daddr) {
  PacketKey k;
  k.saddr = net::Addr::v4(0xC0000201);
  k.daddr = net::Addr::v4(daddr);
  return k;
}
constexpr uint32_t X = 0x0A010101, Y = 0x0A010102, Z = 0x0A010103;

struct Lblc : ::testing::Test {
  explicit Lblc(SchedSysctl sysctl = {}) : s(make_lblc(sysctl)) {
    ds.add("A");
    ds.add("B");  // list B, A: on equal load wlc keeps the first, B
    EXPECT_EQ(s->init(ds.list(), {}), 0);
  }
  std::string pick(uint32_t daddr, ipvs::TimeMs now = 0) {
    return ds.name(s->schedule(ds.list(), to(daddr), now));
  }
  // Ticks every second from `from` to `until` inclusive, as the service does.
  void tick_through(ipvs::TimeMs from, ipvs::TimeMs until) {
    for (ipvs::TimeMs t = from; t <= until; t += 1000) s->tick(t);
  }
  DestSet ds;
  std::unique_ptr<Scheduler> s;
};

TEST_F(Lblc, CacheHitKeepsTheServer) {
  EXPECT_EQ(pick(X), "B");
  // B now has 1 active (overhead 256) and A none: wlc would say A, but 1 active is not more
  // than B's weight, so X stays on B.
  ds["B"].activeconns = 1;
  EXPECT_EQ(pick(X), "B");
  EXPECT_EQ(pick(Y), "A");  // a new address gets wlc's choice
  // The threshold OVERLOAD flag is not consulted on a hit.
  ds["B"].overloaded = true;
  EXPECT_EQ(pick(X), "B");
  // Keyed on the destination only, taken as is: other clients, ICMP-embedded packets alike.
  PacketKey k = to(X);
  k.saddr = net::Addr::v4(0xC0000299);
  k.inverse = true;
  EXPECT_EQ(ds.name(s->schedule(ds.list(), k, 0)), "B");
}

TEST_F(Lblc, LblcOverloadedRule) {
  EXPECT_EQ(pick(X), "B");
  // B: 2 active > weight 1, but nobody is under half load (A: 1*2 < 1 is false) → stays.
  ds["B"].activeconns = 2;
  ds["A"].activeconns = 1;
  EXPECT_EQ(pick(X), "B");
  // A drops to 0 active (0*2 < 1): B is lblc-overloaded, wlc picks A and the entry follows.
  ds["A"].activeconns = 0;
  EXPECT_EQ(pick(X), "A");
  ds["B"].activeconns = 0;
  ds["A"].activeconns = 1;
  EXPECT_EQ(pick(X), "A");
}

TEST_F(Lblc, QuiescedOrDeletedServerIsLeft) {
  EXPECT_EQ(pick(X), "B");
  EXPECT_EQ(pick(Y), "B");
  ds.set_weight(ds["B"], 0);
  s->upd_dest(ds.list(), ds["B"]);
  EXPECT_EQ(pick(X), "A");
  // A deleted server is no longer AVAILABLE: its cached addresses move on.
  ds.set_weight(ds["B"], 1);
  ipvs::Dest& b = ds["B"];
  ds.remove(b);
  s->del_dest(ds.list(), b);
  EXPECT_EQ(pick(Y), "A");
}

TEST_F(Lblc, NoServer) {
  ds.set_weight(ds["A"], 0);
  ds["B"].overloaded = true;
  EXPECT_EQ(pick(X), "-");
}

struct LblcExpiry : Lblc {
  LblcExpiry() : Lblc(SchedSysctl{.lblc_expiration = seconds(600)}) {}
};

TEST_F(LblcExpiry, FullCheckEveryThirtiethRun) {
  // The collector runs every 60 s after the first tick; runs 1..29 (t = 60..1740 s) only count
  // while the table is small, run 30 (t = 1800 s) drops entries idle >= lblc_expiration.
  s->tick(0);
  EXPECT_EQ(pick(X, 0), "B");
  EXPECT_EQ(pick(Y, 0), "B");
  EXPECT_EQ(pick(Z, 0), "B");
  ds["B"].activeconns = 1;  // from now on a fresh wlc pick is A, a cached hit B
  tick_through(1000, seconds(1500));
  EXPECT_EQ(pick(Y, seconds(1500)), "B");  // Y: idle 300 s at run 30
  tick_through(seconds(1501), seconds(1741));
  EXPECT_EQ(pick(Z, seconds(1741)), "B");  // idle 1741 s yet kept: no full check yet
  tick_through(seconds(1742), seconds(1800));
  EXPECT_EQ(pick(X, seconds(1800)), "A");  // idle 1800 s >= 600: gone, scheduled afresh
  EXPECT_EQ(pick(Y, seconds(1800)), "B");
  EXPECT_EQ(pick(Z, seconds(1800)), "B");  // idle 59 s
}

TEST_F(Lblc, ExpirationChangedWhileRunning) {
  // Created with the default 24 h; lblc_expiration = 600 written later (ulvsadm --sysctl)
  // applies to the entries already there, as the kernel reads the sysctl at every check.
  s->tick(0);
  EXPECT_EQ(pick(X, 0), "B");
  ds["B"].activeconns = 1;
  s->set_sysctl(SchedSysctl{.lblc_expiration = seconds(600)});
  tick_through(1000, seconds(1800));
  EXPECT_EQ(pick(X, seconds(1800)), "A");  // idle 1800 s >= 600: gone at run 30
}

TEST_F(Lblc, SizeLimitAndOverSizeCollection) {
  // 16385 addresses at t = 0, all on B.  The last one is created at 16384 entries (not yet
  // over the limit); after that the table is over 16384 and makes no new entries.
  constexpr uint32_t kBase = 0x0A000000, kMax = 16384;
  s->tick(0);
  for (uint32_t i = 0; i <= kMax; ++i) ASSERT_EQ(pick(kBase + i), "B");
  const uint32_t W = 0x0B000001;
  EXPECT_EQ(pick(W), "B");  // served, but not remembered
  ds["B"].activeconns = 1;  // fresh picks now say A, cached ones B
  EXPECT_EQ(pick(W), "A");
  EXPECT_EQ(pick(kBase + kMax), "B");

  // Over size, each 60 s run removes entries idle >= 6 min, bucket by bucket after the rover
  // (bucket 0), stopping after the bucket where goal = (16385 - 16384) * 4/3 = 1 was reached.
  // Runs 1-5 (60..300 s) find nothing that idle; run 6 (360 s) empties exactly the first
  // non-empty bucket after bucket 0.
  std::vector<std::vector<uint32_t>> buckets(1024);
  for (uint32_t i = 0; i <= kMax; ++i) buckets[net::hash_32(kBase + i, 10)].push_back(kBase + i);
  size_t first = 1;
  while (buckets[first].empty()) ++first;
  tick_through(1000, seconds(361));

  // Back under the limit: W is remembered now (on A, the fresh pick).
  EXPECT_EQ(pick(W, seconds(361)), "A");
  ds["A"].activeconns = 1;
  ds["B"].activeconns = 0;
  EXPECT_EQ(pick(W, seconds(361)), "A");  // a fresh pick would be B
  ds["A"].activeconns = 0;
  ds["B"].activeconns = 1;
  for (size_t b = 0; b < 1024; ++b)
    for (uint32_t a : buckets[b]) ASSERT_EQ(pick(a, seconds(361)), b == first ? "A" : "B") << b;
}

}  // namespace
}  // namespace ulvs::sched
