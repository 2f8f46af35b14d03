// check_runner_test — the runner end to end: real TCP checks against 127.0.0.1 (one real
// server alive, one on a dead port), aggregation over several checkers, dynamic weights,
// alpha, and a prompt stop() while a MISC script runs.
#include "check/check_runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>

#include "check/test_servers.h"

using namespace ulvs;
using namespace ulvs::check;
using namespace ulvs::check::test;
using Ms = std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

struct Event {
  RsId id;
  bool alive;
  int64_t weight;
  int64_t at_ms;
};

struct Recorder {
  std::mutex mu;
  std::vector<Event> events;
  Clock::time_point t0 = Clock::now();
  OnChange callback() {
    return [this](RsId id, bool alive, int64_t weight) {
      std::lock_guard l(mu);
      events.push_back({id, alive, weight,
                        std::chrono::duration_cast<Ms>(Clock::now() - t0).count()});
    };
  }
  std::vector<Event> snapshot() {
    std::lock_guard l(mu);
    return events;
  }
  // Wait until `n` events were seen or `ms` passed.
  std::vector<Event> wait_for(size_t n, int ms) {
    for (int i = 0; i < ms / 5 && snapshot().size() < n; ++i) std::this_thread::sleep_for(Ms(5));
    return snapshot();
  }
};

config::Checker fast_tcp(uint16_t port) {
  config::Checker c;
  c.type = config::Checker::Tcp;
  c.connect_port = port;
  c.connect_timeout = 100;
  c.delay_loop = 200;
  c.delay_before_retry = 50;
  c.retry = 1;
  c.warmup = 0;
  return c;
}

CheckTarget target(size_t rs, size_t idx, const config::Checker& c, int64_t weight = 1) {
  return CheckTarget{RsId{0, rs}, idx, c, local(0), weight};
}

RunnerOptions no_jitter(ProbeFn probe = nullptr) {
  RunnerOptions o;
  o.workers = 2;
  o.random = [](int64_t) { return 0; };
  o.probe = std::move(probe);
  return o;
}

int listen_on(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || listen(fd, 8) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TEST(CheckRunner, DeadServerLeavesAndComesBack) {
  TcpServer alive(nullptr);
  const uint16_t dead = dead_port();
  Recorder rec;
  config::Checker slow_retry = fast_tcp(dead);
  slow_retry.delay_before_retry = 1000;  // a retry before the verdict would show as >= 2 s
  CheckRunner runner({target(0, 0, fast_tcp(alive.port()), 3), target(1, 0, slow_retry, 7)},
                     rec.callback(), no_jitter());
  EXPECT_TRUE(runner.alive(RsId{0, 1}));  // non-alpha: up until proven otherwise
  runner.start();
  // First attempt at 1 s: at start one failure is enough (keepalived), no retry first.
  auto ev = rec.wait_for(1, 3000);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].id, (RsId{0, 1}));
  EXPECT_FALSE(ev[0].alive);
  EXPECT_GE(ev[0].at_ms, 1000);
  EXPECT_LT(ev[0].at_ms, 1900);
  EXPECT_FALSE(runner.alive(RsId{0, 1}));
  EXPECT_TRUE(runner.alive(RsId{0, 0}));
  // Bring the dead port to life: back within one delay_loop.
  int fd = listen_on(dead);
  ASSERT_GE(fd, 0);
  ev = rec.wait_for(2, 600);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].id, (RsId{0, 1}));
  EXPECT_TRUE(ev[1].alive);
  EXPECT_EQ(ev[1].weight, 7);
  EXPECT_LT(ev[1].at_ms - ev[0].at_ms, 450);
  auto t0 = Clock::now();
  runner.stop();
  EXPECT_LT(std::chrono::duration_cast<Ms>(Clock::now() - t0).count(), 150);
  close(fd);
  EXPECT_EQ(rec.snapshot().size(), 2u);  // nothing about the healthy server
}

TEST(CheckRunner, AllCheckersMustBeUpAndDynamicWeight) {
  // rs 0 has two checkers (fake probes): #0 always up with weight 10 (MISC dynamic exit 12),
  // #1 fails from the start (retry 0).
  std::atomic<bool> second_ok{false};
  ProbeFn probe = [&](const CheckTarget& t, const std::atomic<bool>*) {
    if (t.checker == 0) {
      ProbeResult r = ProbeResult::up();
      r.weight = 10;
      return r;
    }
    return second_ok ? ProbeResult::up() : ProbeResult::down("no");
  };
  config::Checker c = fast_tcp(1);
  c.retry = 0;
  Recorder rec;
  CheckRunner runner({target(0, 0, c, 1), target(0, 1, c, 1)}, rec.callback(), no_jitter(probe));
  runner.start();
  // Both checkers are due at 1 s: depending on which finishes first the server may briefly
  // report its new weight before going down.  Either way it ends up down.
  auto ev = rec.wait_for(1, 1500);
  ASSERT_GE(ev.size(), 1u);
  if (ev.back().alive) {
    EXPECT_EQ(ev.back().weight, 10);
    ev = rec.wait_for(2, 300);
  }
  ASSERT_FALSE(ev.empty());
  EXPECT_FALSE(ev.back().alive);
  const size_t n = ev.size();
  second_ok = true;
  ev = rec.wait_for(n + 1, 600);
  ASSERT_EQ(ev.size(), n + 1);
  EXPECT_TRUE(ev.back().alive);
  EXPECT_EQ(ev.back().weight, 10);  // the dynamic weight, not the configured 1
  runner.stop();
}

TEST(CheckRunner, AlphaStartsDown) {
  config::Checker c = fast_tcp(1);
  c.alpha = true;
  Recorder rec;
  CheckRunner runner({target(0, 0, c, 4)}, rec.callback(),
                     no_jitter([](const CheckTarget&, const std::atomic<bool>*) { return ProbeResult::up(); }));
  EXPECT_FALSE(runner.alive(RsId{0, 0}));
  runner.start();
  auto ev = rec.wait_for(1, 1500);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(ev[0].alive);
  EXPECT_EQ(ev[0].weight, 4);
  runner.stop();
}

TEST(CheckRunner, StopIsPromptWhileScriptRuns) {
  config::Checker c;
  c.type = config::Checker::Misc;
  c.misc_path.command = "sleep 5";
  c.misc_timeout = 5000;
  c.warmup = 0;
  Recorder rec;
  CheckRunner runner({target(0, 0, c)}, rec.callback(), no_jitter());
  runner.start();
  std::this_thread::sleep_for(Ms(1100));  // the script is running now
  auto t0 = Clock::now();
  runner.stop();
  EXPECT_LT(std::chrono::duration_cast<Ms>(Clock::now() - t0).count(), 150);
  EXPECT_TRUE(rec.snapshot().empty());  // a stopped attempt is not a failure
}

TEST(CheckRunner, TargetsOfConfig) {
  config::KeepalivedConfig cfg;
  cfg.virtual_servers.resize(2);
  config::RealServer rs;
  rs.ep = local(80);
  rs.weight = 5;
  rs.checkers.resize(2);
  cfg.virtual_servers[1].real_servers = {config::RealServer{}, rs};
  auto t = targets_of(cfg);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].id, (RsId{1, 1}));
  EXPECT_EQ(t[1].checker, 1u);
  EXPECT_EQ(t[1].rs_weight, 5);
  EXPECT_EQ(t[1].rs, local(80));
}
