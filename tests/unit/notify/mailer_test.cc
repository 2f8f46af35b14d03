// mailer_test.cc — the mailer thread: posts return at once and go out in order, a full queue
// drops and counts, a hung delivery never blocks post() and stop() cuts it short, settings
// changes apply to later posts; and one real delivery through the fake SMTP server.
#include "notify/mailer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "fake_smtp.h"

namespace ulvs::notify {
namespace {

using Clock = std::chrono::steady_clock;

MailSettings on(const std::string& server = "192.0.2.25") {
  MailSettings s;
  s.server = server;
  s.to = {"ops@example.com"};
  s.router_id = "LVS_1";
  return s;
}

Message msg(int i) { return {"subject " + std::to_string(i), "body"}; }

// A delivery that records and, while `hold` is set, hangs until cancelled.
struct FakeDeliver {
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> seen;  // server, subject
  std::atomic<bool> hold{false};
  std::atomic<bool> holding{false};

  DeliverFn fn() {
    return [this](const MailSettings& s, const Message& m, const std::atomic<bool>* cancel) {
      while (hold && !*cancel) {
        holding = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      std::lock_guard lock(mu);
      seen.push_back({s.server, m.subject});
      return SmtpResult{!*cancel, *cancel ? "cancelled" : ""};
    };
  }
  std::vector<std::pair<std::string, std::string>> got() {
    std::lock_guard lock(mu);
    return seen;
  }
};

Mailer::Options options(FakeDeliver& d, size_t max_queue = 64) {
  Mailer::Options o;
  o.max_queue = max_queue;
  o.deliver = d.fn();
  o.log = [](const std::string&) {};
  return o;
}

TEST(Mailer, SendsInOrderFromItsThread) {
  FakeDeliver d;
  Mailer m(on(), options(d));
  for (int i = 0; i < 5; i++) EXPECT_TRUE(m.post(msg(i)));
  ASSERT_TRUE(m.wait_idle(2000));
  auto got = d.got();
  ASSERT_EQ(got.size(), 5u);
  for (int i = 0; i < 5; i++) EXPECT_EQ(got[i].second, "subject " + std::to_string(i));
  EXPECT_EQ(m.counters().sent, 5u);
  EXPECT_EQ(m.counters().failed, 0u);
}

TEST(Mailer, NothingWhenMailIsOff) {
  FakeDeliver d;
  Mailer m(MailSettings{}, options(d));
  EXPECT_FALSE(m.post(msg(1)));
  ASSERT_TRUE(m.wait_idle(1000));
  EXPECT_TRUE(d.got().empty());
  EXPECT_EQ(m.counters().dropped, 0u);
}

TEST(Mailer, AHungServerNeverBlocksPostAndTheQueueIsBounded) {
  FakeDeliver d;
  d.hold = true;
  std::vector<std::string> logged;
  std::mutex log_mu;
  Mailer::Options o = options(d, 3);
  o.log = [&](const std::string& l) {
    std::lock_guard lock(log_mu);
    logged.push_back(l);
  };
  Mailer m(on(), o);
  EXPECT_TRUE(m.post(msg(0)));
  for (int i = 0; i < 200 && !d.holding; i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(d.holding);  // message 0 is in flight, hung
  auto t0 = Clock::now();
  EXPECT_TRUE(m.post(msg(1)));
  EXPECT_TRUE(m.post(msg(2)));
  EXPECT_TRUE(m.post(msg(3)));
  EXPECT_FALSE(m.post(msg(4)));  // 3 waiting: dropped
  EXPECT_FALSE(m.post(msg(5)));
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(100));
  EXPECT_EQ(m.counters().dropped, 2u);
  {
    std::lock_guard lock(log_mu);
    ASSERT_FALSE(logged.empty());
    EXPECT_EQ(logged[0], "SMTP alert 'subject 4' dropped: 3 mails already waiting");
  }
  d.hold = false;
  ASSERT_TRUE(m.wait_idle(2000));
  EXPECT_EQ(d.got().size(), 4u);
  EXPECT_EQ(m.counters().sent, 4u);
}

TEST(Mailer, StopAbandonsTheMailInFlightAndTheQueue) {
  FakeDeliver d;
  d.hold = true;
  Mailer m(on(), options(d));
  m.post(msg(0));
  for (int i = 0; i < 200 && !d.holding; i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  m.post(msg(1));
  m.post(msg(2));
  auto t0 = Clock::now();
  m.stop();
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(500));
  Mailer::Counters c = m.counters();
  EXPECT_EQ(c.sent, 0u);
  EXPECT_EQ(c.failed, 1u);   // the one in flight
  EXPECT_EQ(c.dropped, 2u);  // the queued ones
  EXPECT_FALSE(m.post(msg(3)));
  m.stop();  // twice is fine
}

TEST(Mailer, NewSettingsApplyToLaterPosts) {
  FakeDeliver d;
  d.hold = true;
  Mailer m(on("old.example"), options(d));
  m.post(msg(0));
  m.configure(on("new.example"));
  m.post(msg(1));
  d.hold = false;
  ASSERT_TRUE(m.wait_idle(2000));
  auto got = d.got();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, "old.example");
  EXPECT_EQ(got[1].first, "new.example");
  EXPECT_EQ(m.settings().server, "new.example");
  m.configure(MailSettings{});  // mail turned off by a reload
  EXPECT_FALSE(m.post(msg(2)));
}

TEST(Mailer, DeliversThroughARealSmtpServer) {
  test::FakeSmtp smtp;
  MailSettings s = on("127.0.0.1");
  s.port = smtp.port();
  s.from = "lvs@example.com";
  s.helo = "lvs1";
  Mailer::Options o;
  o.log = [](const std::string&) {};
  Mailer m(s, o);
  ASSERT_TRUE(m.post({"[LVS_1] Virtualserver [10.0.0.1]:tcp:80 - UP", "=> Gained quorum 1+0=1 <= 1 <="}));
  ASSERT_TRUE(m.wait_idle(5000));
  EXPECT_EQ(m.counters().sent, 1u);
  auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("\r\nSubject: [LVS_1] Virtualserver [10.0.0.1]:tcp:80 - UP\r\n"), std::string::npos);
  EXPECT_NE(mails[0].find("\r\n\r\n=> Gained quorum 1+0=1 <= 1 <=\r\n\r\n.\r\n"), std::string::npos);
  EXPECT_TRUE(mails[0].starts_with("Date: ")) << mails[0];
}

}  // namespace
}  // namespace ulvs::notify
