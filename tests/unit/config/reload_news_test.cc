// reload_news_test — after a reload only real changes are announced: a pool rebuilt and
// replayed into the state it was in before runs no script and sends no mail; a server whose
// state did change, the quorum when it flipped, and new servers are announced (once, the
// last event of each).
#include "config/reload_news.h"

#include <gtest/gtest.h>

#include "config/keepalived_parser.h"

using namespace ulvs::config;

namespace {

VirtualServer two_servers() {
  Diagnostics diag;
  auto cfg = parse_keepalived_text(R"(
virtual_server 10.0.0.1 80 {
  protocol TCP
  quorum_up "/bin/true up"
  quorum_down "/bin/true down"
  real_server 192.168.1.1 80 {
    notify_down "/bin/true rs1 down"
    TCP_CHECK { }
  }
  real_server 192.168.1.2 80 {
    notify_down "/bin/true rs2 down"
    notify_up "/bin/true rs2 up"
    TCP_CHECK { }
  }
}
)", "r.conf", diag);
  EXPECT_TRUE(cfg);
  return cfg->virtual_servers.at(0);
}

std::vector<ScriptRun::Kind> kinds(const std::vector<ScriptRun>& runs) {
  std::vector<ScriptRun::Kind> k;
  for (const auto& r : runs) k.push_back(r.kind);
  return k;
}

}  // namespace

TEST(ReloadNews, ReplayIntoTheSameStateIsNotNews) {
  Pool pool(two_servers());  // start: both up, quorum up
  pool.set_alive(1, false);  // the replay: server 2 was down before the reload
  auto runs = pool.take_scripts();
  ASSERT_FALSE(runs.empty());  // the rebuilt pool did announce things
  Before before{.quorum_up = true, .alive = {true, false}};
  EXPECT_TRUE(reload_news(runs, before, pool).empty());
}

TEST(ReloadNews, AChangeIsAnnouncedOnce) {
  Pool pool(two_servers());
  pool.set_alive(1, false);
  pool.set_alive(1, true);   // down and up again during the replay: ends up, was down
  auto runs = pool.take_scripts();
  Before before{.quorum_up = true, .alive = {true, false}};
  auto kept = reload_news(runs, before, pool);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].kind, ScriptRun::NotifyUp);
  EXPECT_EQ(kept[0].rs, 1u);
}

TEST(ReloadNews, QuorumFlipAndNewServers) {
  Pool pool(two_servers());
  pool.set_alive(0, false);
  pool.set_alive(1, false);  // quorum lost
  auto runs = pool.take_scripts();
  // Before: quorum was up; server 1 was already down; server 2 is new in this configuration.
  Before before{.quorum_up = true, .alive = {false, std::nullopt}};
  auto kept = reload_news(runs, before, pool);
  EXPECT_EQ(kinds(kept), (std::vector<ScriptRun::Kind>{ScriptRun::NotifyDown, ScriptRun::QuorumDown}));
  EXPECT_EQ(kept[0].rs, 1u);  // the new server's news; server 1's was old

  auto alerts = pool.take_alerts();  // mails follow the same rule
  auto kept_alerts = reload_news(alerts, before, pool);
  for (const auto& a : kept_alerts) EXPECT_TRUE(a.kind == Alert::VsQuorum || a.rs == 1u);
}
