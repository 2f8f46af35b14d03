// pool_test.cc — keepalived's pool logic (config/pool.h): start-up state, checker events,
// inhibit_on_failure, alpha, quorum with hysteresis, the sorry server, scripts; and the
// start-up-then-every-check-fails table against what real keepalived built
// (tests/config/cases/NAME.expected, from tests/config/generate.sh).
#include "config/pool.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

// ipvsadm -Ln exactly as ulvsadm prints it, to compare with keepalived-oracle's output.  The
// test binary links only ulvs_config, so the formatter's sources are compiled in here.
#include "cli/format.cc"
#include "cli/inet.cc"
#include "cli/sort.cc"

namespace ulvs::config {
namespace {

using ipvs::Fwd;

net::Endpoint ep(const char* s) { return *net::Endpoint::parse(s); }

VirtualKey tcp(const char* s) { return {.protocol = ipvs::proto::kTcp, .ep = ep(s)}; }
VirtualKey udp(const char* s) { return {.protocol = ipvs::proto::kUdp, .ep = ep(s)}; }
VirtualKey fwm(uint32_t mark) { return {.protocol = 0, .fwmark = mark}; }

Checker tcp_check(bool alpha = false) {
  Checker c;
  c.type = Checker::Tcp;
  c.alpha = alpha;
  return c;
}

RealServer rs(const char* addr, int32_t weight, Fwd fwd = Fwd::Masq, int checkers = 0,
              bool inhibit = false, bool alpha = false) {
  RealServer r;
  r.ep = ep(addr);
  r.weight = weight;
  r.fwd = fwd;
  r.inhibit_on_failure = inhibit;
  r.alpha = alpha;
  for (int i = 0; i < checkers; i++) r.checkers.push_back(tcp_check(alpha));
  return r;
}

VirtualServer vs(std::vector<VirtualKey> keys, const char* sched, std::vector<RealServer> rss) {
  VirtualServer v;
  v.keys = std::move(keys);
  v.scheduler = sched;
  v.real_servers = std::move(rss);
  return v;
}

Script script(const char* cmd) { return Script{.command = cmd}; }

// ---- the oracle cases: tests/config/cases/NAME.conf as the parser will fill the model ----

KeepalivedConfig case_nat_wrr() {
  KeepalivedConfig c;
  c.virtual_servers.push_back(vs({tcp("10.0.0.1:80")}, "wrr",
                                 {rs("10.0.1.1:8080", 3), rs("10.0.1.2:8080", 2),
                                  rs("10.0.1.3:8080", 5, Fwd::Masq, 1)}));
  return c;
}

KeepalivedConfig case_dr_persist() {
  KeepalivedConfig c;
  VirtualServer v = vs({tcp("10.0.0.2:443")}, "rr",
                       {rs("10.0.2.1:443", 1, Fwd::Route), rs("10.0.2.2:443", 4, Fwd::Route)});
  v.persistence_timeout = 600;
  v.persistence_granularity = net::Addr::parse("255.255.255.0");
  c.virtual_servers.push_back(v);
  return c;
}

KeepalivedConfig case_tun_udp() {
  KeepalivedConfig c;
  VirtualServer v = vs({udp("10.0.0.3:53")}, "wlc",
                       {rs("10.0.3.1:53", 2, Fwd::Tunnel), rs("10.0.3.2:53", 7, Fwd::Tunnel)});
  v.ops = true;
  c.virtual_servers.push_back(v);
  return c;
}

KeepalivedConfig case_fwmark() {
  KeepalivedConfig c;
  // The parser keeps the written ports; the pool clears them for DR on a fwmark service.
  VirtualServer v = vs({fwm(7)}, "sh",
                       {rs("10.0.4.1:80", 1, Fwd::Route), rs("10.0.4.2:80", 3, Fwd::Route)});
  v.sched_flags = ipvs::svc_flag::kSched2;  // sh-port
  v.persistence_timeout = 300;
  c.virtual_servers.push_back(v);
  return c;
}

KeepalivedConfig case_group_range() {
  KeepalivedConfig c;
  VirtualServer v = vs({tcp("10.0.0.10:80"), tcp("10.0.0.11:80"), tcp("10.0.0.12:80"),
                        tcp("10.0.0.20:8080"), fwm(9)},
                       "wrr",
                       {rs("10.0.5.1:80", 2, Fwd::Route), rs("10.0.5.2:80", 1, Fwd::Route, 1)});
  v.group = "WEB";
  c.virtual_servers.push_back(v);
  return c;
}

KeepalivedConfig case_sorry() {
  KeepalivedConfig c;
  VirtualServer a = vs({tcp("10.0.0.4:80")}, "rr",
                       {rs("10.0.6.1:80", 1, Fwd::Masq, 1), rs("10.0.6.2:80", 1, Fwd::Masq, 1)});
  a.sorry_server = rs("10.0.9.9:8080", 1);
  VirtualServer b = vs({tcp("10.0.0.5:80")}, "rr", {rs("10.0.6.3:80", 1, Fwd::Route, 1)});
  b.sorry_server = rs("10.0.9.10:80", 1, Fwd::Route);
  b.sorry_server_inhibit = true;
  VirtualServer d = vs({tcp("10.0.0.6:80")}, "rr", {rs("10.0.6.4:80", 1)});
  d.sorry_server = rs("10.0.9.11:80", 1);
  d.sorry_server_inhibit = true;
  c.virtual_servers = {a, b, d};
  return c;
}

KeepalivedConfig case_inhibit() {
  KeepalivedConfig c;
  c.virtual_servers.push_back(vs({tcp("10.0.0.7:80")}, "wlc",
                                 {rs("10.0.7.1:80", 5, Fwd::Masq, 1, true),
                                  rs("10.0.7.2:80", 3, Fwd::Masq, 0, true)}));
  return c;
}

KeepalivedConfig case_alpha() {
  KeepalivedConfig c;
  VirtualServer a = vs({tcp("10.0.0.8:80")}, "rr",
                       {rs("10.0.8.1:80", 1, Fwd::Masq, 1, false, true),
                        rs("10.0.8.2:80", 1, Fwd::Masq, 0, false, true)});
  a.alpha = true;
  VirtualServer b = vs({tcp("10.0.0.9:80")}, "rr",
                       {rs("10.0.8.3:80", 4, Fwd::Masq, 1, true, true),
                        rs("10.0.8.4:80", 2, Fwd::Masq, 0, true, true)});
  b.alpha = true;
  c.virtual_servers = {a, b};
  return c;
}

KeepalivedConfig case_quorum() {
  KeepalivedConfig c;
  VirtualServer a = vs({tcp("10.0.0.11:80")}, "wrr",
                       {rs("10.0.10.1:80", 3, Fwd::Masq, 1), rs("10.0.10.2:80", 3)});
  a.quorum = 5;
  a.hysteresis = 1;
  a.sorry_server = rs("10.0.9.12:80", 1);
  VirtualServer b = vs({tcp("10.0.0.12:80")}, "wrr",
                       {rs("10.0.10.3:80", 3, Fwd::Masq, 1), rs("10.0.10.4:80", 3)});
  b.quorum = 5;
  b.hysteresis = 1;
  VirtualServer d = vs({tcp("10.0.0.13:80")}, "wrr",
                       {rs("10.0.10.5:80", 3, Fwd::Masq, 1, true), rs("10.0.10.6:80", 3, Fwd::Masq, 0, true)});
  d.quorum = 4;
  d.hysteresis = 1;
  d.sorry_server = rs("10.0.9.13:80", 1);
  c.virtual_servers = {a, b, d};
  return c;
}

// What keepalived-oracle sees: start-up, then every checker reports a failure.
std::string table_after_all_checks_fail(const KeepalivedConfig& cfg) {
  PoolStates st = PoolStates::start(cfg);
  for (Pool& p : st.pools)
    for (size_t r = 0; r < p.config().real_servers.size(); r++)
      for (size_t c = 0; c < p.config().real_servers[r].checkers.size(); c++)
        p.checker_result(r, c, false);
  return cli::format_list(ctl::Info{}, desired_table(cfg, st), cli::fmt::kNumeric);
}

std::string read_expected(const std::string& name) {
  std::string here = __FILE__;  // .../tests/unit/config/pool_test.cc
  std::string dir = here.substr(0, here.rfind("/unit/")) + "/config/cases/";
  std::ifstream f(dir + name + ".expected");
  if (!f) return "(missing " + dir + name + ".expected)";
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct OracleCase {
  const char* name;
  KeepalivedConfig (*make)();
};

class KeepalivedOracle : public ::testing::TestWithParam<OracleCase> {};

TEST_P(KeepalivedOracle, TableMatchesRealKeepalivedWhenEveryCheckFails) {
  EXPECT_EQ(table_after_all_checks_fail(GetParam().make()), read_expected(GetParam().name));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KeepalivedOracle,
    ::testing::Values(OracleCase{"nat_wrr", case_nat_wrr}, OracleCase{"dr_persist", case_dr_persist},
                      OracleCase{"tun_udp", case_tun_udp}, OracleCase{"fwmark", case_fwmark},
                      OracleCase{"group_range", case_group_range}, OracleCase{"sorry", case_sorry},
                      OracleCase{"inhibit", case_inhibit}, OracleCase{"alpha", case_alpha},
                      OracleCase{"quorum", case_quorum}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- the state machine, event by event ----

std::map<std::string, int32_t> dests(const Pool& p, size_t key = 0) {
  std::map<std::string, int32_t> m;
  const std::vector<ctl::ServiceInfo> t = p.table();
  for (const auto& d : t.at(key).dests) m[d.cfg.ep.str()] = d.cfg.weight;
  return m;
}

using W = std::map<std::string, int32_t>;

TEST(Pool, StartAddsServersWithoutCheckersAndNonAlphaCheckers) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "wrr",
                       {rs("10.0.1.1:80", 1), rs("10.0.1.2:80", 2, Fwd::Masq, 1),
                        rs("10.0.1.3:80", 3, Fwd::Masq, 1, false, true),
                        rs("10.0.1.4:80", 4, Fwd::Masq, 1, true, true)});
  v.quorum_up = script("/q up");
  Pool p(v);
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 1}, {"10.0.1.2:80", 2}, {"10.0.1.4:80", 0}}));
  EXPECT_TRUE(p.alive(0));
  EXPECT_TRUE(p.alive(1));
  EXPECT_FALSE(p.alive(2));
  EXPECT_FALSE(p.alive(3));
  EXPECT_TRUE(p.quorum_up());
  EXPECT_EQ(p.weight_sum(), 3);
  // Reaching quorum at start-up runs quorum_up (keepalived logs "Gained quorum").
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::QuorumUp, script("/q up")}}));

  // The alpha servers come in on their first success (inhibited: weight restored).
  p.checker_result(2, 0, true);
  p.checker_result(3, 0, true);
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 1}, {"10.0.1.2:80", 2}, {"10.0.1.3:80", 3},
                         {"10.0.1.4:80", 4}}));
}

