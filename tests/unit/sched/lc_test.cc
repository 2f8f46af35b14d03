// lc_test.cc — least connection (spec §3.3, ip_vs_lc.c): minimal active*256 + inactive.
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

TEST(Lc, Table) {
  // {name, weight, active, inactive, overloaded}, in list order.
  check_cases(make_lc, {
      {"all idle: the head", {{"A"}, {"B"}, {"C"}}, "A"},
      {"fewest connections", {{"A", 1, 2}, {"B", 1, 1}, {"C", 1, 3}}, "B"},
      {"255 inactive < 1 active", {{"A", 1, 1}, {"B", 1, 0, 255}}, "B"},
      {"256 inactive == 1 active: first wins", {{"A", 1, 1}, {"B", 1, 0, 256}}, "A"},
      {"257 inactive > 1 active", {{"A", 1, 0, 257}, {"B", 1, 1}}, "B"},
      {"ties: the first in list order", {{"A", 1, 4}, {"B", 1, 2}, {"C", 1, 2}}, "B"},
      {"weight magnitude ignored", {{"A", 100, 0, 2}, {"B", 1, 0, 1}}, "B"},
      {"weight 0 skipped though idle", {{"A", 0}, {"B", 1, 5}}, "B"},
      {"overloaded skipped though idle", {{"A", 1, 0, 0, true}, {"B", 1, 5}}, "B"},
      {"nothing usable", {{"A", 0}, {"B", 1, 0, 0, true}}, "-"},
      {"empty list", {}, "-"},
  });
}

TEST(Lc, OpenConnectionsSpreadEvenly) {
  DestSet ds;
  ds.add("A", 1), ds.add("B", 5), ds.add("C", 2);  // list C, B, A
  auto s = make_lc();
  s->init(ds.list(), {});
  EXPECT_EQ(picks_open(ds, *s, 7), split("C B A C B A C"));
}

TEST(Lc, NeverPicksQuiescedOrOverloaded) {
  auto s = make_lc();
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);
}

}  // namespace
}  // namespace ulvs::sched::testing
