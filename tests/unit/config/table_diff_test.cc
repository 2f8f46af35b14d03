// table_diff_test.cc — desired vs current table → requests (config/table_diff.h): nothing for
// what is unchanged, EditDest/EditService for changes, deletions only of managed services;
// and, applied through a real Executor + Engine, the result equals the desired table while
// the untouched real servers keep their state.
#include "config/table_diff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "config/pool.h"
#include "ctl/executor.h"

namespace ulvs::config {
namespace {

using ctl::Op;
using ipvs::Fwd;

net::Endpoint ep(const char* s) { return *net::Endpoint::parse(s); }

ipvs::ServiceKey tcp(const char* s) {
  auto e = ep(s);
  return {e.addr.family, ipvs::proto::kTcp, e.addr, e.port, 0};
}

ctl::ServiceInfo svc(ipvs::ServiceKey key, const char* sched,
                     std::vector<std::pair<const char*, int>> dests, Fwd fwd = Fwd::Masq) {
  ctl::ServiceInfo s;
  s.cfg.key = key;
  s.cfg.scheduler = sched;
  if (key.family == net::Family::V6) s.cfg.netmask = 128;
  for (auto& [a, w] : dests) s.dests.push_back({.cfg = {.ep = ep(a), .fwd = fwd, .weight = w}});
  return s;
}

std::string describe(const ctl::Request& r) {
  const char* op = r.op == Op::AddService    ? "AddService"
                   : r.op == Op::EditService ? "EditService"
                   : r.op == Op::DelService  ? "DelService"
                   : r.op == Op::AddDest     ? "AddDest"
                   : r.op == Op::EditDest    ? "EditDest"
                   : r.op == Op::DelDest     ? "DelDest"
                                             : "?";
  std::string k = r.key ? (r.key->fwmark ? "fwm" + std::to_string(r.key->fwmark)
                                         : net::Endpoint{r.key->addr, r.key->port}.str())
                        : "-";
  std::string out = std::string(op) + " " + k;
  if (r.op == Op::AddDest || r.op == Op::EditDest || r.op == Op::DelDest)
    out += " " + r.dest.ep.str() + (r.op == Op::DelDest ? "" : " w" + std::to_string(r.dest.weight));
  if (r.op == Op::AddService || r.op == Op::EditService) out += " " + r.service.scheduler;
  return out;
}

std::vector<std::string> describe(const std::vector<ctl::Request>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(describe(r));
  return out;
}

using Lines = std::vector<std::string>;

// A table in a canonical, order-free text form.
Lines canon(const std::vector<ctl::ServiceInfo>& t) {
  Lines out;
  for (const auto& s : t) {
    ipvs::ServiceKey k = normalized_key(s.cfg.key);
    std::string name = k.fwmark ? "fwm" + std::to_string(k.fwmark)
                                : std::to_string(k.protocol) + " " + net::Endpoint{k.addr, k.port}.str();
    out.push_back(name + " " + s.cfg.scheduler + " f" + std::to_string(s.cfg.flags) +
                  (s.cfg.persistent() ? " p" + std::to_string(s.cfg.timeout_s) + " m" +
                                            std::to_string(s.cfg.netmask)
                                      : ""));
    for (const auto& d : s.dests)
      out.push_back(name + " -> " + d.cfg.ep.str() + " fwd" + std::to_string(int(d.cfg.fwd)) +
                    " w" + std::to_string(d.cfg.weight));
  }
  std::sort(out.begin(), out.end());
  return out;
}

class TableDiff : public ::testing::Test {
 protected:
  ipvs::Engine engine{{.max_conns = 1024, .hash_seed = 1}};
  ctl::Executor ex{engine};