TEST(Pool, KernelListOrderIsNewestFirst) {
  Pool p(vs({tcp("10.0.0.1:80")}, "rr",
            {rs("10.0.1.1:80", 1), rs("10.0.1.2:80", 1), rs("10.0.1.3:80", 1, Fwd::Masq, 1)}));
  auto t = p.table();
  ASSERT_EQ(t.at(0).dests.size(), 3u);
  EXPECT_EQ(t[0].dests[0].cfg.ep.str(), "10.0.1.3:80");
  EXPECT_EQ(t[0].dests[2].cfg.ep.str(), "10.0.1.1:80");
  p.set_alive(2, false);
  p.set_alive(2, true);
  EXPECT_EQ(p.table()[0].dests[0].cfg.ep.str(), "10.0.1.3:80");
}

TEST(Pool, FailedServerLeavesAndComesBackWithNotifyScripts) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr",
                       {rs("10.0.1.1:80", 1, Fwd::Masq, 1), rs("10.0.1.2:80", 1)});
  v.real_servers[0].notify_up = script("/n up 1");
  v.real_servers[0].notify_down = script("/n down 1");
  Pool p(v);
  p.take_scripts();
  p.checker_result(0, 0, true);  // first result as expected: nothing
  EXPECT_TRUE(p.take_scripts().empty());
  p.checker_result(0, 0, false);
  EXPECT_EQ(dests(p), (W{{"10.0.1.2:80", 1}}));
  EXPECT_EQ(p.take_scripts(),
            (std::vector<ScriptRun>{{ScriptRun::NotifyDown, script("/n down 1"), 0}}));
  p.checker_result(0, 0, false);  // still down: nothing more
  EXPECT_TRUE(p.take_scripts().empty());
  p.checker_result(0, 0, true);
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 1}, {"10.0.1.2:80", 1}}));
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::NotifyUp, script("/n up 1"), 0}}));
}

