// keepalived_mail_parser_test.cc — the keywords that configure mail alerts (keepalived 2.2.7
// global_parser.c and check_parser.c): global_defs smtp_*, notification_email*,
// smtp_alert_checker, no_checker_emails, and virtual_server / real_server smtp_alert.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/keepalived_parser.h"

namespace ulvs::config {
namespace {

KeepalivedConfig ok(const std::string& text, Diagnostics* out = nullptr) {
  Diagnostics diag;
  auto cfg = parse_keepalived_text(text, "k.conf", diag, {std::string("")});
  EXPECT_TRUE(cfg);
  for (auto& d : diag)
    if (d.level == Diagnostic::Error) ADD_FAILURE() << d.where.str() << ": " << d.message;
  if (out) *out = diag;
  return cfg ? *cfg : KeepalivedConfig{};
}

bool mentions(const Diagnostics& diag, const std::string& what) {
  return std::any_of(diag.begin(), diag.end(), [&](auto& d) { return d.message.find(what) != std::string::npos; });
}

TEST(KeepalivedMail, GlobalKeywords) {
  Diagnostics diag;
  auto cfg = ok(R"(global_defs {
  notification_email {
    ops@example.com
    noc@example.com
  }
  notification_email_from lvs@example.com
  smtp_server 192.0.2.25 2525
  smtp_helo_name lvs1.example.com
  smtp_connect_timeout 12
  smtp_alert off
  smtp_alert_checker
  no_checker_emails
}
)", &diag);
  const GlobalDefs& g = cfg.global;
  EXPECT_EQ(g.notification_email, (std::vector<std::string>{"ops@example.com", "noc@example.com"}));
  EXPECT_EQ(g.notification_email_from, "lvs@example.com");
  EXPECT_EQ(g.smtp_server, "192.0.2.25");
  EXPECT_EQ(g.smtp_port, 2525);
  EXPECT_EQ(g.smtp_helo_name, "lvs1.example.com");
  EXPECT_EQ(g.smtp_connect_timeout, 12000);
  EXPECT_EQ(g.smtp_alert, false);
  EXPECT_EQ(g.smtp_alert_checker, true);
  EXPECT_TRUE(g.no_checker_emails);
  EXPECT_TRUE(diag.empty()) << diag[0].message;
}

TEST(KeepalivedMail, GlobalDefaults) {
  auto cfg = ok("global_defs {\n  smtp_server mail.example.com\n}\n");
  const GlobalDefs& g = cfg.global;
  EXPECT_EQ(g.smtp_server, "mail.example.com");
  EXPECT_EQ(g.smtp_port, 25);
  EXPECT_EQ(g.smtp_helo_name, "");
  EXPECT_EQ(g.smtp_connect_timeout, 30000);
  EXPECT_FALSE(g.smtp_alert.has_value());
  EXPECT_FALSE(g.smtp_alert_checker.has_value());
  EXPECT_FALSE(g.no_checker_emails);
}

TEST(KeepalivedMail, ZeroConnectTimeoutBecomesOneSecond) {
  Diagnostics diag;
  auto cfg = ok("global_defs {\n  smtp_connect_timeout 0\n}\n", &diag);
  EXPECT_EQ(cfg.global.smtp_connect_timeout, 1000);
  EXPECT_TRUE(mentions(diag, "greater than 0")) << (diag.empty() ? "" : diag[0].message);
}

TEST(KeepalivedMail, VirtualAndRealServerSmtpAlert) {
  auto cfg = ok(R"(virtual_server 10.0.0.1 80 {
  protocol TCP
  lb_algo rr
  lb_kind NAT
  smtp_alert
  real_server 10.0.1.1 80 {
    smtp_alert off
  }
  real_server 10.0.1.2 80 {
    smtp_alert yes
  }
  real_server 10.0.1.3 80 {
  }
}
virtual_server 10.0.0.2 80 {
  protocol TCP
  lb_algo rr
  lb_kind NAT
  smtp_alert false
}
virtual_server 10.0.0.3 80 {
  protocol TCP
  lb_algo rr
  lb_kind NAT
}
)");
  ASSERT_EQ(cfg.virtual_servers.size(), 3u);
  const VirtualServer& v = cfg.virtual_servers[0];
  EXPECT_EQ(v.smtp_alert, true);
  EXPECT_EQ(v.real_servers[0].smtp_alert, false);
  EXPECT_EQ(v.real_servers[1].smtp_alert, true);
  EXPECT_FALSE(v.real_servers[2].smtp_alert.has_value());
  EXPECT_EQ(cfg.virtual_servers[1].smtp_alert, false);
  EXPECT_FALSE(cfg.virtual_servers[2].smtp_alert.has_value());
}

TEST(KeepalivedMail, BadBooleanIsAnError) {
  Diagnostics diag;
  auto cfg = parse_keepalived_text("global_defs {\n  smtp_alert_checker maybe\n}\n", "k.conf", diag,
                                   {std::string("")});
  EXPECT_FALSE(cfg);
  ASSERT_FALSE(diag.empty());
  EXPECT_EQ(diag[0].where.str(), "k.conf:2");
}

}  // namespace
}  // namespace ulvs::config
