// check_state.h — keepalived's retry state machine for one checker, pure and time-driven
// (no clock, no sleeping: the caller passes `now`, in milliseconds on any monotonic scale).
//
//   CheckState s(timing_of(checker), /*now=*/0, [](int64_t max) { return rand() % (max + 1); });
//   if (s.due(now)) { s.start(now); ProbeResult r = run_probe(...);
//                     if (auto t = s.finish(r, now)) notify(t->up, t->weight); }
//
// Rules (spec §7.6, keepalived check_*.c epilogs):
// * first attempt at 1 s + random(0..warmup); then every delay_loop;
// * at start-up one failure is enough for the first decision (check_data.c sets retry_it to
//   retry, "one failure is enough initially"); not for checkers a reload adds;
// * while up, a failure is retried after delay_before_retry, up to `retry` times; only when
//   they all failed does the checker go down;
// * any success makes it up at once (retry count reset);
// * an attempt without a verdict (ProbeResult::no_verdict) changes nothing and is repeated
//   after delay_loop;
// * alpha: it starts down (a never-run non-alpha checker counts as up) and a down checker is
//   retried at delay_loop, not delay_before_retry;
// * dynamic checkers: a success carrying a weight (MISC exit 2..255, FILE weight) sets it;
//   a MISC exit 0 keeps the weight it had.
// * reload (keepalived's migrate_checkers): a checker whose check did not change continues
//   the old one's verdict (carry); the schedule starts over.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

struct CheckTiming {
  int64_t delay_loop = 60000;
  int64_t delay_before_retry = 1000;
  int64_t warmup = 0;
  int retry = 1;
  bool alpha = false;
};

// A checker's timing as configured.  FILE_CHECK reacts at once in keepalived (inotify), so
// it is polled every second at most and never retried.
CheckTiming timing_of(const config::Checker& c);

// What finishing an attempt changed: emitted on up/down changes, on the first decision and
// when a dynamic weight changes.
struct Transition {
  bool up = false;
  std::optional<int64_t> weight;  // current dynamic weight, if any
  bool weight_is_delta = false;
};

// Random source for the warm-up: returns a value in [0, max].
using RandomMs = std::function<int64_t(int64_t max)>;

class CheckState {
 public:
  // `at_start`: ulvsd is starting (not reloading), so the first failure decides.
  CheckState(const CheckTiming& t, int64_t now, const RandomMs& random, bool at_start = true);

  bool due(int64_t now) const { return !running_ && now >= next_; }
  int64_t next_due() const { return next_; }
  bool running() const { return running_; }
  void start(int64_t now) { running_ = true; }
  // Record an attempt's result; schedules the next attempt.
  std::optional<Transition> finish(const ProbeResult& r, int64_t now);
  // The first attempt again at 1 s + random(0..warmup) after `now`; the verdict is kept.
  void reschedule(int64_t now, const RandomMs& random);

  // Reload: continue `old`'s verdict (up/down, has run, dynamic weight) under this state's
  // timing.  Retries already used stay used, capped so that one more failure is enough when
  // the new `retry` is lower.
  void carry(const CheckState& old);
  // Reload: this checker is new on a real server that has a failed one.  keepalived takes no
  // chances: an alpha checker is down until it has run, any other goes down at its first
  // failure.
  void join_failed_server();
  // Reload: this checker has not run on a real server that is alive with nothing failed;
  // keepalived counts only checkers that ran and failed, so even an alpha one starts up.
  void join_live_server();

  bool up() const { return up_; }
  bool has_run() const { return has_run_; }
  int retries_used() const { return retry_it_; }
  std::optional<int64_t> weight() const { return weight_; }
  bool weight_is_delta() const { return weight_is_delta_; }

 private:
  CheckTiming t_;
  int64_t next_ = 0;
  bool running_ = false;
  bool up_ = true;
  bool has_run_ = false;
  int retry_it_ = 0;
  std::optional<int64_t> weight_;
  bool weight_is_delta_ = false;
};

}  // namespace ulvs::check