TEST(Pool, AlphaFirstFailureRunsNotifyDown) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr",
                       {rs("10.0.1.1:80", 1, Fwd::Masq, 1, false, true), rs("10.0.1.2:80", 1)});
  v.real_servers[0].notify_down = script("/down");
  Pool p(v);
  p.take_scripts();
  p.checker_result(0, 0, false);
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::NotifyDown, script("/down"), 0}}));
  p.checker_result(0, 0, false);
  EXPECT_TRUE(p.take_scripts().empty());
}

TEST(Pool, AliveOnlyWhenEveryCheckerIsUp) {
  Pool p(vs({tcp("10.0.0.1:80")}, "rr", {rs("10.0.1.1:80", 2, Fwd::Masq, 2), rs("10.0.1.2:80", 1)}));
  p.checker_result(0, 0, false);
  EXPECT_FALSE(p.alive(0));
  p.checker_result(0, 1, false);
  p.checker_result(0, 0, true);
  EXPECT_FALSE(p.alive(0));
  EXPECT_EQ(dests(p), (W{{"10.0.1.2:80", 1}}));
  p.checker_result(0, 1, true);
  EXPECT_TRUE(p.alive(0));
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 2}, {"10.0.1.2:80", 1}}));
}

TEST(Pool, InhibitOnFailureKeepsTheServerWithWeightZero) {
  Pool p(vs({tcp("10.0.0.1:80")}, "wlc",
            {rs("10.0.1.1:80", 5, Fwd::Masq, 1, true), rs("10.0.1.2:80", 1)}));
  p.set_alive(0, false);
  EXPECT_EQ(p.ipvs_weight(0), 0);
  EXPECT_EQ(p.weight_sum(), 1);
  p.set_alive(0, true);
  EXPECT_EQ(p.ipvs_weight(0), 5);
}

