// fo_test.cc — weighted failover (spec §3.7, ip_vs_fo.c): the highest usable weight wins.
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

TEST(Fo, Table) {
  // {name, weight, active, inactive, overloaded}, in list order.
  check_cases(make_fo, {
      {"highest weight", {{"A", 10}, {"B", 20}, {"C", 5}}, "B"},
      {"connections ignored", {{"A", 10}, {"B", 20, 1000, 1000}}, "B"},
      {"equal highest: first wins", {{"A", 5}, {"B", 7}, {"C", 7}}, "B"},
      {"overloaded fails over", {{"A", 10}, {"B", 20, 0, 0, true}}, "A"},
      {"weight 0 fails over", {{"A", 10}, {"B", 0}}, "A"},
      {"all weight 0", {{"A", 0}, {"B", 0}}, "-"},
      {"all overloaded", {{"A", 1, 0, 0, true}}, "-"},
      {"empty list", {}, "-"},
  });
}

TEST(Fo, FailsOverAndBack) {
  DestSet ds;
  build(ds, {{"A", 10}, {"B", 20}});
  auto s = make_fo();
  s->init(ds.list(), {});
  EXPECT_EQ(picks_open(ds, *s, 3), split("B B B"));
  ds["B"].overloaded = true;
  EXPECT_EQ(picks_open(ds, *s, 2), split("A A"));
  ds["B"].overloaded = false;
  EXPECT_EQ(picks_open(ds, *s, 2), split("B B"));
  svc_edit(ds, *s, "A", 30);
  EXPECT_EQ(picks_open(ds, *s, 2), split("A A"));
}

TEST(Fo, NeverPicksQuiescedOrOverloaded) {
  auto s = make_fo();
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);
}

}  // namespace
}  // namespace ulvs::sched::testing
