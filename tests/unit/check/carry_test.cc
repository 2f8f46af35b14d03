// carry_test — what a reload carries over: which real servers and checkers of a new
// configuration match the running one (keepalived's vs_iseq / rs_iseq / checker compare), and
// a runner that continues an old runner's verdicts without checking again.
#include "check/carry.h"

#include <gtest/gtest.h>

#include "config/keepalived_parser.h"

using namespace ulvs;
using namespace ulvs::check;

namespace {

config::KeepalivedConfig parse(const std::string& text) {
  config::Diagnostics diag;
  auto cfg = config::parse_keepalived_text(text, "test.conf", diag);
  EXPECT_TRUE(cfg) << (diag.empty() ? "" : diag[0].message);
  return cfg ? *cfg : config::KeepalivedConfig{};
}

const char* kOld = R"(
virtual_server 10.0.0.1 80 {
  lb_kind NAT
  real_server 192.168.1.1 80 {
    weight 1
    TCP_CHECK { connect_timeout 3 }
    HTTP_GET { url { path /health status_code 200 } }
  }
  real_server 192.168.1.2 80 { TCP_CHECK { } }
}
virtual_server 10.0.0.2 443 {
  real_server 192.168.1.3 443 { TCP_CHECK { } }
}
)";

}  // namespace

TEST(Carry, MatchesServersByAddressAndChecksByWhatTheyProbe) {
  // The first virtual server moved down a place; server .1 changed its weight, its TCP
  // check's timing and its HTTP path; .2 is gone; .4 is new.
  auto now = parse(R"(
virtual_server 10.0.0.9 80 { real_server 192.168.1.1 80 { TCP_CHECK { } } }
virtual_server 10.0.0.1 80 {
  lb_kind NAT
  real_server 192.168.1.4 80 { TCP_CHECK { } }
  real_server 192.168.1.1 80 {
    weight 5
    HTTP_GET { url { path /other status_code 200 } }
    TCP_CHECK {
      connect_timeout 9
      retry 7
      delay_before_retry 2
    }
  }
}
)");
  auto cp = plan_carry(parse(kOld), now);
  EXPECT_EQ(cp.vs_from, (std::vector<std::optional<size_t>>{std::nullopt, 0u}));
  const auto& plan = cp.servers;
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].from, (RsId{0, 0}));
  EXPECT_EQ(plan[0].to, (RsId{1, 1}));
  ASSERT_EQ(plan[0].checker_from.size(), 2u);
  EXPECT_FALSE(plan[0].checker_from[0]);  // the HTTP check asks for another page: new
  EXPECT_EQ(plan[0].checker_from[1], 0u);  // the TCP check, retimed: the same check
}

TEST(Carry, VirtualServerIdentity) {
  // keepalived reads one keyword per line; protocol defaults to UDP.
  auto a = parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n}\n").virtual_servers.at(0);
  auto udp = parse("virtual_server 10.0.0.1 80 {\n protocol UDP\n}\n").virtual_servers.at(0);
  auto other_port = parse("virtual_server 10.0.0.1 81 { }\n").virtual_servers.at(0);
  auto retuned =
      parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n delay_loop 3\n}\n").virtual_servers.at(0);
  EXPECT_TRUE(same_virtual_server(a, retuned));
  EXPECT_FALSE(same_virtual_server(a, udp));
  EXPECT_FALSE(same_virtual_server(a, other_port));
  auto fw = parse("virtual_server fwmark 7 { }\n").virtual_servers.at(0);
  auto fw2 = parse("virtual_server fwmark 8 { }\n").virtual_servers.at(0);
  EXPECT_TRUE(same_virtual_server(fw, fw));
  EXPECT_FALSE(same_virtual_server(fw, fw2));
  // A group is known by its name, whatever its members became.
  auto g1 = parse("virtual_server_group G { 10.0.0.1 80 }\nvirtual_server group G { }\n").virtual_servers.at(0);
  auto g2 = parse("virtual_server_group G { 10.0.0.5 80 }\nvirtual_server group G { }\n").virtual_servers.at(0);
  EXPECT_TRUE(same_virtual_server(g1, g2));
}