TEST(Pool, QuorumWithHysteresisAndSorryServer) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "wrr",
                       {rs("10.0.1.1:80", 3, Fwd::Masq, 1), rs("10.0.1.2:80", 3, Fwd::Masq, 1),
                        rs("10.0.1.3:80", 2, Fwd::Masq, 1)});
  v.quorum = 5;
  v.hysteresis = 1;
  v.quorum_up = script("/up");
  v.quorum_down = script("/down");
  v.sorry_server = rs("10.0.9.9:80", 1);
  Pool p(v);
  EXPECT_TRUE(p.quorum_up());
  EXPECT_FALSE(p.sorry_active());
  EXPECT_EQ(p.take_scripts().size(), 1u);  // quorum_up at start

  p.set_alive(0, false);  // 5 >= 5 - 1: still up
  EXPECT_TRUE(p.quorum_up());
  EXPECT_TRUE(p.take_scripts().empty());
  p.set_alive(1, false);  // 2 < 4: down, sorry server replaces the pool
  EXPECT_FALSE(p.quorum_up());
  EXPECT_TRUE(p.sorry_active());
  EXPECT_EQ(dests(p), (W{{"10.0.9.9:80", 1}}));
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::QuorumDown, script("/down")}}));

  p.set_alive(0, true);  // 5 < 5 + 1: still down; tracked, not pushed
  EXPECT_FALSE(p.quorum_up());
  EXPECT_TRUE(p.alive(0));
  EXPECT_EQ(dests(p), (W{{"10.0.9.9:80", 1}}));
  p.set_weight(2, 7);  // not pushed either, but counts: 3 + 7 >= 6: up again
  EXPECT_TRUE(p.quorum_up());
  EXPECT_FALSE(p.sorry_active());
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 3}, {"10.0.1.3:80", 7}}));
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::QuorumUp, script("/up")}}));
}

