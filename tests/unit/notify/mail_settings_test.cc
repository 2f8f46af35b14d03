// mail_settings_test.cc — global_defs → who mails whom, with keepalived 2.2.7's defaults
// (global_data.c init_global_data, smtp.c helo_cmd).
#include "notify/mail_settings.h"

#include <gtest/gtest.h>

namespace ulvs::notify {
namespace {

config::GlobalDefs mail_on() {
  config::GlobalDefs g;
  g.smtp_server = "192.0.2.25";
  g.notification_email = {"ops@example.com"};
  return g;
}

TEST(MailSettings, OnlyWithAServerAndARecipient) {
  config::GlobalDefs g;
  EXPECT_FALSE(mail_settings(g, {}).enabled());
  g.smtp_server = "192.0.2.25";
  EXPECT_FALSE(mail_settings(g, {}).enabled());
  g.smtp_server.clear();
  g.notification_email = {"ops@example.com"};
  EXPECT_FALSE(mail_settings(g, {}).enabled());
  EXPECT_TRUE(mail_settings(mail_on(), {}).enabled());
}

TEST(MailSettings, AsConfigured) {
  config::GlobalDefs g = mail_on();
  g.router_id = "LVS_1";
  g.smtp_port = 2525;
  g.smtp_helo_name = "lvs1.example.com";
  g.notification_email_from = "lvs@example.com";
  g.notification_email.push_back("noc@example.com");
  g.smtp_connect_timeout = 12500;
  MailSettings s = mail_settings(g, {.name = "host.example.net", .user = "root"});
  EXPECT_EQ(s.server, "192.0.2.25");
  EXPECT_EQ(s.port, 2525);
  EXPECT_EQ(s.timeout_ms, 12500);
  EXPECT_EQ(s.helo, "lvs1.example.com");
  EXPECT_EQ(s.from, "lvs@example.com");
  EXPECT_EQ(s.to, (std::vector<std::string>{"ops@example.com", "noc@example.com"}));
  EXPECT_EQ(s.router_id, "LVS_1");
}

TEST(MailSettings, DefaultsComeFromTheLocalName) {
  MailSettings s = mail_settings(mail_on(), {.name = "host.example.net", .user = "root"});
  EXPECT_EQ(s.port, 25);
  EXPECT_EQ(s.timeout_ms, 30000);
  EXPECT_EQ(s.router_id, "host.example.net");
  EXPECT_EQ(s.helo, "host.example.net");
  EXPECT_EQ(s.from, "root@host.example.net");
}

TEST(MailSettings, UnknownLocalName) {
  MailSettings s = mail_settings(mail_on(), {.name = "", .user = "root"});
  EXPECT_EQ(s.router_id, "[unknown]");
  EXPECT_EQ(s.helo, "localhost");
  EXPECT_EQ(s.from, "");
}

TEST(MailSettings, LookupGivesAUser) {
  // The daemon runs as root in the tests, but any user with a passwd entry will do.
  EXPECT_FALSE(local_identity().user.empty());
}

}  // namespace
}  // namespace ulvs::notify
