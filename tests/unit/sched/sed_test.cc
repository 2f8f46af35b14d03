// sed_test.cc — shortest expected delay (spec §3.5, ip_vs_sed.c): minimal (active + 1) / weight.
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

TEST(Sed, Table) {
  // {name, weight, active, inactive, overloaded}, in list order.
  check_cases(make_sed, {
      // The spec example: (0+1)/1 > (1+1)/10.
      {"busy fast beats idle slow", {{"A", 1}, {"B", 10, 1}}, "B"},
      {"all idle: the heaviest", {{"A", 1}, {"B", 3}, {"C", 2}}, "B"},
      {"all idle, equal weights: the head", {{"A", 2}, {"B", 2}}, "A"},
      {"inactive ignored", {{"A", 1, 0, 1000}, {"B", 1}}, "A"},
      {"(1+1)/2 == (0+1)/1: first wins", {{"A", 2, 1}, {"B", 1}}, "A"},
      {"(2+1)/2 > (0+1)/1", {{"A", 2, 2}, {"B", 1}}, "B"},
      {"weight-0 head is skipped", {{"A", 0}, {"B", 1, 7}}, "B"},
      {"later weight 0 never wins", {{"A", 1, 9}, {"B", 0}}, "A"},
      {"overloaded skipped", {{"A", 5, 0, 0, true}, {"B", 1, 3}}, "B"},
      {"nothing usable", {{"A", 0}, {"B", 2, 0, 0, true}}, "-"},
      {"empty list", {}, "-"},
  });
}

// List A(1), B(2), open connections: 1/1 > 1/2 -> B; 1 vs 2/2 tie -> A; 2/1 > 2/2 -> B;
// 2 > 3/2 -> B; 2 vs 4/2 tie -> A; ... B gets 2 of every 3.
TEST(Sed, OpenConnectionsFollowWeights) {
  DestSet ds;
  build(ds, {{"A", 1}, {"B", 2}});
  auto s = make_sed();
  s->init(ds.list(), {});
  EXPECT_EQ(picks_open(ds, *s, 9), split("B A B B A B B A B"));
  tally(ds, *s, 30000 - 9, /*open=*/true);
  EXPECT_EQ(ds["A"].activeconns, 10000u);
  EXPECT_EQ(ds["B"].activeconns, 20000u);
}

TEST(Sed, NeverPicksQuiescedOrOverloaded) {
  auto s = make_sed();
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);
}

}  // namespace
}  // namespace ulvs::sched::testing
