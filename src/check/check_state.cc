#include "check/check_state.h"

#include <algorithm>

namespace ulvs::check {

CheckTiming timing_of(const config::Checker& c) {
  CheckTiming t{c.delay_loop, c.delay_before_retry, c.warmup, c.retry, c.alpha};
  if (c.type == config::Checker::File) {
    t.delay_loop = std::min<int64_t>(c.delay_loop, 1000);
    t.retry = 0;
    t.alpha = false;  // keepalived knows a tracked file's state at once
  }
  return t;
}

CheckState::CheckState(const CheckTiming& t, int64_t now, const RandomMs& random, bool at_start) : t_(t) {
  up_ = !t.alpha;
  if (at_start) retry_it_ = t.retry;
  reschedule(now, random);
}

void CheckState::reschedule(int64_t now, const RandomMs& random) {
  int64_t jitter = t_.warmup > 0 && random ? std::clamp<int64_t>(random(t_.warmup), 0, t_.warmup) : 0;
  next_ = now + 1000 + jitter;
  running_ = false;
}

void CheckState::carry(const CheckState& old) {
  has_run_ = old.has_run_;
  if (old.has_run_) up_ = old.up_;
  retry_it_ = up_ ? std::min(old.retry_it_, t_.retry) : 0;
  weight_ = old.weight_;
  weight_is_delta_ = old.weight_is_delta_;
}

void CheckState::join_live_server() {
  if (!has_run_) up_ = true;
}

void CheckState::join_failed_server() {
  if (has_run_) return;
  if (t_.alpha) up_ = false;
  retry_it_ = t_.retry;
}

std::optional<Transition> CheckState::finish(const ProbeResult& r, int64_t now) {
  running_ = false;
  if (r.no_verdict) {  // the check could not be made: nothing learnt, try again later
    next_ = now + t_.delay_loop;
    return std::nullopt;
  }
  const bool first = !has_run_;
  has_run_ = true;
  std::optional<Transition> out;
  int64_t delay = t_.delay_loop;
  if (r.ok) {
    retry_it_ = 0;
    const bool weight_changed = r.weight && r.weight != weight_;
    if (r.weight) {
      weight_ = r.weight;
      weight_is_delta_ = r.weight_is_delta;
    }
    if (!up_ || first || weight_changed) out = Transition{true, weight_, weight_is_delta_};
    up_ = true;
  } else if ((up_ || first) && retry_it_ >= t_.retry) {
    retry_it_ = 0;
    out = Transition{false, weight_, weight_is_delta_};
    up_ = false;
  } else if (up_) {
    ++retry_it_;
    delay = t_.delay_before_retry;
  }
  next_ = now + delay;
  return out;
}

}  // namespace ulvs::check
