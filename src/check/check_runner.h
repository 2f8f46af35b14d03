// check_runner.h — runs every checker of a configuration and reports real servers whose
// aggregate state changes.
//
//   auto targets = check::targets_of(cfg);                    // one entry per checker
//   check::CheckRunner runner(targets, [](check::RsId id, bool alive, int64_t weight) {
//     apply(id.vs, id.rs, alive, weight);
//   });
//   runner.start();  ...  runner.stop();                      // stop() returns within ~100 ms
//
// One scheduler thread picks the due attempts and hands them to a fixed pool of worker
// threads (Options::workers), so thousands of real servers need no thread each.  The
// retry logic is CheckState's.  A real server is alive only when ALL its checkers are up
// (spec §7.5); its weight is the configured one, replaced by the last MISC_CHECK dynamic
// weight and adjusted by FILE_CHECK weight deltas, clamped to 0..INT32_MAX.  Real servers
// without checkers are not tracked (always alive).  Callbacks come from worker threads, one
// at a time, in the order the changes happened.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "check/check_state.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

struct RsId {
  size_t vs = 0, rs = 0;  // indices into KeepalivedConfig::virtual_servers / real_servers
  friend auto operator<=>(const RsId&, const RsId&) = default;
};

struct CheckTarget {
  RsId id;
  size_t checker = 0;        // index into RealServer::checkers
  config::Checker check;
  net::Endpoint rs;          // the real server (connect_ip / connect_port override it)
  int64_t rs_weight = 1;     // configured weight
};

// Every checker of every real server (sorry servers are not checked).
std::vector<CheckTarget> targets_of(const config::KeepalivedConfig& cfg);

using OnChange = std::function<void(RsId, bool alive, int64_t weight)>;
using ProbeFn = std::function<ProbeResult(const CheckTarget&, const std::atomic<bool>* cancel)>;

struct RunnerOptions {
  int workers = 0;      // 0: clamp(checkers / 8, 4, 64)
  RandomMs random;      // warm-up jitter; default: uniform
  ProbeFn probe;        // default: run_probe (tests inject fakes)
  bool reload = false;  // replaces a running runner (SIGHUP): no start-up shortcut (check_state.h)
};

class CheckRunner {
 public:
  using Options = RunnerOptions;
  CheckRunner(std::vector<CheckTarget> targets, OnChange on_change, Options opt = Options());
  ~CheckRunner();
  CheckRunner(const CheckRunner&) = delete;
  CheckRunner& operator=(const CheckRunner&) = delete;

  // Starts checking: every checker's first attempt comes 1 s + warm-up from now.  A runner
  // stopped and started again keeps its verdicts.
  void start();
  void stop();  // prompt: running probes give up, MISC scripts are killed

  // Reload, before start(): real server `id` continues the verdicts of the previous runner's
  // checkers (carry.h): old[c] is the old state of this server's checker c, nullopt for a new
  // checker.  `was_alive` is whether the server was alive.  keepalived's migrate_checkers: if
  // a carried checker is down (or the server was down before any checker ran), the checkers
  // that have not run yet start pessimistic (CheckState::join_failed_server); on a server that
  // was alive with nothing failed they start up, alpha ones too (join_live_server).
  void carry(RsId id, bool was_alive, const std::vector<std::optional<CheckState>>& old);
  // The state of real server `id`'s checker `checker`, to carry into a reloaded runner.
  std::optional<CheckState> state(RsId id, size_t checker) const;

  // The aggregate as it stands (before any check: up unless a checker is alpha).
  bool alive(RsId id) const;
  int64_t weight(RsId id) const;

 private:
  struct Entry {
    CheckTarget target;
    CheckState state;
  };
  struct Server {
    int64_t base_weight = 1;
    std::vector<size_t> entries;
    bool alive = true;
    int64_t weight = 1;
  };

  int64_t now_ms() const;
  void scheduler_loop();
  void worker_loop();
  void run_one(size_t index);
  // Recompute a server's aggregate; true when alive or weight changed.
  bool refresh(Server& s);

  std::vector<Entry> entries_;
  std::map<RsId, Server> servers_;
  OnChange on_change_;
  Options opt_;
  std::chrono::steady_clock::time_point epoch_;

  mutable std::mutex mu_;
  std::mutex notify_mu_;  // keeps callbacks one at a time and in order
  std::condition_variable sched_cv_, work_cv_;
  std::deque<size_t> queue_;
  std::atomic<bool> stop_{false};
  bool started_ = false;
  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace ulvs::check
