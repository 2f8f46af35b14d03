// mh_test.cc — Maglev hashing: the spec's example and slot counts, quiesced servers keeping
// their slots, fallback, the table-size limit, and consistency / minimal disruption.
#include <algorithm>
#include <cerrno>
#include <random>

#include "sched/siphash.h"
#include "sched_fixture.h"

namespace ulvs::sched {
namespace {

using testing::DestSet;

constexpr uint32_t kSize = 4093;
constexpr HsipKey kKey1{2654435761u, 2654435761u};  // ip_vs_mh.c generate_hash_secret

uint32_t slot_of(uint32_t key) { return hsiphash_u32(key, kKey1) % kSize; }

PacketKey from(uint32_t saddr, uint16_t sport = 0) {
  PacketKey k;
  k.saddr = net::Addr::v4(saddr);
  k.sport = sport;
  return k;
}

// For every slot, one client (port 0) whose lookup lands there: the client with address v
// looks up slot hsiphash(v) mod 4093.
const std::vector<uint32_t>& client_per_slot() {
  static const std::vector<uint32_t> clients = [] {
    std::vector<uint32_t> c(kSize);
    std::vector<bool> seen(kSize);
    for (uint32_t v = 0, found = 0; found < kSize; ++v) {
      uint32_t s = slot_of(v);
      if (!seen[s]) {
        seen[s] = true;
        c[s] = v;
        ++found;
      }
    }
    return c;
  }();
  return clients;
}

// The lookup table as seen through schedule(): owner name of every slot ("-" if refused).
std::vector<std::string> owners(DestSet& ds, Scheduler& s) {
  std::vector<std::string> out;
  for (uint32_t v : client_per_slot()) out.push_back(ds.name(s.schedule(ds.list(), from(v), 0)));
  return out;
}

std::map<std::string, int> slot_counts(DestSet& ds, Scheduler& s) {
  std::map<std::string, int> counts;
  for (const std::string& o : owners(ds, s)) ++counts[o];
  return counts;
}

// Builds the list head first (adding in reverse) and binds a fresh mh.
std::unique_ptr<Scheduler> bound(DestSet& ds, std::vector<std::pair<std::string, int>> list,
                                 SchedFlags flags = {}) {
  for (auto it = list.rbegin(); it != list.rend(); ++it) ds.add(it->first, it->second);
  auto s = make_mh();
  EXPECT_EQ(s->init(ds.list(), flags), 0);
  return s;
}

TEST(Mh, SpecExample) {
  DestSet ds;  // the fixture names A, B, C 192.168.10.1:80, .2:80, .3:80
  ds.add("A");
  ds.add("B");
  ds.add("C");
  auto s = make_mh();
  ASSERT_EQ(s->init(ds.list(), {}), 0);
  EXPECT_EQ(slot_of(0x0A000001), 3711u);
  EXPECT_EQ(slot_of(0x0A000002), 1884u);
  EXPECT_EQ(slot_of(0x0A000003), 3741u);
  EXPECT_EQ(ds.name(s->schedule(ds.list(), from(0x0A000001), 0)), "B");  // 192.168.10.2
  EXPECT_EQ(ds.name(s->schedule(ds.list(), from(0x0A000002), 0)), "C");  // 192.168.10.3
  EXPECT_EQ(ds.name(s->schedule(ds.list(), from(0x0A000003), 0)), "C");
  // Equal turns, one slot each per round: 4093 = 3*1364 + 1, the extra to the list head (C).
  EXPECT_EQ(slot_counts(ds, *s),
            (std::map<std::string, int>{{"A", 1364}, {"B", 1364}, {"C", 1365}}));
}

TEST(Mh, SlotCountsFollowTurns) {
  using Counts = std::map<std::string, int>;
  {  // turns 1:2, 3 slots a round: 1364 rounds + 1 slot for the head B → 1365 / 2728.
    DestSet ds;
    auto s = bound(ds, {{"B", 1}, {"A", 2}});
    EXPECT_EQ(slot_counts(ds, *s), (Counts{{"A", 2728}, {"B", 1365}}));
  }
  {  // fls(100) = 7 > 6 → shift 1: turns B 0→1, A 50; 51 a round: 80 rounds + 13 (B 1, A 12).
    DestSet ds;
    auto s = bound(ds, {{"B", 1}, {"A", 100}});
    EXPECT_EQ(slot_counts(ds, *s), (Counts{{"A", 4012}, {"B", 81}}));
  }
  {  // Same turns, A first: the 13 left over all go to A.
    DestSet ds;
    auto s = bound(ds, {{"A", 100}, {"B", 1}});
    EXPECT_EQ(slot_counts(ds, *s), (Counts{{"A", 4013}, {"B", 80}}));
  }
  {  // 64:1 → shift 1 → 32:1; 33 a round: 124 rounds + 1 → X 124*32 + 1, Y 124.
    DestSet ds;
    auto s = bound(ds, {{"X", 64}, {"Y", 1}});
    EXPECT_EQ(slot_counts(ds, *s), (Counts{{"X", 3969}, {"Y", 124}}));
  }
  {  // 63:1 → fls(63) = 6, no shift; 64 a round: 63 rounds + 61 → X 63*63 + 61, Y 63.
    DestSet ds;
    auto s = bound(ds, {{"X", 63}, {"Y", 1}});
    EXPECT_EQ(slot_counts(ds, *s), (Counts{{"X", 4030}, {"Y", 63}}));
  }
  {  // The gcd goes first: 6:4 is 3:2 → 5 a round: 818 rounds + 3 → X 818*3 + 3, Y 818*2.
    DestSet ds;
    auto s = bound(ds, {{"X", 6}, {"Y", 4}});
    EXPECT_EQ(slot_counts(ds, *s), (Counts{{"X", 2457}, {"Y", 1636}}));
  }
}

TEST(Mh, QuiescedServerKeepsItsSlots) {
  DestSet ds;
  auto s = bound(ds, {{"C", 1}, {"B", 1}, {"A", 1}});
  const auto before = owners(ds, *s);
  ds.set_weight(ds["B"], 0);  // last_weight stays 1
  s->upd_dest(ds.list(), ds["B"]);
  const auto after = owners(ds, *s);
  for (size_t i = 0; i < kSize; ++i) EXPECT_EQ(after[i], before[i] == "B" ? "-" : before[i]) << i;

  // With mh-fallback, B's clients go to a live server and everybody else stays.
  s->set_flags(ds.list(), {.fallback = true});
  const auto fb = owners(ds, *s);
  for (size_t i = 0; i < kSize; ++i) {
    if (before[i] == "B")
      EXPECT_TRUE(fb[i] == "A" || fb[i] == "C") << i;
    else
      EXPECT_EQ(fb[i], before[i]) << i;
  }
  // Overload is refused the same way.
  ds.set_weight(ds["B"], 1);
  s->upd_dest(ds.list(), ds["B"]);
  ds["A"].overloaded = true;
  for (const std::string& o : owners(ds, *s)) EXPECT_NE(o, "A");
}

TEST(Mh, AllQuiescedFromTheStartIsAnEmptyTable) {
  DestSet ds;
  auto s = bound(ds, {{"A", 0}, {"B", 0}}, {.fallback = true});  // last_weight 0 too
  EXPECT_EQ(s->schedule(ds.list(), from(0x0A000001), 0), nullptr);
}

TEST(Mh, PortFlag) {
  DestSet ds;
  auto s = bound(ds, {{"C", 1}, {"B", 1}, {"A", 1}});
  const auto table = owners(ds, *s);
  s->set_flags(ds.list(), {.port = true});
  // With mh-port the key is port + address: slot hsiphash(port + 0x0A000001) mod 4093.
  for (uint16_t port : {1024, 1025, 1026, 40000}) {
    EXPECT_EQ(ds.name(s->schedule(ds.list(), from(0x0A000001, port), 0)),
              table[slot_of(0x0A000001 + port)]);
    PacketKey icmp = from(0x0A000001, port);  // no ports outside TCP/UDP/SCTP
    icmp.protocol = 1;
    EXPECT_EQ(ds.name(s->schedule(ds.list(), icmp, 0)), table[slot_of(0x0A000001)]);
  }
  // Inverse (ICMP-embedded) packets hash the destination and destination port.
  PacketKey inv;
  inv.saddr = net::Addr::v4(0xC0000201);
  inv.daddr = net::Addr::v4(0x0A000001);
  inv.dport = 1024;
  inv.inverse = true;
  EXPECT_EQ(ds.name(s->schedule(ds.list(), inv, 0)), table[slot_of(0x0A000001 + 1024)]);
}

TEST(Mh, TableSizeLimit) {
  DestSet ds;
  for (uint32_t i = 0; i < kSize; ++i) ds.add("D" + std::to_string(i));
  auto s = make_mh();
  ASSERT_EQ(s->init(ds.list(), {}), 0);  // exactly one slot each
  const auto before = owners(ds, *s);

  // Crossing the limit: the add itself succeeds, the old table stays.
  ds.add("X");
  s->add_dest(ds.list(), ds["X"]);
  EXPECT_EQ(owners(ds, *s), before);

  // Binding to a service with more servers than slots fails.
  EXPECT_EQ(make_mh()->init(ds.list(), {}), -EINVAL);

  // Back under the limit, the table is rebuilt and X gets its slot.
  ds.remove(ds["D0"]);
  s->del_dest(ds.list(), ds["D0"]);
  const auto rebuilt = owners(ds, *s);
  EXPECT_EQ(std::ranges::count(rebuilt, "X"), 1);
  EXPECT_EQ(std::ranges::count(rebuilt, "D0"), 0);
}

TEST(MhProperties, RandomClients) {
  DestSet ds;
  auto s = bound(ds, {{"W1", 1}, {"W2", 2}, {"W3", 3}, {"W4", 4}, {"Q", 1}, {"O", 2}});
  ds.set_weight(ds["Q"], 0);  // quiesced: keeps its slots (last_weight 1) but is refused
  s->upd_dest(ds.list(), ds["Q"]);
  ds["O"].overloaded = true;
  auto fb = make_mh();
  ASSERT_EQ(fb->init(ds.list(), {.fallback = true}), 0);

  std::mt19937 rng(3);
  const int n = 100000;
  std::map<std::string, int> got;
  for (int i = 0; i < n; ++i) {
    PacketKey k = from(rng());
    ipvs::Dest* d = s->schedule(ds.list(), k, 0);
    if (d) {
      EXPECT_TRUE(eligible(*d));
    }
    EXPECT_EQ(s->schedule(ds.list(), k, 0), d);
    ipvs::Dest* f = fb->schedule(ds.list(), k, 0);
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(eligible(*f));
    if (d) {
      EXPECT_EQ(f, d);
    }
    ++got[ds.name(d)];
  }
  // Turns 1:2:3:4:1:2 (13 a round) own slots in that proportion; Q and O's 3/13 are refused.
  for (int w = 1; w <= 4; ++w)
    EXPECT_NEAR(got["W" + std::to_string(w)] / double(n), w / 13.0, 0.01) << w;
  EXPECT_NEAR(got["-"] / double(n), 3 / 13.0, 0.01);
}

TEST(MhProperties, RemovingOneOfTenMovesAboutATenth) {
  DestSet ds;
  std::vector<std::pair<std::string, int>> list;
  for (int i = 0; i < 10; ++i) list.push_back({"S" + std::to_string(i), 1});
  auto s = bound(ds, list);

  std::mt19937 rng(4);
  std::vector<PacketKey> clients;
  std::vector<ipvs::Dest*> before;
  for (int i = 0; i < 100000; ++i) {
    clients.push_back(from(rng()));
    before.push_back(s->schedule(ds.list(), clients.back(), 0));
  }
  ipvs::Dest& gone = ds["S3"];
  ds.remove(gone);
  s->del_dest(ds.list(), gone);

  int moved = 0, was_on_gone = 0;
  for (size_t i = 0; i < clients.size(); ++i) {
    ipvs::Dest* now = s->schedule(ds.list(), clients[i], 0);
    ASSERT_NE(now, &gone);
    if (before[i] == &gone)
      ++was_on_gone;
    else if (now != before[i])
      ++moved;
  }
  // The removed server's ~1/10 must move; Maglev keeps the others nearly in place (a modulo
  // hash would move ~9/10 of them).
  EXPECT_NEAR(was_on_gone / 100000.0, 0.1, 0.01);
  EXPECT_LT(moved / 100000.0, 0.05);
}

}  // namespace
}  // namespace ulvs::sched
