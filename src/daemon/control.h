// control.h — the engine, its executor and the mutex that serializes every access to them.
//
// The socket server, the HTTP API, the config loader and the 100 ms tick all go through
// here, so the engine (which is single-threaded by design) sees one caller at a time.
//
//   Control ctl({.max_conns = 1 << 20});
//   Reply r = ctl.execute(Request{.op = Op::GetServices});
//   ctl.tick();                                           // from the main loop
#pragma once

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

 private:
  std::mutex mu_;
  ipvs::Engine engine_;
  ctl::Executor exec_;
};

}  // namespace ulvs::daemon
