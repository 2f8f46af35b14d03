// smtp_client.cc — see smtp_client.h.  Error texts are keepalived's (smtp.c log_message
// calls) so that logs read the same.
#include "notify/smtp_client.h"

#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <vector>

#include "check/net_io.h"
#include "check/smtp_probe.h"
#include "notify/mail_format.h"

namespace ulvs::notify {
namespace {

constexpr size_t kMaxReply = 8192;      // a longer reply is a broken server
constexpr int64_t kQuitWaitMs = 1000;   // after an error, how long QUIT's answer may take

struct Step {
  std::string text;  // what is sent
  int expect;        // the only code that lets the dialogue go on
  const char* name;  // keepalived's name for the step, for the logs
};

// Everything between the greeting and QUIT (smtp.c SMTP_FSM, HELO to BODY).
std::vector<Step> steps(const MailSettings& s, const Message& m, const std::string& date) {
  std::vector<Step> out;
  out.push_back({"HELO " + s.helo + "\r\n", 250, "HELO"});
  out.push_back({"MAIL FROM:<" + s.from + ">\r\n", 250, "MAIL"});
  for (const std::string& to : s.to) out.push_back({"RCPT TO:<" + to + ">\r\n", 250, "RCPT"});
  out.push_back({"DATA\r\n", 354, "DATA"});
  out.push_back({data_text(s, m, date), 250, "BODY"});
  return out;
}

// One connection's replies and commands, each bounded by its own timeout.
class Dialogue {
 public:
  Dialogue(int fd, int64_t timeout_ms, const std::atomic<bool>* cancel, std::string server)
      : fd_(fd), timeout_ms_(timeout_ms), cancel_(cancel), server_(std::move(server)) {}

  // Reads a reply and checks its code; false (error() says why) otherwise.
  bool expect(int code, const char* name) { return check(read_reply(timeout_ms_), code, name); }

  bool command(const std::string& text, int code, const char* name) {
    std::string err;
    if (!check::send_all(fd_, text.data(), text.size(), check::Deadline::after(timeout_ms_, cancel_), err)) {
      error_ = "Cannot send data to remote SMTP server " + server_ + " (" + err + ")";
      return false;
    }
    return expect(code, name);
  }

  // After a failed step: say goodbye unless the server already hung up.
  // The answer is not checked: the mail is lost either way, and the first error is the news.
  void quit_after_error() {
    if (closed_) return;
    const std::string first = error_;
    std::string err;
    if (check::send_all(fd_, "QUIT\r\n", 6, check::Deadline::after(kQuitWaitMs, cancel_), err))
      read_reply(std::min(timeout_ms_, kQuitWaitMs));
    error_ = first;
  }

  const std::string& error() const { return error_; }

 private:
  // The code of the next complete reply; 0 when none came (error_ says why).
  int read_reply(int64_t timeout_ms) {
    std::string buf, err;
    const check::Deadline d = check::Deadline::after(timeout_ms, cancel_);
    const bool ok = check::recv_until(fd_, buf, kMaxReply, d, err,
                                      [](const std::string& b) { return check::smtp_reply_code(b) != 0; });
    const int code = check::smtp_reply_code(buf);
    if (code) return code;
    if (!ok) {
      error_ = d.cancelled() ? "SMTP alert to " + server_ + " abandoned: stopping"
               : err.starts_with("timeout") ? "Timeout reading data to remote SMTP server " + server_ + "."
                                            : "Error reading data from remote SMTP server " + server_ + " (" + err + ")";
    } else if (buf.size() >= kMaxReply) {
      error_ = "Received buffer from remote SMTP server " + server_ + " overflow our get read buffer length.";
    } else {
      closed_ = true;
      error_ = "Remote SMTP server " + server_ + " has closed the connection.";
    }
    return 0;
  }

  bool check(int got, int code, const char* name) {
    if (got == code) return true;
    if (got)
      error_ = std::string("Error processing ") + name + " cmd on SMTP server " + server_ +
               ". SMTP status code = " + std::to_string(got);
    return false;
  }

  int fd_;
  int64_t timeout_ms_;
  const std::atomic<bool>* cancel_;
  std::string server_;  // "[addr]:port", keepalived's FMT_SMTP_HOST
  std::string error_;
  bool closed_ = false;
};

std::string pair_text(const net::Endpoint& ep) { return "[" + ep.addr.str() + "]:" + std::to_string(ep.port); }

}  // namespace

std::optional<net::Endpoint> resolve_server(const std::string& host, uint16_t port, std::string& err) {
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') bare = bare.substr(1, bare.size() - 2);
  if (auto a = net::Addr::parse(bare)) return net::Endpoint{*a, port};
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(bare.c_str(), nullptr, &hints, &res);
  if (rc != 0) {
    err = std::string("cannot resolve '") + host + "': " + gai_strerror(rc);
    return std::nullopt;
  }
  std::optional<net::Endpoint> ep;
  for (addrinfo* ai = res; ai && !ep; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET)
      ep = net::Endpoint{net::Addr::v4_bytes(reinterpret_cast<const uint8_t*>(
                             &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr)), port};
    else if (ai->ai_family == AF_INET6)
      ep = net::Endpoint{net::Addr::v6_bytes(reinterpret_cast<const uint8_t*>(
                             &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr)), port};
  }
  freeaddrinfo(res);
  if (!ep) err = "no address for '" + host + "'";
  return ep;
}

SmtpResult send_mail(const MailSettings& s, const Message& m, const std::string& date,
                     const std::atomic<bool>* cancel) {
  std::string err;
  auto ep = resolve_server(s.server, s.port, err);
  if (!ep) return {false, "Invalid smtp server " + s.server + " " + std::to_string(s.port) + ": " + err};
  const std::string where = pair_text(*ep);

  check::Fd fd = check::open_socket(ep->addr.family, SOCK_STREAM, 0, {}, err);
  if (!fd) return {false, "SMTP connection ERROR to " + where + " (" + err + ")"};
  const check::Deadline connect_by = check::Deadline::after(s.timeout_ms, cancel);
  if (!check::connect_within(fd.get(), *ep, connect_by, err)) {
    if (connect_by.cancelled()) return {false, "SMTP alert to " + where + " abandoned: stopping"};
    if (err.starts_with("timeout")) return {false, "Timeout connecting SMTP server " + where + "."};
    return {false, "SMTP connection ERROR to " + where + " (" + err + ")"};
  }

  Dialogue d(fd.get(), s.timeout_ms, cancel, where);
  bool ok = d.expect(220, "(E)SMTP");
  for (const Step& st : steps(s, m, date)) {
    if (!ok) break;
    ok = d.command(st.text, st.expect, st.name);
  }
  if (!ok) {
    d.quit_after_error();
    return {false, d.error()};
  }
  SmtpResult r{true, ""};
  if (!d.command("QUIT\r\n", 221, "QUIT")) r.error = d.error();
  return r;
}

}  // namespace ulvs::notify
