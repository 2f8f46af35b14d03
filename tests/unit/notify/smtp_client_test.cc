// smtp_client_test.cc — the SMTP dialogue keepalived 2.2.7 holds (smtp.c SMTP_FSM), against a
// fake server on 127.0.0.1: the exact bytes, multi-line replies, and every way it can fail
// (a refused recipient, connection refused, a silent server, a server hanging up, stopping).
#include "notify/smtp_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "fake_smtp.h"

namespace ulvs::notify {
namespace {

using test::FakeSmtp;
using test::FakeSmtpScript;

const char* kDate = "Mon, 01 Mar 2021 09:44:08 +0000";

MailSettings settings(uint16_t port) {
  MailSettings s;
  s.server = "127.0.0.1";
  s.port = port;
  s.timeout_ms = 2000;
  s.helo = "lvs1.example.com";
  s.from = "lvs@example.com";
  s.to = {"ops@example.com", "noc@example.com"};
  s.router_id = "LVS_1";
  return s;
}

const Message kMsg{"[LVS_1] Realserver [10.0.1.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN",
                   "=> TCP CHECK failed on service <="};

const std::string kData =
    "Date: Mon, 01 Mar 2021 09:44:08 +0000\r\n"
    "From: lvs@example.com\r\n"
    "Subject: [LVS_1] Realserver [10.0.1.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN\r\n"
    "X-Mailer: Keepalived\r\n"
    "To: ops@example.com, noc@example.com\r\n"
    "\r\n"
    "=> TCP CHECK failed on service <=\r\n"
    "\r\n.\r\n";

int64_t ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

TEST(SmtpClient, TheExactDialogue) {
  FakeSmtp smtp;
  SmtpResult r = send_mail(settings(smtp.port()), kMsg, kDate);
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(smtp.transcript(),
            "HELO lvs1.example.com\r\n"
            "MAIL FROM:<lvs@example.com>\r\n"
            "RCPT TO:<ops@example.com>\r\n"
            "RCPT TO:<noc@example.com>\r\n"
            "DATA\r\n" + kData +
            "QUIT\r\n");
  EXPECT_EQ(smtp.connections(), 1);
}

TEST(SmtpClient, MultiLineRepliesAreReadToTheirLastLine) {
  FakeSmtp smtp({.greeting = "220-fake.example ESMTP\r\n220-more\r\n220 ready\r\n",
                 .helo = "250-fake.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n"});
  SmtpResult r = send_mail(settings(smtp.port()), kMsg, kDate);
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(smtp.mails(), std::vector<std::string>{kData});
}

TEST(SmtpClient, ServerNameIsResolved) {
  FakeSmtp smtp;
  MailSettings s = settings(smtp.port());
  s.server = "localhost";
  SmtpResult r = send_mail(s, kMsg, kDate);
  // localhost may resolve to ::1 first on some hosts; the fake listens on 127.0.0.1 only.
  if (!r.sent) GTEST_SKIP() << r.error;
  EXPECT_EQ(smtp.mails().size(), 1u);
}

TEST(SmtpClient, RefusedRecipientLosesTheMailAndQuits) {
  FakeSmtp smtp({.rcpt = "550 5.1.1 no such user\r\n"});
  SmtpResult r = send_mail(settings(smtp.port()), kMsg, kDate);
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.error, "Error processing RCPT cmd on SMTP server [127.0.0.1]:" + std::to_string(smtp.port()) +
                         ". SMTP status code = 550");
  // Like keepalived: no second recipient, no DATA, a QUIT.
  EXPECT_EQ(smtp.transcript(),
            "HELO lvs1.example.com\r\nMAIL FROM:<lvs@example.com>\r\nRCPT TO:<ops@example.com>\r\nQUIT\r\n");
}

TEST(SmtpClient, EveryReplyCodeIsChecked) {
  struct Case {
    FakeSmtpScript script;
    const char* step;
    int code;
  };
  Case cases[] = {
      {{.greeting = "554 go away\r\n"}, "(E)SMTP", 554},
      {{.helo = "501 bad\r\n"}, "HELO", 501},
      {{.mail = "553 no\r\n"}, "MAIL", 553},
      {{.rcpt = "251 will forward\r\n"}, "RCPT", 251},  // keepalived takes only 250
      {{.data = "503 bad sequence\r\n"}, "DATA", 503},
      {{.body = "552 too big\r\n"}, "BODY", 552},
  };
  for (const Case& c : cases) {
    FakeSmtp smtp(c.script);
    SmtpResult r = send_mail(settings(smtp.port()), kMsg, kDate);
    EXPECT_FALSE(r.sent) << c.step;
    EXPECT_EQ(r.error, std::string("Error processing ") + c.step + " cmd on SMTP server [127.0.0.1]:" +
                           std::to_string(smtp.port()) + ". SMTP status code = " + std::to_string(c.code));
    EXPECT_TRUE(smtp.transcript().ends_with("QUIT\r\n")) << c.step << ": " << smtp.transcript();
  }
}

TEST(SmtpClient, AWrongAnswerToQuitStillCountsAsSent) {
  FakeSmtp smtp({.quit = "500 what\r\n"});
  SmtpResult r = send_mail(settings(smtp.port()), kMsg, kDate);
  EXPECT_TRUE(r.sent);
  EXPECT_NE(r.error.find("QUIT cmd"), std::string::npos) << r.error;
}

TEST(SmtpClient, ConnectionRefused) {
  uint16_t port = check::test::dead_port();
  SmtpResult r = send_mail(settings(port), kMsg, kDate);
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.error, "SMTP connection ERROR to [127.0.0.1]:" + std::to_string(port) +
                         " (connect: Connection refused)");
}

