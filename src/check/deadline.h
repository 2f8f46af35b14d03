// deadline.h — a point in time a probe must finish by, plus an optional stop flag.
//
// Every blocking wait in a probe goes through a Deadline, so a probe never outlives its
// timeout and stops within ~20 ms when the runner is stopped.
//
//   std::atomic<bool> stop{false};
//   check::Deadline d = check::Deadline::after(500, &stop);
//   while (!d.expired()) { int ms = d.slice_ms(); /* poll(fd, ms) */ }
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace ulvs::check {

using Clock = std::chrono::steady_clock;

struct Deadline {
  Clock::time_point at;
  const std::atomic<bool>* cancel = nullptr;  // set: give up as soon as it turns true

  static Deadline after(int64_t ms, const std::atomic<bool>* cancel = nullptr) {
    return Deadline{Clock::now() + std::chrono::milliseconds(ms), cancel};
  }
  bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
  bool expired() const { return cancelled() || Clock::now() >= at; }
  int64_t remaining_ms() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at - Clock::now()).count();
    return std::max<int64_t>(0, left);
  }
  // How long one wait may block: the time left, at most 20 ms so a stop is noticed.
  int slice_ms() const { return static_cast<int>(std::min<int64_t>(remaining_ms(), 20)); }
};

}  // namespace ulvs::check