TEST(Pool, QuorumLostWithoutSorryServerKeepsTheAliveServers) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "wrr",
                       {rs("10.0.1.1:80", 3, Fwd::Masq, 1), rs("10.0.1.2:80", 3)});
  v.quorum = 5;
  v.quorum_down = script("/down");
  Pool p(v);
  p.set_alive(0, false);
  EXPECT_FALSE(p.quorum_up());
  EXPECT_EQ(dests(p), (W{{"10.0.1.2:80", 3}}));
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::QuorumDown, script("/down")}}));
}

TEST(Pool, WeightZeroSumLosesQuorumEvenBelowHysteresis) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "wrr", {rs("10.0.1.1:80", 1, Fwd::Masq, 1)});
  v.sorry_server = rs("10.0.9.9:80", 1);
  Pool p(v);
  EXPECT_TRUE(p.quorum_up());
  p.set_weight(0, 0);  // MISC_CHECK misc_dynamic exit 2: weight 0
  EXPECT_FALSE(p.quorum_up());
  EXPECT_TRUE(p.sorry_active());
}

TEST(Pool, SorryServerInhibitStaysWithWeightZero) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr", {rs("10.0.1.1:80", 1, Fwd::Masq, 1)});
  v.sorry_server = rs("10.0.9.9:80", 1);
  v.sorry_server_inhibit = true;
  Pool p(v);
  EXPECT_EQ(p.sorry_weight(), 0);
  p.set_alive(0, false);
  EXPECT_EQ(p.sorry_weight(), 1);
  EXPECT_EQ(dests(p), (W{{"10.0.9.9:80", 1}}));
  p.set_alive(0, true);
  EXPECT_EQ(p.sorry_weight(), 0);
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 1}, {"10.0.9.9:80", 0}}));
}

TEST(Pool, StartingWithQuorumDownPlacesTheSorryServerAndRunsQuorumDown) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr",
                       {rs("10.0.1.1:80", 1, Fwd::Masq, 1, false, true)});
  v.alpha = true;
  v.sorry_server = rs("10.0.9.9:80", 1);
  v.quorum_down = script("/down");
  Pool p(v);
  EXPECT_FALSE(p.quorum_up());
  EXPECT_EQ(dests(p), (W{{"10.0.9.9:80", 1}}));
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::QuorumDown, script("/down")}}));
  p.set_alive(0, true);
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 1}}));
}

TEST(Pool, StartingWithQuorumDownWithoutSorryServerRunsNothing) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr",
                       {rs("10.0.1.1:80", 1, Fwd::Masq, 1, false, true)});
  v.quorum_down = script("/down");
  Pool p(v);
  EXPECT_FALSE(p.quorum_up());
  EXPECT_TRUE(p.take_scripts().empty());
  EXPECT_TRUE(dests(p).empty());
}