  std::vector<ctl::ServiceInfo> current() {
    return ex.execute({.op = Op::GetServices}, 0).services;
  }
  // Diffs against the engine's table, applies, and returns what was sent.
  Lines sync(const std::vector<ctl::ServiceInfo>& want, const std::vector<ipvs::ServiceKey>& managed) {
    auto reqs = diff_tables(want, current(), managed);
    for (const auto& r : reqs) EXPECT_EQ(ex.execute(r, 0).error, 0) << describe(r);
    return describe(reqs);
  }
  ipvs::Dest* dest(const char* svc_ep, const char* rs_ep) {
    ipvs::Service* s = engine.find_service(tcp(svc_ep));
    return s ? s->find_dest(ep(rs_ep)) : nullptr;
  }
};

TEST_F(TableDiff, FromEmptyAddsEverythingAndReachesTheDesiredTable) {
  std::vector<ctl::ServiceInfo> want = {
      svc(tcp("10.0.0.1:80"), "wrr", {{"10.0.1.2:80", 2}, {"10.0.1.1:80", 3}}),
      svc(tcp("10.0.0.2:80"), "rr", {{"10.0.2.1:80", 1}}, Fwd::Route)};
  EXPECT_EQ(sync(want, {}), (Lines{"AddService 10.0.0.1:80 wrr", "AddService 10.0.0.2:80 rr",
                                   "AddDest 10.0.0.1:80 10.0.1.1:80 w3",
                                   "AddDest 10.0.0.1:80 10.0.1.2:80 w2",
                                   "AddDest 10.0.0.2:80 10.0.2.1:80 w1"}));
  EXPECT_EQ(canon(current()), canon(want));
  // The kernel list order comes out as the desired table gives it (newest first).
  EXPECT_EQ(current()[0].dests[0].cfg.ep.str(), "10.0.1.2:80");
  // Nothing to do the second time.
  EXPECT_TRUE(diff_tables(want, current(), service_keys(want)).empty());
}

TEST_F(TableDiff, WeightChangeIsOneEditDestAndOtherServersKeepTheirState) {
  std::vector<ctl::ServiceInfo> want = {
      svc(tcp("10.0.0.1:80"), "wrr", {{"10.0.1.1:80", 3}, {"10.0.1.2:80", 2}})};
  sync(want, {});
  ipvs::Dest* keep = dest("10.0.0.1:80", "10.0.1.2:80");
  ASSERT_NE(keep, nullptr);
  keep->activeconns = 7;  // as if connections were running through it
  keep->stats.live.conns = 42;

  want[0].dests[0].cfg.weight = 5;
  EXPECT_EQ(sync(want, service_keys(want)), (Lines{"EditDest 10.0.0.1:80 10.0.1.1:80 w5"}));
  EXPECT_EQ(dest("10.0.0.1:80", "10.0.1.2:80"), keep);
  EXPECT_EQ(keep->activeconns, 7u);
  EXPECT_EQ(keep->stats.live.conns, 42u);
  EXPECT_EQ(canon(current()), canon(want));
}

TEST_F(TableDiff, SchedulerOrPersistenceChangeIsOneEditService) {
  std::vector<ctl::ServiceInfo> want = {svc(tcp("10.0.0.1:80"), "wrr", {{"10.0.1.1:80", 1}})};
  sync(want, {});
  want[0].cfg.scheduler = "lc";
  EXPECT_EQ(sync(want, service_keys(want)), (Lines{"EditService 10.0.0.1:80 lc"}));
  want[0].cfg.flags |= ipvs::svc_flag::kPersistent;
  want[0].cfg.timeout_s = 600;
  want[0].cfg.netmask = 0xFFFFFF00u;
  EXPECT_EQ(sync(want, service_keys(want)), (Lines{"EditService 10.0.0.1:80 lc"}));
  EXPECT_EQ(canon(current()), canon(want));
  want[0].cfg.netmask = 0xFFFF0000u;
  EXPECT_EQ(sync(want, service_keys(want)), (Lines{"EditService 10.0.0.1:80 lc"}));
  EXPECT_TRUE(diff_tables(want, current(), service_keys(want)).empty());
}

TEST_F(TableDiff, VanishedManagedServiceIsDeletedUnmanagedOneStays) {
  std::vector<ctl::ServiceInfo> old = {svc(tcp("10.0.0.1:80"), "rr", {{"10.0.1.1:80", 1}}),
                                       svc(tcp("10.0.0.2:80"), "rr", {{"10.0.2.1:80", 1}})};
  sync(old, {});
  // ulvsadm -A -t 10.0.0.9:80 by hand
  std::vector<ctl::ServiceInfo> by_hand = {svc(tcp("10.0.0.9:80"), "wlc", {{"10.0.9.1:80", 1}})};
  sync(by_hand, {});
  std::vector<ctl::ServiceInfo> want = {old[0]};
  EXPECT_EQ(sync(want, service_keys(old)), (Lines{"DelService 10.0.0.2:80"}));
  auto have = current();
  EXPECT_EQ(canon(have), canon({old[0], by_hand[0]}));
}

TEST_F(TableDiff, RealServersAddedChangedAndRemovedInOneService) {
  std::vector<ctl::ServiceInfo> want = {
      svc(tcp("10.0.0.1:80"), "rr", {{"10.0.1.1:80", 1}, {"10.0.1.2:80", 1}, {"10.0.1.3:80", 1}})};
  sync(want, {});
  want[0].dests.erase(want[0].dests.begin() + 1);       // 10.0.1.2 gone
  want[0].dests[1].cfg.fwd = Fwd::Route;                 // 10.0.1.3 now DR
  want[0].dests.push_back({.cfg = {.ep = ep("10.0.1.4:80"), .weight = 2}});
  EXPECT_EQ(sync(want, service_keys(want)),
            (Lines{"AddDest 10.0.0.1:80 10.0.1.4:80 w2", "EditDest 10.0.0.1:80 10.0.1.3:80 w1",
                   "DelDest 10.0.0.1:80 10.0.1.2:80"}));
  EXPECT_EQ(canon(current()), canon(want));
}

TEST_F(TableDiff, FwmarkKeysCompareAsTheEngineStoresThem) {
  ctl::ServiceInfo f = svc({net::Family::V4, ipvs::proto::kTcp, {}, 0, 7}, "rr",
                           {{"10.0.1.1:0", 1}}, Fwd::Route);
  sync({f}, {});
  f.cfg.key.protocol = 0;  // how config::service_config writes a fwmark key
  EXPECT_TRUE(diff_tables({f}, current(), {}).empty());
  // An IPv6 fwmark service with the same mark is another service.
  ctl::ServiceInfo f6 = svc({net::Family::V6, 0, {}, 0, 7}, "rr", {});
  EXPECT_EQ(describe(diff_tables({f, f6}, current(), {})), (Lines{"AddService fwm7 rr"}));
}

TEST_F(TableDiff, UnchangedTunnelAndThresholdFieldsCount) {
  ctl::ServiceInfo s = svc(tcp("10.0.0.1:80"), "rr", {{"10.0.1.1:80", 1}}, Fwd::Tunnel);
  sync({s}, {});
  ctl::ServiceInfo t = s;
  t.dests[0].cfg.u_threshold = 100;
  EXPECT_EQ(describe(diff_tables({t}, current(), {})), (Lines{"EditDest 10.0.0.1:80 10.0.1.1:80 w1"}));
  t = s;
  t.dests[0].cfg.tun_port = 9999;  // ignored for ipip
  EXPECT_TRUE(diff_tables({t}, current(), {}).empty());
}

// The pool and the diff together: health-check events become minimal requests.
TEST_F(TableDiff, PoolEventsBecomeMinimalRequests) {
  VirtualServer v;
  v.keys = {{.protocol = ipvs::proto::kTcp, .ep = ep("10.0.0.1:80")}};
  v.scheduler = "wrr";
  for (const char* a : {"10.0.1.1:80", "10.0.1.2:80"}) {
    RealServer r;
    r.ep = ep(a);
    r.weight = 2;
    r.checkers.push_back(Checker{});
    v.real_servers.push_back(r);
  }
  v.real_servers[1].inhibit_on_failure = true;
  v.sorry_server = RealServer{.ep = ep("10.0.9.9:80")};
  Pool p(v);
  auto keys = service_keys(p.table());
  sync(p.table(), {});

  p.set_alive(0, false);  // removed
  EXPECT_EQ(sync(p.table(), keys), (Lines{"DelDest 10.0.0.1:80 10.0.1.1:80"}));
  p.set_alive(1, false);  // inhibited to weight 0, quorum lost: the sorry server comes in
  EXPECT_EQ(sync(p.table(), keys), (Lines{"AddDest 10.0.0.1:80 10.0.9.9:80 w1",
                                          "EditDest 10.0.0.1:80 10.0.1.2:80 w0"}));
  p.set_alive(0, true);  // quorum back: the pool returns before the sorry server leaves
  EXPECT_EQ(sync(p.table(), keys), (Lines{"AddDest 10.0.0.1:80 10.0.1.1:80 w2",
                                          "DelDest 10.0.0.1:80 10.0.9.9:80"}));
  EXPECT_EQ(canon(current()), canon(p.table()));
}

// A reload that changes one weight in a keepalived configuration touches only that server.
TEST_F(TableDiff, ReloadOfAChangedConfigTouchesOnlyTheDifference) {
  KeepalivedConfig c;
  VirtualServer v;
  v.keys = {{.protocol = ipvs::proto::kTcp, .ep = ep("10.0.0.1:80")},
            {.protocol = ipvs::proto::kTcp, .ep = ep("10.0.0.2:80")}};
  v.group = "G";
  v.scheduler = "wrr";
  for (const char* a : {"10.0.1.1:80", "10.0.1.2:80"}) v.real_servers.push_back({.ep = ep(a)});
  c.virtual_servers = {v};
  auto first = desired_table(c, PoolStates::start(c));
  sync(first, {});
  c.virtual_servers[0].real_servers[1].weight = 3;
  c.virtual_servers[0].keys.pop_back();  // 10.0.0.2 leaves the group
  auto second = desired_table(c, PoolStates::start(c));
  EXPECT_EQ(sync(second, service_keys(first)), (Lines{"EditDest 10.0.0.1:80 10.0.1.2:80 w3",
                                                      "DelService 10.0.0.2:80"}));
  EXPECT_EQ(canon(current()), canon(second));
}

}  // namespace
}  // namespace ulvs::config
