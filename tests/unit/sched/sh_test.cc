// sh_test.cc — source hashing: the spec's worked example, the weighted bucket fill, fallback,
// and properties over random clients.
#include <random>

#include "sched_fixture.h"

namespace ulvs::sched {
namespace {

using testing::DestSet;

PacketKey from(const char* saddr, uint16_t sport = 0) {
  PacketKey k;
  k.saddr = *net::Addr::parse(saddr);
  k.sport = sport;
  k.daddr = *net::Addr::parse("192.0.2.1");
  k.dport = 80;
  return k;
}
PacketKey from(uint32_t saddr) {
  PacketKey k;
  k.saddr = net::Addr::v4(saddr);
  return k;
}

// Bucket owners, found by probing: client v (port 0) lands in bucket hash_32(v, 8), and the
// multiplicative hash reaches every bucket within the first few thousand v.
std::map<std::string, int> bucket_counts(DestSet& ds, Scheduler& s) {
  std::map<std::string, int> counts;
  std::vector<bool> seen(256);
  int found = 0;
  for (uint32_t v = 0; found < 256; ++v) {
    uint32_t b = net::hash_32(v, 8);
    if (seen[b]) continue;
    seen[b] = true;
    ++found;
    ++counts[ds.name(s.schedule(ds.list(), from(v), 0))];
  }
  return counts;
}

struct Sh : ::testing::Test {
  // Added A, B, C: the list is C, B, A and bucket i holds list[i mod 3].
  Sh() {
    ds.add("A");
    ds.add("B");
    ds.add("C");
  }
  std::string pick(const PacketKey& k) { return ds.name(s->schedule(ds.list(), k, 0)); }
  DestSet ds;
  std::unique_ptr<Scheduler> s = make_sh();
};

TEST_F(Sh, SpecExample) {
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  // 0x0A000001 * 0x61C88647 = 0x27C88647 (mod 2^32): top byte 0x27 = 39; 39 mod 3 = 0 → C.
  EXPECT_EQ(net::hash_32(0x0A000001, 8), 39u);
  EXPECT_EQ(pick(from("10.0.0.1")), "C");
  EXPECT_EQ(pick(from("10.0.0.2")), "A");  // bucket 137, 137 mod 3 = 2
  EXPECT_EQ(pick(from("10.0.0.3")), "B");  // bucket 235, 235 mod 3 = 1
  EXPECT_EQ(pick(from("192.168.1.1")), "B");  // bucket 136, 136 mod 3 = 1
}

TEST_F(Sh, SpecPortExample) {
  ASSERT_EQ(s->init(ds.list(), {.port = true}), 0);
  EXPECT_EQ(pick(from("10.0.0.1", 1024)), "B");  // bucket 73
  EXPECT_EQ(pick(from("10.0.0.1", 1025)), "C");  // bucket 171
  EXPECT_EQ(pick(from("10.0.0.1", 1026)), "B");  // bucket 13
  // Ports only count for TCP, UDP and SCTP: ICMP hashes the address alone (bucket 39).
  PacketKey icmp = from("10.0.0.1", 1024);
  icmp.protocol = 1;
  EXPECT_EQ(pick(icmp), "C");
  // Without the flag the port is ignored.
  s->set_flags(ds.list(), {});
  EXPECT_EQ(pick(from("10.0.0.1", 1024)), "C");
}

TEST_F(Sh, SpecQuiescedAndFallback) {
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  ds.set_weight(ds["C"], 0);
  s->upd_dest(ds.list(), ds["C"]);
  // A weight-0 server still owns one bucket per cycle, so bucket 39 is still C: refused.
  EXPECT_EQ(pick(from("10.0.0.1")), "-");
  // Fallback probes (39 + 39 + offset) & 255: bucket 78 (C, refused), then 79;
  // 79 mod 3 = 1 → B.
  s->set_flags(ds.list(), {.fallback = true});
  EXPECT_EQ(pick(from("10.0.0.1")), "B");
  // Overload is refused the same way.
  ds.set_weight(ds["C"], 1);
  s->upd_dest(ds.list(), ds["C"]);
  ds["C"].overloaded = true;
  EXPECT_EQ(pick(from("10.0.0.1")), "B");
  s->set_flags(ds.list(), {});
  EXPECT_EQ(pick(from("10.0.0.1")), "-");
}

TEST_F(Sh, InverseHashesTheDestination) {
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  PacketKey k;
  k.saddr = *net::Addr::parse("192.168.1.1");  // bucket 136 → B if it were used
  k.daddr = *net::Addr::parse("10.0.0.1");     // bucket 39 → C
  k.inverse = true;
  EXPECT_EQ(pick(k), "C");
}

TEST_F(Sh, RebuiltOnAddDeleteAndEdit) {
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  ds.remove(ds["C"]);
  s->del_dest(ds.list(), ds["C"]);
  EXPECT_EQ(pick(from("10.0.0.1")), "A");  // list B, A: 39 mod 2 = 1
  ds.set_weight(ds["B"], 2);
  s->upd_dest(ds.list(), ds["B"]);
  EXPECT_EQ(pick(from("10.0.0.1")), "B");  // B B A …: 39 mod 3 = 0
  ds.add("D");
  s->add_dest(ds.list(), ds["D"]);
  EXPECT_EQ(pick(from("10.0.0.1")), "A");  // D B B A …: 39 mod 4 = 3
}

TEST(ShWeights, SpecFill) {
  DestSet ds;
  ds.add("Y", 1);
  ds.add("X", 2);  // list X(2), Y(1): X X Y repeated; 256 = 85*3 + 1 → X 171, Y 85
  auto s = make_sh();
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  EXPECT_EQ(bucket_counts(ds, *s), (std::map<std::string, int>{{"X", 171}, {"Y", 85}}));
}

TEST(ShWeights, QuiescedStillFillsOneBucketPerCycle) {
  DestSet ds;
  ds.add("Y", 1);
  ds.add("X", 0);  // list X(0), Y(1): X Y X Y … → 128 each; X's are refused
  auto s = make_sh();
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  EXPECT_EQ(bucket_counts(ds, *s), (std::map<std::string, int>{{"-", 128}, {"Y", 128}}));
}

TEST(ShEmpty, NoServers) {
  DestSet ds;
  auto s = make_sh();
  ASSERT_EQ(s->init(ds.list(), {.fallback = true}), 0);
  EXPECT_EQ(s->schedule(ds.list(), from("10.0.0.1"), 0), nullptr);
}

TEST(ShProperties, RandomClients) {
  DestSet ds;
  // List W1(1), W2(2), W3(3), W4(4), Q(0), O(5, overloaded).
  ds.add("O", 5).overloaded = true;
  ds.add("Q", 0);
  for (int w = 4; w >= 1; --w) ds.add("W" + std::to_string(w), w);
  auto s = make_sh();
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  auto fb = make_sh();
  ASSERT_EQ(fb->init(ds.list(), {.fallback = true}), 0);

  std::mt19937 rng(1);
  const int n = 100000;
  std::map<std::string, int> got;
  for (int i = 0; i < n; ++i) {
    PacketKey k = from(rng());
    ipvs::Dest* d = s->schedule(ds.list(), k, 0);
    if (d) {
      EXPECT_TRUE(eligible(*d));
    }
    EXPECT_EQ(s->schedule(ds.list(), k, 0), d);  // same client, same server
    ipvs::Dest* f = fb->schedule(ds.list(), k, 0);
    ASSERT_NE(f, nullptr);  // live servers exist, so the fallback always finds one
    EXPECT_TRUE(eligible(*f));
    if (d) {
      EXPECT_EQ(f, d);  // fallback only changes refused clients
    }
    ++got[ds.name(d)];
  }
  // Buckets are dealt in cycles of 1+2+3+4+1+5 = 16, 256/16 cycles exactly, so each server's
  // share of clients is weight/16; Q (1 bucket a cycle) and O (5) are refused: 6/16 get "-".
  for (int w = 1; w <= 4; ++w)
    EXPECT_NEAR(got["W" + std::to_string(w)] / double(n), w / 16.0, 0.01) << w;
  EXPECT_NEAR(got["-"] / double(n), 6 / 16.0, 0.01);
}

}  // namespace
}  // namespace ulvs::sched
