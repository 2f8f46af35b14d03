// pool_alerts_test.cc — the mails a Pool reports (config/pool.h take_alerts), at the points
// keepalived 2.2.7 calls smtp_alert: a checker's epilog (check_*.c), quorum changes
// (ipwrapper.c do_vs_notifies) and stopping with omega; and the smtp_alert defaults
// (check_data.c).
#include <gtest/gtest.h>

#include <algorithm>

#include "config/pool.h"

namespace ulvs::config {
namespace {

using ipvs::Fwd;
using A = std::vector<Alert>;

net::Endpoint ep(const char* s) { return *net::Endpoint::parse(s); }

RealServer rs(const char* addr, int32_t weight, std::vector<Checker::Type> checkers = {Checker::Tcp},
              bool alpha = false) {
  RealServer r;
  r.ep = ep(addr);
  r.weight = weight;
  r.fwd = Fwd::Masq;
  for (Checker::Type t : checkers) {
    Checker c;
    c.type = t;
    c.alpha = alpha;
    r.checkers.push_back(c);
  }
  return r;
}

VirtualServer vs(std::vector<RealServer> rss) {
  VirtualServer v;
  v.keys.push_back({.protocol = ipvs::proto::kTcp, .ep = ep("10.0.0.1:80")});
  v.scheduler = "rr";
  v.real_servers = std::move(rss);
  return v;
}

Alert rs_alert(size_t rs, bool checker_up, bool up, size_t checker = 0) {
  return {.kind = Alert::RsCheck, .rs = rs, .checker = checker, .checker_up = checker_up, .up = up};
}

Alert quorum(bool up, bool init, int q, int h, int64_t threshold, int64_t sum) {
  Alert a{.kind = Alert::VsQuorum, .up = up, .init = init};
  a.quorum = q;
  a.hysteresis = h;
  a.threshold = threshold;
  a.weight_sum = sum;
  return a;
}

TEST(PoolAlerts, CheckerDownAndUpMailByDefault) {
  Pool p(vs({rs("10.0.1.1:80", 1), rs("10.0.1.2:80", 1)}));
  EXPECT_TRUE(p.take_alerts().empty());  // a virtual server's smtp_alert is off by default
  p.checker_result(0, 0, true);          // first result as expected: no news
  EXPECT_TRUE(p.take_alerts().empty());
  p.checker_result(0, 0, false);
  EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, false, false)}));
  p.checker_result(0, 0, false);
  EXPECT_TRUE(p.take_alerts().empty());
  p.checker_result(0, 0, true);
  EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, true, true)}));
}

TEST(PoolAlerts, SmtpAlertDefaultsAndOverrides) {
  auto mails = [](const VirtualServer& v, const GlobalDefs& g) {  // real server mails only
    Pool p(v, g);
    p.take_alerts();
    p.checker_result(0, 0, false);
    auto a = p.take_alerts();
    return size_t(std::count_if(a.begin(), a.end(), [](const Alert& x) { return x.kind == Alert::RsCheck; }));
  };
  VirtualServer v = vs({rs("10.0.1.1:80", 1)});
  GlobalDefs g;
  EXPECT_EQ(mails(v, g), 1u);
  g.smtp_alert = false;
  EXPECT_EQ(mails(v, g), 0u);
  g.smtp_alert_checker = true;  // smtp_alert_checker wins over smtp_alert
  EXPECT_EQ(mails(v, g), 1u);
  g.smtp_alert_checker = false;
  g.smtp_alert = true;
  EXPECT_EQ(mails(v, g), 0u);
  v.real_servers[0].smtp_alert = true;  // the real server's own keyword wins
  EXPECT_EQ(mails(v, g), 1u);
  v.real_servers[0].smtp_alert = false;
  EXPECT_EQ(mails(v, GlobalDefs{}), 0u);

  EXPECT_FALSE(vs_smtp_alert(GlobalDefs{}, v));
  EXPECT_TRUE(rs_smtp_alert(GlobalDefs{}, vs({rs("10.0.1.1:80", 1)}).real_servers[0]));
  GlobalDefs on;
  on.smtp_alert = true;
  EXPECT_TRUE(vs_smtp_alert(on, v));
  v.smtp_alert = false;
  EXPECT_FALSE(vs_smtp_alert(on, v));
}

