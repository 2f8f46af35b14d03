// wlc_test.cc — weighted least connection (spec §3.4, ip_vs_wlc.c): minimal
// (active*256 + inactive) / weight by cross-multiplication, strict, first wins.
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

TEST(Wlc, Table) {
  // {name, weight, active, inactive, overloaded}, in list order.
  check_cases(make_wlc, {
      {"all idle: the head", {{"A", 1}, {"B", 5}}, "A"},
      {"1/1 > 2/3", {{"A", 1, 0, 1}, {"B", 3, 0, 2}}, "B"},
      {"1/1 == 2/2: first wins", {{"A", 1, 0, 1}, {"B", 2, 0, 2}}, "A"},
      {"active weighs 256 inactive", {{"A", 1, 1}, {"B", 1, 0, 255}}, "B"},
      {"256 inactive ties 1 active", {{"A", 1, 1}, {"B", 1, 0, 256}}, "A"},
      {"weight-0 head is skipped", {{"A", 0}, {"B", 1, 3}}, "B"},
      {"later weight 0 never wins", {{"A", 1, 5}, {"B", 0}}, "A"},
      {"overloaded skipped", {{"A", 1, 0, 0, true}, {"B", 1, 3}, {"C", 1, 0, 0, true}}, "B"},
      // The sed example: wlc compares 0/1 with 256/10.
      {"idle slow beats busy fast", {{"A", 1}, {"B", 10, 1}}, "A"},
      {"among three", {{"A", 2, 2}, {"B", 3, 2}, {"C", 1, 1}}, "B"},
      {"nothing usable", {{"A", 0}, {"B", 2, 0, 0, true}}, "-"},
      {"empty list", {}, "-"},
  });
}

// List A(2), B(1), connections stay open (each +256): A 0 B 0 -> A; 256/2 > 0/1 -> B;
// 256*1 > 256*2? no -> A; 512 vs 512 tie -> A; 768 > 512 -> B; ... A gets 2 of every 3.
TEST(Wlc, OpenConnectionsFollowWeights) {
  DestSet ds;
  build(ds, {{"A", 2}, {"B", 1}});
  auto s = make_wlc();
  s->init(ds.list(), {});
  EXPECT_EQ(picks_open(ds, *s, 9), split("A B A A B A A B A"));
  tally(ds, *s, 30000 - 9, /*open=*/true);
  EXPECT_EQ(ds["A"].activeconns, 20000u);
  EXPECT_EQ(ds["B"].activeconns, 10000u);
}

TEST(Wlc, NeverPicksQuiescedOrOverloaded) {
  auto s = make_wlc();
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);
}

}  // namespace
}  // namespace ulvs::sched::testing
