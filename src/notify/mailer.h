// mailer.h — sends alert mails from a thread of its own, so a slow or dead mail server never
// holds up a health check or a pool change (keepalived does the same with its non-blocking
// SMTP state machine; here a blocking client runs off the caller's path).
//
//   notify::Mailer mailer(notify::mail_settings(cfg.global), {.log = [](const std::string& l) { ... }});
//   mailer.post(notify::alert_message(settings.router_id, vs, alert));  // returns at once
//   mailer.configure(new_settings);   // reload: later posts use the new settings
//   mailer.stop();                    // prompt: the mail in flight is abandoned
//
// * One SMTP connection per message, in the order posted (smtp_client.h).  Each message is
//   sent with the settings in force when it was posted; the Date: is taken when it is sent.
// * The queue is bounded (Options::max_queue): a post beyond it is dropped, logged and
//   counted; so is everything still queued at stop().  A failed delivery is logged and
//   counted, never retried (keepalived does not retry either).
// * post() while mail is off (no smtp_server or no notification_email) does nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "notify/alert_text.h"
#include "notify/mail_settings.h"
#include "notify/smtp_client.h"

namespace ulvs::notify {

using DeliverFn = std::function<SmtpResult(const MailSettings&, const Message&, const std::atomic<bool>* cancel)>;

struct MailerOptions {
  size_t max_queue = 64;
  std::function<void(const std::string&)> log;  // default: stderr
  DeliverFn deliver;                            // default: send_mail (tests inject fakes)
};

class Mailer {
 public:
  using Options = MailerOptions;
  struct Counters {
    uint64_t sent = 0, failed = 0, dropped = 0;
  };

  explicit Mailer(MailSettings s, Options o = Options());
  ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  void configure(MailSettings s);
  MailSettings settings() const;
  // Queues `m`; false when it was not queued (mail off, stopped, or the queue full).
  bool post(Message m);
  void stop();

  Counters counters() const;
  // Until nothing is queued or being sent (true), or `timeout_ms` passed (false).
  bool wait_idle(int64_t timeout_ms) const;

 private:
  struct Item {
    std::shared_ptr<const MailSettings> settings;
    Message message;
  };
  void loop();
  void deliver(const Item& item);
  void log(const std::string& line) const;

  Options opt_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // work arrived / stopping / went idle
  std::shared_ptr<const MailSettings> settings_;
  std::deque<Item> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::atomic<bool> cancel_{false};
  Counters counters_;
  std::thread thread_;
};

}  // namespace ulvs::notify