TEST(PoolAlerts, QuorumMailsOnlyWithTheVirtualServersSmtpAlert) {
  VirtualServer v = vs({rs("10.0.1.1:80", 2), rs("10.0.1.2:80", 1)});
  v.quorum = 3;
  v.hysteresis = 1;
  v.smtp_alert = true;
  Pool p(v);
  // init_service_vs: both start alive, 3 >= 3+1 is false: no quorum, no mail yet ...
  EXPECT_TRUE(p.take_alerts().empty());
  v.hysteresis = 0;
  Pool q(v);
  // ... with hysteresis 0 it starts with quorum up.
  EXPECT_EQ(q.take_alerts(), (A{quorum(true, true, 3, 0, 3, 3)}));
  // Losing it: the quorum mail comes first, then the checker's (keepalived's order).
  q.checker_result(1, 0, false);
  EXPECT_EQ(q.take_alerts(), (A{quorum(false, false, 3, 0, 3, 2), rs_alert(1, false, false)}));
  q.checker_result(1, 0, true);
  EXPECT_EQ(q.take_alerts(), (A{quorum(true, false, 3, 0, 3, 3), rs_alert(1, true, true)}));

  // Hysteresis: up at sum >= quorum + h, down below quorum - h.
  VirtualServer w = vs({rs("10.0.1.1:80", 1), rs("10.0.1.2:80", 1), rs("10.0.1.3:80", 1), rs("10.0.1.4:80", 1)});
  w.quorum = 3;
  w.hysteresis = 1;
  w.smtp_alert = true;
  Pool r(w);
  EXPECT_EQ(r.take_alerts(), (A{quorum(true, true, 3, 1, 4, 4)}));
  r.checker_result(0, 0, false);
  r.checker_result(1, 0, false);  // 2 is not below 3-1: quorum kept
  r.checker_result(2, 0, false);
  EXPECT_EQ(r.take_alerts(), (A{rs_alert(0, false, false), rs_alert(1, false, false),
                                quorum(false, false, 3, 1, 2, 1), rs_alert(2, false, false)}));
}

TEST(PoolAlerts, StartingWithQuorumDownWithASorryServer) {
  VirtualServer v = vs({rs("10.0.1.1:80", 1, {Checker::Tcp}, /*alpha=*/true)});
  v.sorry_server = rs("10.0.9.9:80", 1, {});
  v.smtp_alert = true;
  Pool p(v);
  EXPECT_EQ(p.take_alerts(), (A{quorum(false, true, 1, 0, 1, 0)}));
  // alpha: the first success is a change, it mails.
  p.checker_result(0, 0, true);
  EXPECT_EQ(p.take_alerts(), (A{quorum(true, false, 1, 0, 1, 1), rs_alert(0, true, true)}));
}

TEST(PoolAlerts, NoCheckerEmailsMailsOnlyServerStateChanges) {
  VirtualServer v = vs({rs("10.0.1.1:80", 1, {Checker::Tcp, Checker::Http}), rs("10.0.1.2:80", 1)});
  {
    Pool p(v);
    p.checker_result(0, 0, false);
    p.checker_result(0, 1, false);  // the server was already down: still a mail by default
    EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, false, false, 0), rs_alert(0, false, false, 1)}));
    p.checker_result(0, 0, true);   // one of two back: the server stays down, subject DOWN
    EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, true, false, 0)}));
  }
  GlobalDefs g;
  g.no_checker_emails = true;
  Pool p(v, g);
  p.checker_result(0, 0, false);
  p.checker_result(0, 1, false);
  EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, false, false, 0)}));
  p.checker_result(0, 0, true);
  EXPECT_TRUE(p.take_alerts().empty());
  p.checker_result(0, 1, true);
  EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, true, true, 1)}));
}

TEST(PoolAlerts, SetAliveMailsOncePerServerChange) {
  Pool p(vs({rs("10.0.1.1:80", 1, {Checker::Tcp, Checker::Http}), rs("10.0.1.2:80", 1)}));
  p.set_alive(0, false);
  EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, false, false, 0)}));
  p.set_alive(0, true);  // the last checker to come back brings the server up
  EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, true, true, 1)}));
  p.set_alive(0, true);
  EXPECT_TRUE(p.take_alerts().empty());
}

TEST(PoolAlerts, MiscReportsItsFirstResultAndFileNeverMails) {
  Pool p(vs({rs("10.0.1.1:80", 1, {Checker::Misc}), rs("10.0.1.2:80", 1, {Checker::File})}));
  p.checker_result(0, 0, true);  // MISC_CHECK: "succeeded" even though nothing changed
  EXPECT_EQ(p.take_alerts(), (A{rs_alert(0, true, true)}));
  p.checker_result(0, 0, true);
  EXPECT_TRUE(p.take_alerts().empty());
  p.checker_result(1, 0, false);
  EXPECT_FALSE(p.alive(1));
  EXPECT_TRUE(p.take_alerts().empty());
}

TEST(PoolAlerts, StopWithOmegaMailsShuttingDown) {
  VirtualServer v = vs({rs("10.0.1.1:80", 1), rs("10.0.1.2:80", 1)});
  v.omega = true;
  v.smtp_alert = true;
  Pool p(v);
  p.set_alive(0, false);
  p.take_alerts();
  p.stop();
  Alert vs_down{.kind = Alert::VsShutdown, .up = false};
  vs_down.quorum = 1;
  vs_down.threshold = 1;
  EXPECT_EQ(p.take_alerts(), (A{{.kind = Alert::RsShutdown, .rs = 1}, vs_down}));
  v.omega = false;
  Pool q(v);
  q.take_alerts();
  q.stop();
  EXPECT_TRUE(q.take_alerts().empty());
}

TEST(PoolAlerts, PoolStatesTakeTheGlobalDefaults) {
  KeepalivedConfig c;
  c.virtual_servers.push_back(vs({rs("10.0.1.1:80", 1)}));
  c.global.smtp_alert = true;
  PoolStates st = PoolStates::start(c);
  EXPECT_EQ(st.pools[0].take_alerts(), (A{quorum(true, true, 1, 0, 1, 1)}));
}

}  // namespace
}  // namespace ulvs::config