TEST(Pool, InhibitedServersStayAtWeightZeroWhileTheSorryServerStandsIn) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr",
                       {rs("10.0.1.1:80", 2, Fwd::Masq, 1, true), rs("10.0.1.2:80", 2, Fwd::Masq, 1, true)});
  v.quorum = 3;
  v.sorry_server = rs("10.0.9.9:80", 1);
  Pool p(v);
  p.set_alive(0, false);
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 0}, {"10.0.1.2:80", 0}, {"10.0.9.9:80", 1}}));
  p.set_alive(0, true);
  EXPECT_EQ(dests(p), (W{{"10.0.1.1:80", 2}, {"10.0.1.2:80", 2}}));
}

TEST(Pool, QuorumIsClampedToTheTotalWeight) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr", {rs("10.0.1.1:80", 2), rs("10.0.1.2:80", 1)});
  v.quorum = 10;
  v.hysteresis = 5;
  v.sorry_server = rs("10.0.9.9:80", 1);
  Pool p(v);
  EXPECT_EQ(p.quorum(), 3);
  EXPECT_EQ(p.hysteresis(), 2);
  // keepalived's clamp leaves quorum + hysteresis (5) above the total (3): never up, the
  // sorry server stands in from the start (checked against keepalived-oracle).
  EXPECT_FALSE(p.quorum_up());
  EXPECT_EQ(dests(p), (W{{"10.0.9.9:80", 1}}));
}

TEST(Pool, WeightChangeIsAnEditOnlyForAliveServers) {
  Pool p(vs({tcp("10.0.0.1:80")}, "wrr",
            {rs("10.0.1.1:80", 1, Fwd::Masq, 1, true), rs("10.0.1.2:80", 1)}));
  p.set_weight(1, 9);
  EXPECT_EQ(p.ipvs_weight(1), 9);
  p.set_alive(0, false);
  p.set_weight(0, 4);  // inhibited: stays 0 until it comes back
  EXPECT_EQ(p.ipvs_weight(0), 0);
  p.set_alive(0, true);
  EXPECT_EQ(p.ipvs_weight(0), 4);
  p.set_weight(1, int64_t(1) << 40);  // clamped like keepalived's real_weight
  EXPECT_EQ(p.ipvs_weight(1), INT32_MAX);
  p.set_weight(1, -3);
  EXPECT_EQ(p.ipvs_weight(1), 0);
}

TEST(Pool, PortsFollowTheForwardingMethodPerKey) {
  VirtualServer v = vs({tcp("10.0.0.1:80"), tcp("10.0.0.2:443"), fwm(3)}, "rr",
                       {rs("10.0.1.1:8080", 1, Fwd::Route), rs("10.0.1.2:8080", 1, Fwd::Masq),
                        rs("10.0.1.3:0", 1, Fwd::Masq)});
  v.group = "G";
  Pool p(v);
  EXPECT_EQ(dests(p, 0), (W{{"10.0.1.1:80", 1}, {"10.0.1.2:8080", 1}, {"10.0.1.3:0", 1}}));
  EXPECT_EQ(dests(p, 1), (W{{"10.0.1.1:443", 1}, {"10.0.1.2:8080", 1}, {"10.0.1.3:0", 1}}));
  EXPECT_EQ(dests(p, 2), (W{{"10.0.1.1:0", 1}, {"10.0.1.2:8080", 1}, {"10.0.1.3:0", 1}}));
  // Outside a group, NAT to port 0 means the service's port.
  Pool q(vs({tcp("10.0.0.1:80")}, "rr", {rs("10.0.1.3:0", 1)}));
  EXPECT_EQ(dests(q), (W{{"10.0.1.3:80", 1}}));
  // From an ldirectord.cf, a DR server of a fwmark service keeps its port (as ipvsadm does);
  // an address service still gives it the service's.
  v.fwmark_keeps_rs_port = true;
  Pool ld(v);
  EXPECT_EQ(dests(ld, 0), (W{{"10.0.1.1:80", 1}, {"10.0.1.2:8080", 1}, {"10.0.1.3:0", 1}}));
  EXPECT_EQ(dests(ld, 2), (W{{"10.0.1.1:8080", 1}, {"10.0.1.2:8080", 1}, {"10.0.1.3:0", 1}}));
}

