// check_state_test — the retry state machine with a fake clock.
#include "check/check_state.h"

#include <gtest/gtest.h>

using namespace ulvs::check;

namespace {

ProbeResult ok() { return ProbeResult::up(); }
ProbeResult fail() { return ProbeResult::down("x"); }
RandomMs fixed(int64_t v) { return [v](int64_t max) { return std::min(v, max); }; }

CheckTiming timing(int retry, bool alpha = false, int64_t warmup = 0) {
  return CheckTiming{.delay_loop = 10000, .delay_before_retry = 3000, .warmup = warmup, .retry = retry, .alpha = alpha};
}

// Run one attempt at `now` (must be due) and return the transition.
std::optional<Transition> attempt(CheckState& s, int64_t now, const ProbeResult& r) {
  EXPECT_TRUE(s.due(now)) << "not due at " << now << " (next " << s.next_due() << ")";
  s.start(now);
  EXPECT_FALSE(s.due(now + 100000));  // never twice in flight
  return s.finish(r, now);
}

// What an attempt reported, so a check reads EXPECT_EQ(report(attempt(...)), "down").
std::string report(const std::optional<Transition>& t) { return !t ? "nothing" : t->up ? "up" : "down"; }

// N failures in a row from `now`, delay_before_retry apart (a series of retries): all but the
// last are quiet; returns what the last one reported.
std::string fail_in_a_row(CheckState& s, int64_t now, int n) {
  for (; n > 1; --n, now += 3000) EXPECT_FALSE(attempt(s, now, fail())) << "at " << now;
  return report(attempt(s, now, fail()));
}

}  // namespace

TEST(CheckState, FirstRunAfterOneSecondPlusWarmup) {
  CheckState s(timing(1, false, 5000), 0, fixed(2500));
  EXPECT_FALSE(s.due(3499));
  EXPECT_TRUE(s.due(3500));
  CheckState none(timing(1, false, 0), 0, fixed(2500));  // warmup 0: no jitter
  EXPECT_EQ(none.next_due(), 1000);
  CheckState capped(timing(1, false, 100), 0, fixed(99999));  // random clamped to warmup
  EXPECT_EQ(capped.next_due(), 1100);
}

TEST(CheckState, NonAlphaStartsUpAndFirstSuccessIsReported) {
  CheckState s(timing(1), 0, fixed(0));
  EXPECT_TRUE(s.up());
  EXPECT_FALSE(s.has_run());
  EXPECT_EQ(report(attempt(s, 1000, ok())), "up");
  EXPECT_EQ(s.next_due(), 11000);
  EXPECT_FALSE(attempt(s, 11000, ok()));  // steady: no transition
}

TEST(CheckState, FailureRetriedThenDown) {
  CheckState s(timing(2), 0, fixed(0));
  attempt(s, 1000, ok());
  EXPECT_FALSE(attempt(s, 11000, fail()));  // 1st failure: retry after delay_before_retry
  EXPECT_EQ(s.next_due(), 14000);
  EXPECT_TRUE(s.up());
  EXPECT_FALSE(attempt(s, 14000, fail()));  // retry 1
  EXPECT_EQ(s.next_due(), 17000);
  EXPECT_EQ(report(attempt(s, 17000, fail())), "down");  // retry 2 fails: down
  EXPECT_FALSE(s.up());
  EXPECT_EQ(s.next_due(), 27000);           // down: back to delay_loop
  EXPECT_FALSE(attempt(s, 27000, fail()));  // stays down quietly
  EXPECT_EQ(s.next_due(), 37000);
}

TEST(CheckState, SuccessDuringRetriesResetsCount) {
  CheckState s(timing(1), 0, fixed(0));
  attempt(s, 1000, ok());
  attempt(s, 11000, fail());
  EXPECT_FALSE(attempt(s, 14000, ok()));    // still up, no transition
  EXPECT_EQ(s.retries_used(), 0);
  EXPECT_EQ(s.next_due(), 24000);
  EXPECT_FALSE(attempt(s, 24000, fail()));  // a fresh series of retries
  EXPECT_TRUE(s.up());
}

