// mailer.cc — see mailer.h.
#include "notify/mailer.h"

#include <chrono>
#include <cstdio>

#include "notify/mail_format.h"

namespace ulvs::notify {

Mailer::Mailer(MailSettings s, Options o)
    : opt_(std::move(o)), settings_(std::make_shared<const MailSettings>(std::move(s))) {
  if (!opt_.deliver)
    opt_.deliver = [](const MailSettings& st, const Message& m, const std::atomic<bool>* cancel) {
      return send_mail(st, m, rfc822_now(), cancel);
    };
  thread_ = std::thread([this] { loop(); });
}

Mailer::~Mailer() { stop(); }

void Mailer::configure(MailSettings s) {
  std::lock_guard lock(mu_);
  settings_ = std::make_shared<const MailSettings>(std::move(s));
}

MailSettings Mailer::settings() const {
  std::lock_guard lock(mu_);
  return *settings_;
}

bool Mailer::post(Message m) {
  std::unique_lock lock(mu_);
  if (stopping_ || !settings_->enabled()) return false;
  if (queue_.size() >= opt_.max_queue) {
    counters_.dropped++;
    lock.unlock();
    log("SMTP alert '" + m.subject + "' dropped: " + std::to_string(opt_.max_queue) + " mails already waiting");
    return false;
  }
  queue_.push_back({settings_, std::move(m)});
  cv_.notify_all();
  return true;
}

void Mailer::stop() {
  size_t abandoned = 0;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    cancel_ = true;  // the delivery in flight gives up within ~20 ms
    abandoned = queue_.size();
    counters_.dropped += abandoned;
    queue_.clear();
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (abandoned) log(std::to_string(abandoned) + " SMTP alerts not sent: stopping");
}

Mailer::Counters Mailer::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

bool Mailer::wait_idle(int64_t timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return queue_.empty() && !busy_; });
}

void Mailer::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) break;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    deliver(item);  // outside the lock: post() never waits for the mail server
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

void Mailer::deliver(const Item& item) {
  const SmtpResult r = opt_.deliver(*item.settings, item.message, &cancel_);
  {
    std::lock_guard lock(mu_);
    (r.sent ? counters_.sent : counters_.failed)++;
  }
  if (r.sent)
    log("SMTP alert '" + item.message.subject + "' sent through " + item.settings->server + ":" +
        std::to_string(item.settings->port) + (r.error.empty() ? "" : " (" + r.error + ")"));
  else
    log("SMTP alert '" + item.message.subject + "' not sent: " + r.error);
}

void Mailer::log(const std::string& line) const {
  if (opt_.log) opt_.log(line);
  else std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace ulvs::notify
