// lblcr_test.cc — lblc with replication: the set grows when its best member is overloaded,
// the least loaded member serves, and a set unchanged for lblcr_expiration sheds its most
// loaded member.
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
constexpr uint32_t X = 0x0A010101, Y = 0x0A010102;

struct Lblcr : ::testing::Test {
  explicit Lblcr(SchedSysctl sysctl = {}) : s(make_lblcr(sysctl)) {
    ds.add("A");
    ds.add("B");  // list B, A: on equal load wlc keeps the first, B
    EXPECT_EQ(s->init(ds.list(), {}), 0);
  }
  std::string pick(uint32_t daddr, ipvs::TimeMs now = 0) {
    return ds.name(s->schedule(ds.list(), to(daddr), now));
  }
  void load(uint32_t a, uint32_t b) {
    ds["A"].activeconns = a;
    ds["B"].activeconns = b;
  }
  DestSet ds;
  std::unique_ptr<Scheduler> s;
};

TEST_F(Lblcr, SetGrowsWhenItsBestIsOverloaded) {
  EXPECT_EQ(pick(X), "B");  // new entry, set {B}
  load(0, 1);
  EXPECT_EQ(pick(X), "B");  // 1 active is not more than weight 1: B keeps it
  load(0, 2);               // B: 2 > 1 and A under half (0*2 < 1): lblc-overloaded
  EXPECT_EQ(pick(X), "A");  // wlc → A joins: set {A, B}
  // Now the lighter member serves.
  load(1, 0);
  EXPECT_EQ(pick(X), "B");
  load(0, 1);
  EXPECT_EQ(pick(X), "A");
  load(1, 1);
  EXPECT_EQ(pick(X), "A");  // tie: the newest member (set head) wins

  // The set, not the service, is searched: an idle C does not get X …
  ipvs::Dest& c = ds.add("C");
  s->add_dest(ds.list(), c);
  EXPECT_EQ(pick(X), "A");
  EXPECT_EQ(pick(Y), "C");  // … while a new address gets wlc's choice
}

TEST_F(Lblcr, UnusableMembersAreSkipped) {
  EXPECT_EQ(pick(X), "B");
  load(0, 2);
  EXPECT_EQ(pick(X), "A");  // {A, B}
  load(0, 0);
  ds["A"].overloaded = true;  // unlike lblc, set members are checked for OVERLOAD
  EXPECT_EQ(pick(X), "B");
  ds["A"].overloaded = false;
  ds.set_weight(ds["A"], 0);
  EXPECT_EQ(pick(X), "B");
  ds.set_weight(ds["A"], 1);
  ipvs::Dest& a = ds["A"];
  ds.remove(a);  // deleted: not AVAILABLE
  s->del_dest(ds.list(), a);
  EXPECT_EQ(pick(X), "B");
  // No usable member and no usable server in the service: no server.
  ds.set_weight(ds["B"], 0);
  EXPECT_EQ(pick(X), "-");
}

struct LblcrExpiry : Lblcr {
  LblcrExpiry() : Lblcr(SchedSysctl{.lblcr_expiration = seconds(600)}) {}
};

TEST_F(LblcrExpiry, MostLoadedMemberDroppedAfterExpiration) {
  EXPECT_EQ(pick(X, 0), "B");
  load(0, 2);
  EXPECT_EQ(pick(X, 1000), "A");  // {A, B}, lastmod = 1 s
  // Exactly lastmod + expiration is not yet "after": A still a member (and the lighter).
  load(0, 1);
  EXPECT_EQ(pick(X, 1000 + seconds(600)), "A");
  // 1 ms later: the lighter B serves, and the heavier A (256 vs 0) leaves the set.
  load(1, 0);
  EXPECT_EQ(pick(X, 1001 + seconds(600)), "B");
  // Only B is left: it serves although A is lighter now (B is not lblc-overloaded).
  load(0, 1);
  EXPECT_EQ(pick(X, 1002 + seconds(600)), "B");
}

TEST_F(LblcrExpiry, DroppedMemberMayBeTheOneServing) {
  EXPECT_EQ(pick(X, 0), "B");
  load(0, 2);
  EXPECT_EQ(pick(X, 0), "A");  // {A, B}, lastmod 0
  load(0, 0);
  // Equal load: the least loaded is A (first), and so is the "most" loaded (the later B is not
  // strictly heavier).  A is dropped but still serves this connection.
  EXPECT_EQ(pick(X, seconds(601)), "A");
  EXPECT_EQ(pick(X, seconds(602)), "B");  // {B}
}

TEST_F(LblcrExpiry, EntriesExpireInTheThirtiethRun) {
  s->tick(0);
  EXPECT_EQ(pick(X, 0), "B");
  EXPECT_EQ(pick(Y, 0), "B");
  load(0, 1);  // fresh picks say A, cached sets {B} say B
  for (ipvs::TimeMs t = 1000; t <= seconds(1500); t += 1000) s->tick(t);
  EXPECT_EQ(pick(Y, seconds(1500)), "B");
  for (ipvs::TimeMs t = seconds(1501); t <= seconds(1800); t += 1000) s->tick(t);
  EXPECT_EQ(pick(X, seconds(1800)), "A");  // idle 1800 s >= 600: a new entry
  EXPECT_EQ(pick(Y, seconds(1800)), "B");  // idle 300 s: kept
}

TEST_F(Lblcr, NoNewEntriesOverTheSizeLimit) {
  for (uint32_t i = 0; i <= 16384; ++i) ASSERT_EQ(pick(0x0A000000 + i), "B");
  EXPECT_EQ(pick(X), "B");
  load(0, 1);
  EXPECT_EQ(pick(X), "A");  // X was not remembered
  EXPECT_EQ(pick(0x0A000000), "B");
}

}  // namespace
}  // namespace ulvs::sched