TEST(CheckState, OneSuccessBringsItBack) {
  CheckState s(timing(0), 0, fixed(0));
  attempt(s, 1000, ok());
  EXPECT_EQ(report(attempt(s, 11000, fail())), "down");  // retry 0: first failure is final
  EXPECT_EQ(report(attempt(s, 21000, ok())), "up");
}

// keepalived's check_data.c at start-up: "one failure is enough initially".
TEST(CheckState, AtStartTheFirstFailureDecides) {
  CheckState s(timing(1), 0, fixed(0));
  EXPECT_EQ(report(attempt(s, 1000, fail())), "down");
  EXPECT_EQ(s.next_due(), 11000);
}

// A checker a reload adds gets no such shortcut: it counts as up and is retried first.
TEST(CheckState, AddedByAReloadTheFirstFailureIsRetried) {
  CheckState s(timing(1), 0, fixed(0), /*at_start=*/false);
  EXPECT_FALSE(attempt(s, 1000, fail()));
  EXPECT_EQ(s.next_due(), 4000);
  EXPECT_EQ(report(attempt(s, 4000, fail())), "down");
}

TEST(CheckState, NeverRunRetryZeroGoesDownAtOnce) {
  CheckState s(timing(0), 0, fixed(0));
  EXPECT_EQ(report(attempt(s, 1000, fail())), "down");
}

TEST(CheckState, AlphaStartsDownAndComesUpOnFirstSuccess) {
  CheckState s(timing(3, true), 0, fixed(0));
  EXPECT_FALSE(s.up());
  EXPECT_EQ(report(attempt(s, 1000, fail())), "down");  // the first result decides, no retries
  EXPECT_EQ(s.next_due(), 11000);
  EXPECT_FALSE(attempt(s, 11000, fail()));  // already down: quiet, delay_loop
  EXPECT_EQ(s.next_due(), 21000);
  EXPECT_FALSE(s.up());
  EXPECT_EQ(report(attempt(s, 21000, ok())), "up");
  // From now on ordinary rules: 3 retries before down.
  EXPECT_EQ(fail_in_a_row(s, 31000, 4), "down");
}

TEST(CheckState, AlphaWithRetryZeroReportsFirstFailure) {
  CheckState s(timing(0, true), 0, fixed(0));
  // The first result decides, even when it confirms "down".
  EXPECT_EQ(report(attempt(s, 1000, fail())), "down");
}

TEST(CheckState, DynamicWeight) {
  CheckState s(timing(1), 0, fixed(0));
  ProbeResult w5 = ok();
  w5.weight = 5;
  auto t = attempt(s, 1000, w5);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->weight, 5);
  EXPECT_FALSE(attempt(s, 11000, w5));     // same weight: nothing to report
  EXPECT_FALSE(attempt(s, 21000, ok()));   // exit 0: weight unchanged
  EXPECT_EQ(s.weight(), 5);
  ProbeResult w9 = ok();
  w9.weight = 9;
  auto t2 = attempt(s, 31000, w9);
  ASSERT_TRUE(t2);
  EXPECT_TRUE(t2->up);
  EXPECT_EQ(t2->weight, 9);
}

TEST(CheckState, FileCheckTimingNeverRetriesAndPollsOften) {
  ulvs::config::Checker c;
  c.type = ulvs::config::Checker::File;
  c.retry = 3;
  c.alpha = true;
  CheckTiming t = timing_of(c);
  EXPECT_EQ(t.retry, 0);
  EXPECT_FALSE(t.alpha);
  EXPECT_EQ(t.delay_loop, 1000);
  ulvs::config::Checker tcp;
  tcp.retry = 3;
  tcp.delay_loop = 6000;
  tcp.delay_before_retry = 2000;
  tcp.warmup = 7;
  CheckTiming tt = timing_of(tcp);
  EXPECT_EQ(tt.retry, 3);
  EXPECT_EQ(tt.delay_loop, 6000);
  EXPECT_EQ(tt.delay_before_retry, 2000);
  EXPECT_EQ(tt.warmup, 7);
}