TEST(SmtpClient, SilentServerTimesOut) {
  FakeSmtp smtp({.silent = true});
  MailSettings s = settings(smtp.port());
  s.timeout_ms = 300;
  auto t0 = std::chrono::steady_clock::now();
  SmtpResult r = send_mail(s, kMsg, kDate);
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.error, "Timeout reading data to remote SMTP server [127.0.0.1]:" + std::to_string(smtp.port()) + ".");
  EXPECT_GE(ms_since(t0), 290);
  EXPECT_LT(ms_since(t0), 1800);  // the timeout, plus at most 1 s waiting for QUIT's answer
}

TEST(SmtpClient, ServerClosingEarly) {
  FakeSmtp smtp({.close_after = "HELO"});
  SmtpResult r = send_mail(settings(smtp.port()), kMsg, kDate);
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.error, "Remote SMTP server [127.0.0.1]:" + std::to_string(smtp.port()) + " has closed the connection.");
  EXPECT_EQ(smtp.transcript(), "HELO lvs1.example.com\r\n");  // no QUIT to a closed connection
}

TEST(SmtpClient, UnresolvableServer) {
  MailSettings s = settings(25);
  s.server = "no-such-host.invalid";
  SmtpResult r = send_mail(s, kMsg, kDate);
  EXPECT_FALSE(r.sent);
  EXPECT_TRUE(r.error.starts_with("Invalid smtp server no-such-host.invalid 25")) << r.error;
}

TEST(SmtpClient, CancelStopsAWaitAtOnce) {
  FakeSmtp smtp({.silent = true});
  MailSettings s = settings(smtp.port());
  s.timeout_ms = 30000;
  std::atomic<bool> cancel{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  auto t0 = std::chrono::steady_clock::now();
  SmtpResult r = send_mail(s, kMsg, kDate, &cancel);
  stopper.join();
  EXPECT_FALSE(r.sent);
  EXPECT_NE(r.error.find("stopping"), std::string::npos) << r.error;
  EXPECT_LT(ms_since(t0), 1000);
}

}  // namespace
}  // namespace ulvs::notify
