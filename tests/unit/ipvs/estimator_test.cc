// The kernel estimator's worked example (spec §5.2) and -Z behaviour.
#include <gtest/gtest.h>

#include "ipvs/estimator.h"

using namespace ulvs::ipvs;

namespace {
void feed(Stats& s, int conns, int bytes) {
  for (int i = 0; i < conns; ++i) s.count_conn();
  s.count_in(bytes);  // one packet carrying the bytes is enough for the byte rate
}
}  // namespace

TEST(Estimator, SteadyRateConvergesAsTheKernelDoes) {
  Stats s;
  const uint64_t cps[] = {25, 44, 58, 68, 76, 82, 87, 90};
  const uint64_t inbps[] = {37500, 65625, 86719, 102539};
  for (int tick = 0; tick < 8; ++tick) {
    feed(s, 200, 300000);  // 2 s at 100 conn/s and 150 000 B/s
    estimate(s);
    EXPECT_EQ(s.rates().cps, cps[tick]) << "tick " << tick;
    if (tick < 4) {
      EXPECT_EQ(s.rates().inbps, inbps[tick]) << "tick " << tick;
    }
  }
  const uint64_t decay[] = {67, 51, 38, 28};
  for (uint64_t want : decay) {
    estimate(s);
    EXPECT_EQ(s.rates().cps, want);
  }
}

TEST(Estimator, SnapshotOnlyMovesOnAPass) {
  Stats s;
  s.count_conn();
  s.count_in(100);
  s.count_out(40);
  EXPECT_EQ(s.shown().conns, 0u);  // user space sees the last pass only
  estimate(s);
  EXPECT_EQ(s.shown(), (Counters{1, 1, 1, 100, 40}));
}

TEST(Estimator, ZeroRebasesCountersAndRates) {
  Stats s;
  feed(s, 200, 300000);
  estimate(s);
  ASSERT_GT(s.rates().cps, 0u);
  zero(s);
  EXPECT_EQ(s.shown(), Counters{});
  EXPECT_EQ(s.rates(), Rates{});
  // Traffic after -Z is measured from the zero point.
  feed(s, 20, 0);
  estimate(s);
  EXPECT_EQ(s.shown().conns, 20u);
  EXPECT_EQ(s.rates().cps, ((uint64_t(20) << 9 >> 2) + 0x1FF) >> 10);  // 20 conns / 2 s, 1/4 weight
}

TEST(Estimator, RoundsHalvesDown) {
  Stats s;
  s.est.cps = 512;  // exactly 0.5 conn/s scaled by 2^10
  EXPECT_EQ(s.rates().cps, 0u);
  s.est.cps = 513;
  EXPECT_EQ(s.rates().cps, 1u);
  s.est.inbps = 16;  // 0.5 B/s scaled by 2^5
  EXPECT_EQ(s.rates().inbps, 0u);
}
