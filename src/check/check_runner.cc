#include "check/check_runner.h"

#include <algorithm>
#include <climits>
#include <random>

#include "check/probe.h"

namespace ulvs::check {

std::vector<CheckTarget> targets_of(const config::KeepalivedConfig& cfg) {
  std::vector<CheckTarget> out;
  for (size_t v = 0; v < cfg.virtual_servers.size(); ++v) {
    const auto& vs = cfg.virtual_servers[v];
    for (size_t r = 0; r < vs.real_servers.size(); ++r) {
      const auto& rs = vs.real_servers[r];
      for (size_t c = 0; c < rs.checkers.size(); ++c)
        out.push_back(CheckTarget{RsId{v, r}, c, rs.checkers[c], rs.ep, rs.weight});
    }
  }
  return out;
}

static RandomMs default_random() {
  auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [rng](int64_t max) { return std::uniform_int_distribution<int64_t>(0, max)(*rng); };
}

CheckRunner::CheckRunner(std::vector<CheckTarget> targets, OnChange on_change, Options opt)
    : on_change_(std::move(on_change)), opt_(std::move(opt)), epoch_(std::chrono::steady_clock::now()) {
  if (!opt_.random) opt_.random = default_random();
  if (!opt_.probe)
    opt_.probe = [](const CheckTarget& t, const std::atomic<bool>* cancel) {
      return run_probe(t.check, t.rs, cancel);
    };
  if (opt_.workers <= 0) opt_.workers = std::clamp<int>(static_cast<int>(targets.size() / 8), 4, 64);
  entries_.reserve(targets.size());
  for (auto& t : targets) {
    Server& s = servers_[t.id];
    s.base_weight = t.rs_weight;
    s.entries.push_back(entries_.size());
    CheckState state(timing_of(t.check), 0, opt_.random, /*at_start=*/!opt_.reload);
    entries_.push_back(Entry{std::move(t), state});
  }
  for (auto& [id, s] : servers_) refresh(s);
}

CheckRunner::~CheckRunner() { stop(); }

int64_t CheckRunner::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - epoch_)
      .count();
}

bool CheckRunner::refresh(Server& s) {
  bool alive = true;
  int64_t weight = s.base_weight, delta = 0;
  for (size_t i : s.entries) {
    const CheckState& st = entries_[i].state;
    alive = alive && st.up();
    if (!st.weight()) continue;
    if (st.weight_is_delta()) delta += *st.weight();
    else weight = *st.weight();
  }
  weight = std::clamp<int64_t>(weight + delta, 0, INT32_MAX);
  const bool changed = alive != s.alive || (alive && weight != s.weight);
  s.alive = alive;
  s.weight = weight;
  return changed;
}

void CheckRunner::start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  stop_ = false;
  epoch_ = std::chrono::steady_clock::now();
  for (auto& e : entries_) e.state.reschedule(0, opt_.random);
  for (int i = 0; i < opt_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
  scheduler_ = std::thread([this] { scheduler_loop(); });
}

void CheckRunner::stop() {
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    stop_ = true;
    queue_.clear();
  }
  sched_cv_.notify_all();
  work_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (auto& w : workers_) w.join();
  workers_.clear();
  std::lock_guard lock(mu_);
  started_ = false;
}

void CheckRunner::scheduler_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    const int64_t now = now_ms();
    int64_t next = now + 1000;
    for (size_t i = 0; i < entries_.size(); ++i) {
      CheckState& st = entries_[i].state;
      if (st.due(now)) {
        st.start(now);
        queue_.push_back(i);
        work_cv_.notify_one();
      } else if (!st.running()) {
        next = std::min(next, st.next_due());
      }
    }
    sched_cv_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(1, next - now)));
  }
}

void CheckRunner::worker_loop() {
  for (;;) {
    size_t index;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      index = queue_.front();
      queue_.pop_front();
    }
    run_one(index);
  }
}

void CheckRunner::run_one(size_t index) {
  const CheckTarget& target = entries_[index].target;  // immutable after construction
  ProbeResult r = opt_.probe(target, &stop_);
  std::lock_guard notify(notify_mu_);
  bool changed = false;
  bool alive = false;
  int64_t weight = 0;
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    entries_[index].state.finish(r, now_ms());
    Server& s = servers_[target.id];
    changed = refresh(s);
    alive = s.alive;
    weight = s.weight;
  }
  sched_cv_.notify_one();
  if (changed && on_change_) on_change_(target.id, alive, weight);
}

void CheckRunner::carry(RsId id, bool was_alive, const std::vector<std::optional<CheckState>>& old) {
  std::lock_guard lock(mu_);
  auto it = servers_.find(id);
  if (it == servers_.end()) return;
  Server& s = it->second;
  bool failed = false, any_run = false;
  for (size_t i : s.entries) {
    CheckState& st = entries_[i].state;
    const size_t c = entries_[i].target.checker;
    if (c < old.size() && old[c]) st.carry(*old[c]);
    failed = failed || (st.has_run() && !st.up());
    any_run = any_run || st.has_run();
  }
  if (failed || (!was_alive && !any_run))
    for (size_t i : s.entries) entries_[i].state.join_failed_server();
  else if (was_alive)  // keepalived counts only checkers that ran and failed: the server stays
    for (size_t i : s.entries) entries_[i].state.join_live_server();
  refresh(s);
}

std::optional<CheckState> CheckRunner::state(RsId id, size_t checker) const {
  std::lock_guard lock(mu_);
  auto it = servers_.find(id);
  if (it == servers_.end()) return std::nullopt;
  for (size_t i : it->second.entries)
    if (entries_[i].target.checker == checker) return entries_[i].state;
  return std::nullopt;
}

bool CheckRunner::alive(RsId id) const {
  std::lock_guard lock(mu_);
  auto it = servers_.find(id);
  return it == servers_.end() || it->second.alive;
}

int64_t CheckRunner::weight(RsId id) const {
  std::lock_guard lock(mu_);
  auto it = servers_.find(id);
  return it == servers_.end() ? 0 : it->second.weight;
}

}  // namespace ulvs::check
