// ovf_test.cc — weighted overflow (spec §3.8, ip_vs_ovf.c): highest weight among the dests
// whose active connections do not exceed their weight.
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

TEST(Ovf, Table) {
  // {name, weight, active, inactive, overloaded}, in list order.
  check_cases(make_ovf, {
      {"highest weight", {{"A", 2}, {"B", 3}}, "B"},
      {"active == weight still fits", {{"A", 2}, {"B", 3, 3}}, "B"},
      {"active > weight overflows", {{"A", 2}, {"B", 3, 4}}, "A"},
      {"inactive ignored", {{"A", 2}, {"B", 3, 0, 1000}}, "B"},
      {"equal weights: first wins", {{"A", 2, 1}, {"B", 2}}, "A"},
      {"weight 0 skipped", {{"A", 0}, {"B", 1}}, "B"},
      {"overloaded skipped", {{"A", 5, 0, 0, true}, {"B", 1}}, "B"},
      {"all full", {{"A", 1, 2}, {"B", 2, 3}}, "-"},
      {"empty list", {}, "-"},
  });
}

// The spec example, in either list order: A takes weight + 1 = 4, then B 3, then nothing.
TEST(Ovf, FillsAndOverflows) {
  for (bool a_first : {true, false}) {
    DestSet ds;
    if (a_first) build(ds, {{"A", 3}, {"B", 2}});
    else build(ds, {{"B", 2}, {"A", 3}});
    auto s = make_ovf();
    s->init(ds.list(), {});
    EXPECT_EQ(picks_open(ds, *s, 8), split("A A A A B B B -"));
    --ds["A"].activeconns;  // a connection on A closes: A has room again
    EXPECT_EQ(picks_open(ds, *s, 2), split("A -"));
  }
}

TEST(Ovf, NeverPicksQuiescedOrOverloaded) {
  auto s = make_ovf();
  // ovf may find nothing, but only when every usable dest is over its weight.
  auto count = expect_only_eligible(*s, 100000, [](DestList list) {
    for (const ipvs::Dest* d : list)
      if (eligible(*d) && int64_t(d->activeconns) <= d->weight()) return false;
    return true;
  });
  EXPECT_EQ(count["D"], 0);
  // The load here outgrows the total capacity at times, so both outcomes occur.
  EXPECT_GT(count["-"], 0);
  EXPECT_LT(count["-"], 100000);
}

}  // namespace
}  // namespace ulvs::sched::testing
