#include "check/smtp_probe.h"

#include <unistd.h>

#include <cctype>

#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

int smtp_reply_code(const std::string& buf) {
  size_t end = buf.rfind('\n');
  if (end == std::string::npos) return 0;
  size_t start = buf.rfind('\n', end == 0 ? 0 : end - 1);
  start = (start == std::string::npos || start >= end) ? 0 : start + 1;
  std::string line = buf.substr(start, end - start);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() < 3 || (line.size() > 3 && line[3] != ' ')) return 0;
  for (int i = 0; i < 3; ++i)
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return 0;
  return std::stoi(line.substr(0, 3));
}

static int read_reply(int fd, const Deadline& d, std::string& err) {
  std::string buf;
  if (!recv_until(fd, buf, 8192, d, err, [](const std::string& b) { return smtp_reply_code(b) != 0; }))
    return 0;
  int code = smtp_reply_code(buf);
  if (!code) err = "connection closed";
  return code;
}

static std::string default_helo() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host[0] ? host : "localhost";
}

ProbeResult probe_smtp(const config::Checker& c, const net::Endpoint& to, const Deadline& d) {
  std::string err;
  Fd fd;
  if (auto failed = connect_stream(c, to, d, fd)) return *failed;
  int code = read_reply(fd.get(), d, err);
  if (code != 220) return ProbeResult::down(code ? "SMTP greeting " + std::to_string(code) : err);
  const std::string helo = "HELO " + (c.helo_name.empty() ? default_helo() : c.helo_name) + "\r\n";
  if (!send_all(fd.get(), helo.data(), helo.size(), d, err)) return ProbeResult::down(err);
  code = read_reply(fd.get(), d, err);
  if (code != 250) return ProbeResult::down(code ? "SMTP HELO answered " + std::to_string(code) : err);
  send_all(fd.get(), "QUIT\r\n", 6, d, err);  // best effort
  return ProbeResult::up("SMTP 220/250");
}

}  // namespace ulvs::check
