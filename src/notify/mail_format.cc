// mail_format.cc — see mail_format.h.
#include "notify/mail_format.h"

#include <cstdio>
#include <cstdlib>

namespace ulvs::notify {
namespace {

constexpr size_t kMaxTo = 1023;  // smtp.c: SMTP_BUFFER_MAX - 1

// Lines starting with '.' get one more, so a line with a lone '.' cannot end the data early.
std::string dot_stuff(const std::string& body) {
  std::string out;
  out.reserve(body.size() + 1);
  bool line_start = true;
  for (char c : body) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  return out;
}

}  // namespace

std::string rfc822_date(const std::tm& t) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const long off = t.tm_gmtoff / 60;  // minutes east of UTC
  const long a = std::labs(off);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld",
                days[(t.tm_wday % 7 + 7) % 7], t.tm_mday, months[(t.tm_mon % 12 + 12) % 12],
                t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec, off < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

std::string rfc822_now() {
  std::time_t now = std::time(nullptr);
  std::tm t{};
  localtime_r(&now, &t);
  return rfc822_date(t);
}

std::string to_header(const std::vector<std::string>& to) {
  std::string out;
  for (const std::string& addr : to) {
    const size_t sep = out.empty() ? 0 : 2;
    if (out.size() + sep > kMaxTo) break;
    // keepalived has already written the ", " when the address no longer fits.
    if (sep) out += ", ";
    if (out.size() + addr.size() > kMaxTo) break;
    out += addr;
  }
  return out;
}

std::string data_text(const MailSettings& s, const Message& m, const std::string& date) {
  return "Date: " + date + "\r\nFrom: " + s.from + "\r\nSubject: " + m.subject +
         "\r\nX-Mailer: Keepalived\r\nTo: " + to_header(s.to) + "\r\n\r\n" + dot_stuff(m.body) +
         "\r\n\r\n.\r\n";
}

}  // namespace ulvs::notify
