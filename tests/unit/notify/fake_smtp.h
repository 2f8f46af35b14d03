// fake_smtp.h — a scripted SMTP server on 127.0.0.1 for the client and mailer tests: greets,
// answers each command line (250 / 354 / 221 unless told otherwise), takes the data up to
// "\r\n.\r\n", and records every byte the client sent.
//
//   FakeSmtp smtp;                                   // or FakeSmtp smtp({.rcpt = "550 no\r\n"})
//   ... send_mail({.server = "127.0.0.1", .port = smtp.port(), ...}) ...
//   EXPECT_EQ(smtp.transcript(), "HELO ...\r\nMAIL FROM:<...>\r\n...");
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "check/test_servers.h"

namespace ulvs::notify::test {

struct FakeSmtpScript {
  std::string greeting = "220 fake.example ESMTP\r\n";
  std::string helo = "250 fake.example\r\n";
  std::string mail = "250 2.1.0 Ok\r\n";
  std::string rcpt = "250 2.1.5 Ok\r\n";
  std::string data = "354 End data with <CR><LF>.<CR><LF>\r\n";
  std::string body = "250 2.0.0 Ok: queued\r\n";
  std::string quit = "221 2.0.0 Bye\r\n";
  std::string close_after;  // close the connection instead of answering this command ("HELO")
  bool silent = false;      // never say anything (a hung server)
};

class FakeSmtp {
 public:
  explicit FakeSmtp(FakeSmtpScript s = {}) : script_(std::move(s)), server_([this](int fd) { serve(fd); }) {}
  uint16_t port() const { return server_.port(); }
  int connections() const { return server_.accepted(); }
  std::string transcript() const {
    std::lock_guard lock(mu_);
    return transcript_;
  }
  // The mail bodies received (what came between DATA's 354 and the final ".").
  std::vector<std::string> mails() const {
    std::lock_guard lock(mu_);
    return mails_;
  }

 private:
  // Bytes from the client until `end` is seen (or it closes, or 3 s of silence).
  static std::string read_until(int fd, const std::string& end, std::string& pending) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (pending.find(end) == std::string::npos && std::chrono::steady_clock::now() < give_up) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      pending.append(buf, static_cast<size_t>(n));
    }
    size_t at = pending.find(end);
    if (at == std::string::npos) {
      std::string all;
      all.swap(pending);
      return all;
    }
    std::string out = pending.substr(0, at + end.size());
    pending.erase(0, at + end.size());
    return out;
  }

  void record(const std::string& s) {
    std::lock_guard lock(mu_);
    transcript_ += s;
  }

  void serve(int fd) {
    std::string pending;
    if (script_.silent) {
      read_until(fd, "\n\n\n", pending);  // wait for the client to give up
      record(pending);
      return;
    }
    check::test::send_str(fd, script_.greeting);
    for (;;) {
      std::string line = read_until(fd, "\r\n", pending);
      if (line.empty()) return;
      record(line);
      std::string cmd = line.substr(0, 4);
      if (cmd == script_.close_after) return;
      if (cmd == "HELO") check::test::send_str(fd, script_.helo);
      else if (cmd == "MAIL") check::test::send_str(fd, script_.mail);
      else if (cmd == "RCPT") check::test::send_str(fd, script_.rcpt);
      else if (cmd == "QUIT") { check::test::send_str(fd, script_.quit); return; }
      else if (cmd == "DATA") {
        check::test::send_str(fd, script_.data);
        if (script_.data.starts_with("354")) {
          std::string mail = read_until(fd, "\r\n.\r\n", pending);
          record(mail);
          {
            std::lock_guard lock(mu_);
            mails_.push_back(mail);
          }
          check::test::send_str(fd, script_.body);
        }
      } else {
        check::test::send_str(fd, "500 what?\r\n");
      }
    }
  }

  FakeSmtpScript script_;
  mutable std::mutex mu_;
  std::string transcript_;
  std::vector<std::string> mails_;
  check::test::TcpServer server_;  // last: its thread uses the members above
};

}  // namespace ulvs::notify::test
