// control.h — the engine, its executor and the mutex that serializes every access to them.
//
// The socket server, the HTTP API, the config loader and the 100 ms tick all go through
// here, so the engine (which is single-threaded by design) sees one caller at a time.
//
//   Control ctl({.max_conns = 1 << 20});
//   Reply r = ctl.execute(Request{.op = Op::GetServices});
//   ctl.tick();                                           // from the main loop
#pragma once

#include <atomic>
#include <functional>
#include <mutex>

#include "ctl/executor.h"
#include "ipvs/engine.h"

namespace ulvs::daemon {

// CLOCK_MONOTONIC in milliseconds: the engine's time base.
ipvs::TimeMs monotonic_ms();

class Control {
 public:
  explicit Control(ipvs::EngineOptions opt) : engine_(opt), exec_(engine_) {}

  ctl::Reply execute(const ctl::Request& req);
  void tick();
  // Runs f(engine) under the lock (metrics read the engine's drop counters).
  template <class F>
  auto with_engine(F&& f) {
    std::lock_guard lock(mu_);
    return f(engine_);
  }

  // For the data-plane workers (dataplane/io/worker.h): they lock once per batch and watch
  // `changes()`, which moves after every request, to re-read VIPs and local addresses.
  std::mutex& mutex() { return mu_; }
  ipvs::Engine& engine() { return engine_; }
  const std::atomic<uint64_t>& changes() const { return changes_; }
  // Called under the lock after every successful request that may change which addresses
  // the director owns (services, real servers, local addresses): the data plane updates its
  // XDP steering before ulvsadm gets its answer, so a VIP works as soon as it is added.
  void set_on_owned_change(std::function<void(ipvs::Engine&)> f) {
    std::lock_guard lock(mu_);
    on_owned_change_ = std::move(f);
    if (on_owned_change_) on_owned_change_(engine_);
  }

 private:
  std::mutex mu_;
  std::atomic<uint64_t> changes_{0};
  ipvs::Engine engine_;
  ctl::Executor exec_;
  std::function<void(ipvs::Engine&)> on_owned_change_;
};

}  // namespace ulvs::daemon