TEST(Pool, ServiceConfigCarriesPersistenceAndFlags) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "sh", {rs("10.0.1.1:80", 1)});
  v.persistence_timeout = 50;
  v.persistence_granularity = net::Addr::parse("255.255.0.0");
  v.persistence_engine = "sip";
  v.sched_flags = ipvs::svc_flag::kSched1 | ipvs::svc_flag::kSched2;
  v.ops = true;  // TCP: keepalived resets it
  ipvs::ServiceConfig c = service_config(v, v.keys[0]);
  EXPECT_EQ(c.flags, ipvs::svc_flag::kPersistent | ipvs::svc_flag::kSched1 | ipvs::svc_flag::kSched2);
  EXPECT_EQ(c.timeout_s, 50u);
  EXPECT_EQ(c.netmask, 0xFFFF0000u);
  EXPECT_EQ(c.pe_name, "sip");

  VirtualKey k6{.protocol = ipvs::proto::kUdp, .ep = ep("[2001:db8::1]:53")};
  v.keys = {k6};
  v.persistence_granularity = net::Addr::parse("ffff:ffff:ffff:ff00::");
  c = service_config(v, k6);
  EXPECT_EQ(c.key.family, net::Family::V6);
  EXPECT_EQ(c.netmask, 56u);
  EXPECT_TRUE(c.flags & ipvs::svc_flag::kOnePacket);

  v.persistence_timeout = 0;
  c = service_config(v, k6);
  EXPECT_FALSE(c.persistent());
  EXPECT_EQ(c.netmask, 128u);
  EXPECT_EQ(c.pe_name, "");

  VirtualKey f6{.fwmark = 5, .family = net::Family::V6};
  c = service_config(v, f6);
  EXPECT_EQ(c.key.fwmark, 5u);
  EXPECT_EQ(c.key.family, net::Family::V6);
  EXPECT_EQ(c.key.protocol, 0);
}

TEST(Pool, StopWithOmegaRunsNotifyDownAndQuorumDown) {
  VirtualServer v = vs({tcp("10.0.0.1:80")}, "rr",
                       {rs("10.0.1.1:80", 1, Fwd::Masq, 1), rs("10.0.1.2:80", 1)});
  v.real_servers[0].notify_down = script("/d1");
  v.real_servers[1].notify_down = script("/d2");
  v.quorum_down = script("/qd");
  v.omega = true;
  Pool p(v);
  p.set_alive(0, false);
  p.take_scripts();
  p.stop();
  EXPECT_TRUE(p.table().empty());
  EXPECT_EQ(p.take_scripts(), (std::vector<ScriptRun>{{ScriptRun::NotifyDown, script("/d2"), 1},
                                                      {ScriptRun::QuorumDown, script("/qd")}}));
  v.omega = false;
  Pool q(v);
  q.take_scripts();
  q.stop();
  EXPECT_TRUE(q.take_scripts().empty());
}

TEST(DesiredTable, WholeConfigAndTimeouts) {
  KeepalivedConfig c = case_sorry();
  PoolStates st = PoolStates::start(c);
  auto t = desired_table(c, st);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].cfg.key.addr.str(), "10.0.0.4");
  EXPECT_EQ(t[0].dests.size(), 2u);
  // Fewer pools than virtual servers: the rest at their start-up state.
  st.pools.pop_back();
  EXPECT_EQ(desired_table(c, st).size(), 3u);

  EXPECT_FALSE(timeouts_request(c));
  c.global.lvs_timeouts = std::array<uint32_t, 3>{7200, 0, 60};
  auto r = timeouts_request(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->op, ctl::Op::SetTimeouts);
  EXPECT_EQ(r->timeouts.tcp, 7200u);
  EXPECT_EQ(r->timeouts.tcpfin, 0u);
  EXPECT_EQ(r->timeouts.udp, 60u);
}

}  // namespace
}  // namespace ulvs::config
