// keepalived_samples_test.cc — every keepalived.conf sample Debian ships (copied into
// tests/config/samples/) loads without an Error; spot checks of what they say.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/keepalived_parser.h"

namespace ulvs::config {
namespace {

namespace fs = std::filesystem;

fs::path samples_dir() { return fs::path(__FILE__).parent_path() / "../../config/samples"; }

std::string dump(const Diagnostics& diag) {
  std::string s;
  for (auto& d : diag) s += (d.level == Diagnostic::Error ? "E " : "W ") + d.where.str() + ": " + d.message + "\n";
  return s;
}

KeepalivedConfig load_sample(const std::string& name, Diagnostics& diag, ParseOptions opt = {}) {
  auto cfg = load_keepalived((samples_dir() / name).string(), diag, opt);
  EXPECT_TRUE(cfg) << name << "\n" << dump(diag);
  return cfg ? *cfg : KeepalivedConfig{};
}

TEST(KeepalivedSamples, EverySampleLoadsWithoutError) {
  int n = 0;
  for (auto& e : fs::directory_iterator(samples_dir())) {
    std::string name = e.path().filename().string();
    if (!name.starts_with("keepalived.conf")) continue;
    ++n;
    for (const char* id : {"", "high", "low"}) {
      Diagnostics diag;
      auto cfg = load_keepalived(e.path().string(), diag, {std::string(id)});
      ASSERT_TRUE(cfg) << name << "\n" << dump(diag);
      for (auto& d : diag) EXPECT_EQ(d.level, Diagnostic::Warning) << name << " " << d.where.str() << " " << d.message;
    }
  }
  EXPECT_EQ(n, 25);
}

TEST(KeepalivedSamples, SampleHasHttpGetAndSorryServer) {
  Diagnostics diag;
  auto cfg = load_sample("keepalived.conf.sample", diag);
  EXPECT_EQ(cfg.global.router_id, "LVS_DEVEL");
  EXPECT_EQ(cfg.global.smtp_server, "192.168.200.1");
  EXPECT_EQ(cfg.global.smtp_connect_timeout, 30000);
  ASSERT_EQ(cfg.global.notification_email.size(), 1u);
  EXPECT_EQ(cfg.global.notification_email[0], "acassen");
  ASSERT_EQ(cfg.vrrp.size(), 1u);
  EXPECT_EQ(cfg.vrrp[0].kind, "vrrp_instance");
  ASSERT_EQ(cfg.virtual_servers.size(), 1u);
  auto& vs = cfg.virtual_servers[0];
  ASSERT_EQ(vs.keys.size(), 1u);
  EXPECT_EQ(vs.keys[0].ep.str(), "10.10.10.2:1358");
  EXPECT_EQ(vs.keys[0].protocol, ipvs::proto::kTcp);
  EXPECT_EQ(vs.scheduler, "rr");
  EXPECT_EQ(vs.persistence_timeout, 50u);
  ASSERT_TRUE(vs.sorry_server);
  EXPECT_EQ(vs.sorry_server->ep.str(), "192.168.200.200:1358");
  ASSERT_EQ(vs.real_servers.size(), 1u);
  auto& rs = vs.real_servers[0];
  EXPECT_EQ(rs.fwd, ipvs::Fwd::Masq);
  ASSERT_EQ(rs.checkers.size(), 1u);
  auto& c = rs.checkers[0];
  EXPECT_EQ(c.type, Checker::Http);
  EXPECT_EQ(c.connect_timeout, 3000);
  EXPECT_EQ(c.retry, 3);
  EXPECT_EQ(c.delay_before_retry, 3000);
  EXPECT_EQ(c.delay_loop, 6000);
  ASSERT_EQ(c.urls.size(), 1u);
  EXPECT_EQ(c.urls[0].path, "/testurl3/test.jsp");
  EXPECT_EQ(c.urls[0].digest, "640205b7b0fc66c1ea91c463fac6334d");
}

TEST(KeepalivedSamples, VirtualServerGroupExpands) {
  Diagnostics diag;
  auto cfg = load_sample("keepalived.conf.virtual_server_group", diag);
  ASSERT_EQ(cfg.virtual_servers.size(), 1u);
  auto& keys = cfg.virtual_servers[0].keys;
  // 10.0.0.1:8080 10.0.0.2:80 192.168.200.1:1358, 192.168.200.3..10:80 (8), fwmark 1, 2
  ASSERT_EQ(keys.size(), 13u);
  EXPECT_EQ(keys[3].ep.str(), "192.168.200.3:80");
  EXPECT_EQ(keys[10].ep.str(), "192.168.200.10:80");
  EXPECT_EQ(keys[11].fwmark, 1u);
  EXPECT_EQ(keys[11].protocol, 0);
  EXPECT_EQ(keys[12].fwmark, 2u);
  EXPECT_EQ(keys[0].protocol, ipvs::proto::kTcp);
}

TEST(KeepalivedSamples, SmtpLegacyHostBlocks) {
  Diagnostics diag;
  auto cfg = load_sample("keepalived.conf.SMTP_CHECK", diag);
  auto& rss = cfg.virtual_servers.at(0).real_servers;
  ASSERT_EQ(rss.size(), 3u);
  // connect_timeout 10 in the SMTP_CHECK: it is checked itself, and each host block too
  // (keepalived logs 9 "Activating healthchecker" for this file).
  EXPECT_EQ(rss[0].checkers.size(), 1u);
  EXPECT_EQ(rss[1].checkers.size(), 4u);
  const auto& cs = rss[2].checkers;
  ASSERT_EQ(cs.size(), 4u);
  EXPECT_FALSE(cs[0].connect_ip);
  EXPECT_EQ(cs[0].connect_timeout, 10000);
  const auto& c = cs[1];
  EXPECT_EQ(c.type, Checker::Smtp);
  EXPECT_EQ(c.helo_name, "foo.bar.com");
  ASSERT_TRUE(c.connect_ip);
  EXPECT_EQ(c.connect_ip->str(), "172.16.1.12");
  EXPECT_EQ(c.connect_port, 25);
  ASSERT_TRUE(c.bindto);
  EXPECT_EQ(c.bindto->str(), "172.16.1.2");
  EXPECT_EQ(c.retry, 2);
  EXPECT_EQ(c.delay_before_retry, 5000);
  EXPECT_EQ(c.connect_timeout, 0);  // not set in the host block: keepalived zero-fills it
  ASSERT_TRUE(cs[3].connect_ip);
  EXPECT_EQ(cs[3].connect_ip->str(), "64.233.167.100");
  EXPECT_EQ(cs[3].connect_port, 587);
}

TEST(KeepalivedSamples, StatusCodesAndFwmarkAndQuorum) {
  Diagnostics diag;
  auto sc = load_sample("keepalived.conf.status_code", diag);
  auto& u = sc.virtual_servers.at(0).real_servers.at(0).checkers.at(0).urls;
  ASSERT_EQ(u.size(), 2u);
  std::vector<std::pair<int, int>> want{{200, 299}, {400, 499}, {503, 503}, {505, 505}};
  EXPECT_EQ(u[0].status, want);

  auto fw = load_sample("keepalived.conf.fwmark", diag);
  auto& vs = fw.virtual_servers.at(0);
  EXPECT_EQ(vs.keys.at(0).fwmark, 1u);
  EXPECT_EQ(vs.real_servers.at(0).ep.port, 0);
  EXPECT_EQ(vs.real_servers.at(0).checkers.at(0).connect_port, 80);

  auto q = load_sample("keepalived.conf.quorum", diag);
  auto& qv = q.virtual_servers.at(0);
  EXPECT_TRUE(qv.alpha);
  EXPECT_TRUE(qv.omega);
  EXPECT_EQ(qv.quorum, 7);
  EXPECT_EQ(qv.hysteresis, 2);
  EXPECT_EQ(qv.quorum_up.command, "/usr/local/sbin/quorum-up.sh");
  EXPECT_EQ(qv.real_servers.size(), 10u);
  EXPECT_TRUE(qv.real_servers[0].alpha);
  EXPECT_TRUE(qv.real_servers[0].checkers.at(0).alpha);
}

TEST(KeepalivedSamples, ConditionalLinesFollowConfigId) {
  Diagnostics diag;
  auto none = load_sample("keepalived.conf.conditional_conf", diag, {std::string("")});
  auto high = load_sample("keepalived.conf.conditional_conf", diag, {std::string("high")});
  EXPECT_EQ(none.vrrp.size(), 2u);
  EXPECT_EQ(high.vrrp.size(), 2u);
}

TEST(KeepalivedSamples, Ipv6GroupRangeIsHex) {
  Diagnostics diag;
  auto cfg = load_sample("keepalived.conf.IPv6", diag);
  ASSERT_EQ(cfg.virtual_servers.size(), 1u);
  EXPECT_EQ(cfg.virtual_servers[0].keys.at(0).ep.str(), "[ae00::1]:80");
  EXPECT_EQ(cfg.virtual_servers[0].real_servers.at(0).checkers.at(0).type, Checker::Smtp);
}

}  // namespace
}  // namespace ulvs::config
