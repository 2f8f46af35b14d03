// nq_test.cc — never queue (spec §3.6, ip_vs_nq.c): the first dest without active
// connections, else minimal (active + 1) / weight.
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

TEST(Nq, Table) {
  // {name, weight, active, inactive, overloaded}, in list order.
  check_cases(make_nq, {
      // sed would pick B here; nq takes the idle server.
      {"idle slow beats busy fast", {{"A", 1}, {"B", 10, 1}}, "A"},
      {"first idle wins, not the heaviest", {{"A", 1}, {"B", 100}}, "A"},
      {"idle despite inactive conns", {{"A", 1, 1}, {"B", 1, 0, 500}}, "B"},
      {"idle but weight 0 is skipped", {{"A", 0}, {"B", 1, 3}}, "B"},
      {"idle but overloaded is skipped", {{"A", 1, 0, 0, true}, {"B", 1, 3}}, "B"},
      {"no idle: (1+1)/1 > (1+1)/10", {{"A", 1, 1}, {"B", 10, 1}}, "B"},
      {"no idle: (3+1)/2 == (1+1)/1, first wins", {{"A", 2, 3}, {"B", 1, 1}}, "A"},
      {"no idle, weight 0 ignored", {{"A", 1, 9}, {"B", 0, 1}}, "A"},
      {"nothing usable", {{"A", 0}, {"B", 2, 0, 0, true}}, "-"},
      {"empty list", {}, "-"},
  });
}

// List A(1), B(3), open connections: A idle -> A; B idle -> B; then sed: (1+1)/1 against
// (1+1)/3, (2+1)/3, (3+1)/3, (4+1)/3 -> B four times; (5+1)/3 == 2 ties -> A.
TEST(Nq, OpenConnections) {
  DestSet ds;
  build(ds, {{"A", 1}, {"B", 3}});
  auto s = make_nq();
  s->init(ds.list(), {});
  EXPECT_EQ(picks_open(ds, *s, 7), split("A B B B B B A"));
}

TEST(Nq, NeverPicksQuiescedOrOverloaded) {
  auto s = make_nq();
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);
}

}  // namespace
}  // namespace ulvs::sched::testing
