// twos_test.cc — power of two random choices (spec §3.14, ip_vs_twos.c).  Random, so the
// shares are checked statistically: 100k picks give a standard deviation below 0.002 on a
// share, and the tolerance is 0.01.
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

constexpr int kPicks = 100000;

double share(std::map<std::string, int>& count, const char* name) {
  return double(count[name]) / kPicks;
}

TEST(Twos, DeterministicCases) {
  check_cases([] { return make_twos(1); }, {
      {"the only usable dest", {{"A", 0}, {"B", 3, 9}, {"C", 5, 0, 0, true}}, "B"},
      {"all weight 0", {{"A", 0}, {"B", 0}}, "-"},
      {"all overloaded", {{"A", 1, 0, 0, true}}, "-"},
      {"empty list", {}, "-"},
  });
}

TEST(Twos, SeedMakesItReproducible) {
  DestSet ds;
  build(ds, {{"A", 1}, {"B", 2}, {"C", 3}});
  auto s1 = make_twos(7), s2 = make_twos(7), s3 = make_twos(8);
  auto p1 = ds.picks(*s1, 200), p2 = ds.picks(*s2, 200), p3 = ds.picks(*s3, 200);
  EXPECT_EQ(p1, p2);
  EXPECT_NE(p1, p3);
  auto unseeded = make_twos();
  for (const std::string& n : ds.picks(*unseeded, 100)) EXPECT_NE(n, "-");
}

// Equal load per weight: the first draw always wins.  Draws are uniform in [0, W]; the first
// dest covers w1 + 1 values: A(1), B(3) -> A 2/5, B 3/5.
TEST(Twos, IdleDrawsFavourTheHeadByOne) {
  DestSet ds;
  build(ds, {{"A", 1}, {"B", 3}});
  auto s = make_twos(1);
  auto count = tally(ds, *s, kPicks);
  EXPECT_NEAR(share(count, "A"), 2.0 / 5, 0.01);
  EXPECT_NEAR(share(count, "B"), 3.0 / 5, 0.01);
}

// A(1) busy, B(1) idle, load held fixed: each draw is A with 2/3; B wins whenever it is
// drawn at all, so A is chosen only when both draws are A: 4/9.
TEST(Twos, LessLoadedDrawWins) {
  DestSet ds;
  build(ds, {{"A", 1, 1}, {"B", 1}});
  auto s = make_twos(2);
  auto count = tally(ds, *s, kPicks);
  EXPECT_NEAR(share(count, "A"), 4.0 / 9, 0.01);
  EXPECT_EQ(count["-"], 0);
}

// With connections staying open the load per weight evens out, so the shares follow the
// weights; weight 0 and overloaded dests get nothing.
TEST(Twos, ShareFollowsWeight) {
  DestSet ds;
  build(ds, {{"A", 1}, {"B", 2}, {"Q", 0}, {"C", 3}, {"O", 9, 0, 0, true}, {"D", 4}});
  auto s = make_twos(3);
  auto count = tally(ds, *s, kPicks, /*open=*/true);
  EXPECT_NEAR(share(count, "A"), 0.1, 0.01);
  EXPECT_NEAR(share(count, "B"), 0.2, 0.01);
  EXPECT_NEAR(share(count, "C"), 0.3, 0.01);
  EXPECT_NEAR(share(count, "D"), 0.4, 0.01);
  EXPECT_EQ(count["Q"], 0);
  EXPECT_EQ(count["O"], 0);
}

TEST(Twos, NeverPicksQuiescedOrOverloaded) {
  auto s = make_twos(4);
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);
}

}  // namespace
}  // namespace ulvs::sched::testing