// Reload (keepalived's migrate_checkers).
TEST(CheckState, CarryKeepsVerdictAndUsedRetries) {
  CheckState old(timing(3), 0, fixed(0));
  attempt(old, 1000, ok());
  attempt(old, 11000, fail());  // one retry used, still up
  ASSERT_TRUE(old.up());
  ASSERT_EQ(old.retries_used(), 1);
  CheckState next(timing(3), 0, fixed(0));
  next.carry(old);
  EXPECT_TRUE(next.up());
  EXPECT_TRUE(next.has_run());
  EXPECT_EQ(next.retries_used(), 1);
  // Two more failures use the remaining retries; the third goes down.
  next.reschedule(0, fixed(0));
  EXPECT_EQ(fail_in_a_row(next, 1000, 3), "down");
}

TEST(CheckState, CarryCapsRetriesToTheNewRetryCount) {
  CheckState old(timing(3), 0, fixed(0));
  attempt(old, 1000, ok());
  fail_in_a_row(old, 11000, 2);  // two used
  CheckState next(timing(1), 0, fixed(0));
  next.carry(old);
  EXPECT_EQ(next.retries_used(), 1);  // one more failure is enough
  EXPECT_EQ(report(attempt(next, 1000, fail())), "down");
}

TEST(CheckState, CarryKeepsDownAndDynamicWeight) {
  CheckState old(timing(0), 0, fixed(0));
  attempt(old, 1000, fail());
  ASSERT_FALSE(old.up());
  CheckState next(timing(0), 0, fixed(0));
  next.carry(old);
  EXPECT_FALSE(next.up());
  // Down stays down without a report: only a success changes it.
  next.reschedule(0, fixed(0));
  EXPECT_FALSE(attempt(next, 1000, fail()));
  EXPECT_EQ(report(attempt(next, 11000, ok())), "up");

  CheckState dyn(timing(1), 0, fixed(0));
  ProbeResult w = ok();
  w.weight = 42;
  attempt(dyn, 1000, w);
  CheckState carried(timing(1), 0, fixed(0));
  carried.carry(dyn);
  EXPECT_EQ(carried.weight(), 42);
}

TEST(CheckState, CarryOfANeverRunCheckerKeepsTheNewStart) {
  CheckState old(timing(1), 0, fixed(0));  // up, never ran
  CheckState alpha(timing(1, /*alpha=*/true), 0, fixed(0));
  alpha.carry(old);
  EXPECT_FALSE(alpha.up());  // nothing was learnt: an alpha checker still starts down
  EXPECT_FALSE(alpha.has_run());
}

TEST(CheckState, JoinFailedServerIsPessimistic) {
  CheckState s(timing(3), 0, fixed(0));
  s.join_failed_server();
  EXPECT_TRUE(s.up());
  EXPECT_EQ(report(attempt(s, 1000, fail())), "down");  // the first failure is enough
  CheckState a(timing(3, /*alpha=*/true), 0, fixed(0));
  a.join_failed_server();
  EXPECT_FALSE(a.up());
  CheckState ran(timing(3), 0, fixed(0));
  attempt(ran, 1000, ok());
  ran.join_failed_server();  // a checker that has run keeps its own counting
  EXPECT_EQ(ran.retries_used(), 0);
}

TEST(CheckState, NoVerdictChangesNothingAndWaitsADelayLoop) {
  CheckState s(timing(0), 0, fixed(0));  // retry 0: one failure would take it down
  EXPECT_FALSE(attempt(s, 1000, ProbeResult::unusable("bind: Cannot assign requested address")));
  EXPECT_TRUE(s.up());
  EXPECT_FALSE(s.has_run());
  EXPECT_EQ(s.next_due(), 11000);  // delay_loop, not delay_before_retry
  attempt(s, 11000, fail());
  EXPECT_FALSE(s.up());
  EXPECT_FALSE(attempt(s, 21000, ProbeResult::unusable("x")));  // down stays down
  EXPECT_FALSE(s.up());
}