TEST(Carry, TwoIdenticalCheckersEachCarryTheirOwn) {
  auto cfg = parse(R"(
virtual_server 10.0.0.1 80 {
  real_server 192.168.1.1 80 {
    TCP_CHECK { }
    TCP_CHECK { }
  }
}
)");
  auto plan = plan_carry(cfg, cfg).servers;
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].checker_from, (std::vector<std::optional<size_t>>{0u, 1u}));
}

namespace {

RunnerOptions never_probes() {
  RunnerOptions o;
  o.workers = 1;
  o.random = [](int64_t) { return 0; };
  o.probe = [](const CheckTarget&, const std::atomic<bool>*) { return ProbeResult::up(); };
  return o;
}

CheckState state_after(const config::Checker& c, bool ok) {
  CheckState s(timing_of(c), 0, [](int64_t) { return 0; });
  s.start(1000);
  s.finish(ok ? ProbeResult::up() : ProbeResult::down("x"), 1000);
  return s;
}

}  // namespace

TEST(Carry, RunnerStartsFromTheCarriedVerdicts) {
  auto cfg = parse(R"(
virtual_server 10.0.0.1 80 {
  real_server 192.168.1.1 80 { TCP_CHECK { retry 0 } }
  real_server 192.168.1.2 80 {
    TCP_CHECK { retry 0 }
    TCP_CHECK {
      connect_port 81
      retry 3
    }
  }
  real_server 192.168.1.3 80 { TCP_CHECK { retry 0 } }
}
)");
  auto targets = targets_of(cfg);
  CheckRunner runner(targets, nullptr, never_probes());
  const auto& rs = cfg.virtual_servers[0].real_servers;
  // .1 was down; .2's first checker was down and its second is new; .3 was up.
  runner.carry(RsId{0, 0}, false, {state_after(rs[0].checkers[0], false)});
  runner.carry(RsId{0, 1}, false, {state_after(rs[1].checkers[0], false), std::nullopt});
  runner.carry(RsId{0, 2}, true, {state_after(rs[2].checkers[0], true)});
  EXPECT_FALSE(runner.alive(RsId{0, 0}));
  EXPECT_FALSE(runner.alive(RsId{0, 1}));
  EXPECT_TRUE(runner.alive(RsId{0, 2}));
  // The new checker on the failed server starts pessimistic: one failure will do.
  auto fresh = runner.state(RsId{0, 1}, 1);
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(fresh->has_run());
  EXPECT_EQ(fresh->retries_used(), 3);
  EXPECT_FALSE(runner.state(RsId{0, 7}, 0));
  EXPECT_FALSE(runner.state(RsId{0, 0}, 5));
}

TEST(Carry, CarriedDownServerComesBackOnSuccess) {
  auto cfg = parse("virtual_server 10.0.0.1 80 {\n real_server 192.168.1.1 80 {\n"
                   " TCP_CHECK {\n retry 0\n delay_loop 1\n } } }\n");
  std::mutex mu;
  std::vector<bool> seen;
  auto opt = never_probes();
  CheckRunner runner(targets_of(cfg), [&](RsId, bool alive, int64_t) {
    std::lock_guard l(mu);
    seen.push_back(alive);
  }, opt);
  runner.carry(RsId{0, 0}, false, {state_after(cfg.virtual_servers[0].real_servers[0].checkers[0], false)});
  ASSERT_FALSE(runner.alive(RsId{0, 0}));
  runner.start();
  for (int i = 0; i < 300 && runner.alive(RsId{0, 0}) == false; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  runner.stop();
  std::lock_guard l(mu);
  EXPECT_EQ(seen, std::vector<bool>{true});  // reported once: down was already known
}

TEST(Carry, NewAlphaCheckerDoesNotTakeALiveServerOut) {
  auto cfg = parse(R"(
virtual_server 10.0.0.1 80 {
  real_server 192.168.1.1 80 {
    TCP_CHECK { }
    TCP_CHECK {
      connect_port 81
      alpha
    }
  }
}
)");
  CheckRunner runner(targets_of(cfg), nullptr, never_probes());
  const auto& chk = cfg.virtual_servers[0].real_servers[0].checkers;
  ASSERT_FALSE(runner.alive(RsId{0, 0}));  // a fresh alpha checker is down
  // Reload: the server was alive, its first checker up; the alpha one is new.
  runner.carry(RsId{0, 0}, true, {state_after(chk[0], true), std::nullopt});
  EXPECT_TRUE(runner.alive(RsId{0, 0}));  // keepalived counts only checkers that ran and failed
}
