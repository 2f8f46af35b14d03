// dh_test.cc — destination hashing: bucket i = list[i mod N], weights ignored, refusal without
// fallback, rebuilt on add/delete only.
#include <random>

#include "sched_fixture.h"

namespace ulvs::sched {
namespace {

using testing::DestSet;

PacketKey to(uint32_t daddr, uint32_t saddr = 0x0A000001) {
  PacketKey k;
  k.saddr = net::Addr::v4(saddr);
  k.daddr = net::Addr::v4(daddr);
  return k;
}

// For every bucket, the first destination v hashing there (hash_32(v, 8) is onto within a few
// thousand v).
std::vector<uint32_t> one_address_per_bucket() {
  std::vector<uint32_t> addr(256);
  std::vector<bool> seen(256);
  for (uint32_t v = 0, found = 0; found < 256; ++v) {
    uint32_t b = net::hash_32(v, 8);
    if (!seen[b]) {
      seen[b] = true;
      addr[b] = v;
      ++found;
    }
  }
  return addr;
}

struct Dh : ::testing::Test {
  Dh() {
    // Weights do not matter to dh's table: A(5), B(1), C(1) still deal one bucket each.
    ds.add("A", 5);
    ds.add("B", 1);
    ds.add("C", 1);  // list C, B, A
  }
  std::string pick(const PacketKey& k) { return ds.name(s->schedule(ds.list(), k, 0)); }
  // The expected owner of each bucket for the current list: list[i mod N].
  void expect_table() {
    auto list = ds.list();
    auto addr = one_address_per_bucket();
    for (size_t b = 0; b < 256; ++b)
      EXPECT_EQ(pick(to(addr[b])), ds.name(list[b % list.size()])) << b;
  }
  DestSet ds;
  std::unique_ptr<Scheduler> s = make_dh();
};

TEST_F(Dh, BucketIsListIndexModN) {
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  expect_table();
  // 10.0.0.1 → bucket 39 (see sh_test), 39 mod 3 = 0 → C.
  EXPECT_EQ(pick(to(0x0A000001)), "C");
}

TEST_F(Dh, KeysOnTheDestinationAsItIs) {
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  // Any client, same destination: same server.  An ICMP-embedded packet is not swapped.
  PacketKey k = to(0x0A000001, 0xC6336401);
  EXPECT_EQ(pick(k), "C");
  k.inverse = true;
  EXPECT_EQ(pick(k), "C");
  // Every octet matters (hash_32 of the whole address): 10.0.0.2 → bucket 137 → 137 mod 3 = 2.
  EXPECT_EQ(pick(to(0x0A000002)), "A");
}

TEST_F(Dh, RefusedWithoutFallback) {
  ASSERT_EQ(s->init(ds.list(), {.fallback = true}), 0);  // dh has no fallback flag
  ds.set_weight(ds["C"], 0);
  s->upd_dest(ds.list(), ds["C"]);
  EXPECT_EQ(pick(to(0x0A000001)), "-");
  EXPECT_EQ(pick(to(0x0A000002)), "A");  // other buckets unaffected
  ds.set_weight(ds["C"], 1);
  ds["C"].overloaded = true;
  EXPECT_EQ(pick(to(0x0A000001)), "-");
}

TEST_F(Dh, RebuiltOnAddAndDeleteOnly) {
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  ds.add("D");
  s->add_dest(ds.list(), ds["D"]);
  expect_table();  // D, C, B, A: i mod 4
  EXPECT_EQ(pick(to(0x0A000001)), "A");  // 39 mod 4 = 3
  ds.remove(ds["C"]);
  s->del_dest(ds.list(), ds["C"]);
  expect_table();  // D, B, A: i mod 3
  EXPECT_EQ(pick(to(0x0A000001)), "D");
  ds.set_weight(ds["B"], 7);
  s->upd_dest(ds.list(), ds["B"]);
  expect_table();  // unchanged by an edit
}

TEST(DhEmpty, NoServers) {
  DestSet ds;
  auto s = make_dh();
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  EXPECT_EQ(s->schedule(ds.list(), to(0x0A000001), 0), nullptr);
}

TEST(DhProperties, RandomDestinations) {
  DestSet ds;
  ds.add("O", 3).overloaded = true;
  ds.add("Q", 0);
  ds.add("A", 1);
  ds.add("B", 2);  // list B, A, Q, O: each owns 64 buckets
  auto s = make_dh();
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  std::mt19937 rng(2);
  const int n = 100000;
  std::map<std::string, int> got;
  for (int i = 0; i < n; ++i) {
    PacketKey k = to(rng(), rng());
    ipvs::Dest* d = s->schedule(ds.list(), k, 0);
    if (d) {
      EXPECT_TRUE(eligible(*d));
    }
    k.saddr = net::Addr::v4(rng());  // another client to the same destination
    EXPECT_EQ(s->schedule(ds.list(), k, 0), d);
    ++got[ds.name(d)];
  }
  // 256 buckets over 4 servers: a quarter each, whatever the weights; Q and O are refused.
  EXPECT_NEAR(got["A"] / double(n), 0.25, 0.01);
  EXPECT_NEAR(got["B"] / double(n), 0.25, 0.01);
  EXPECT_NEAR(got["-"] / double(n), 0.50, 0.01);
}

}  // namespace
}  // namespace ulvs::sched
